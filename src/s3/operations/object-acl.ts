/** GetObjectAcl / PutObjectAcl: the stored ACL as an AccessControlPolicy; writes by headers or by document. */
import { s3Error } from '../../errors/s3-errors';
import { aclFromHeaders, aclFromXml, renderAcl } from '../acl';
import { readSmallBody } from '../body';
import { type S3Context, type S3Request, type S3Response } from '../operation';
import { requireBucket } from '../records';
import { targetVersion, updateVersion } from '../versions';
import { checkAclAllowed, versionHeader } from './put-object';

export async function getObjectAcl(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const obj = await targetVersion(ctx.store, bucket, req.key!, req.query.get('versionId'));
  return { status: 200, headers: { 'content-type': 'application/xml', ...versionHeader(obj) }, body: renderAcl(obj.acl, ctx.accessKeyId) };
}

export async function putObjectAcl(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  checkAclAllowed(bucket, req);
  const fromHeaders = aclFromHeaders(req, ctx.accountId, bucket.accountId);
  const body = (await readSmallBody(req)).toString('utf8').trim();
  if (fromHeaders && body !== '') throw s3Error('UnexpectedContent');
  if (!fromHeaders && body === '') throw s3Error('MissingSecurityHeader', undefined, { MissingHeaderName: 'x-amz-acl' });
  if (!fromHeaders && bucket.objectOwnership === 'BucketOwnerEnforced') throw s3Error('AccessControlListNotSupported');
  const acl = fromHeaders ?? aclFromXml(body, ctx.accountId);
  const obj = await ctx.store.transact(async (tx) => {
    const b = await requireBucket(tx, req.bucket!, ctx.accountId);
    const target = await targetVersion(tx, b, req.key!, req.query.get('versionId'));
    await updateVersion(tx, b, { ...target, acl });
    return target;
  });
  return { status: 200, headers: versionHeader(obj) };
}
