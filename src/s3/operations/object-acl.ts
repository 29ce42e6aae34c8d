/** GetObjectAcl / PutObjectAcl: the stored ACL as an AccessControlPolicy; writes by headers or by document. */
import { s3Error } from '../../errors/s3-errors';
import { aclFromHeaders, aclFromXml, renderAcl } from '../acl';
import { readSmallBody } from '../body';
import { type S3Context, type S3Request, type S3Response } from '../operation';
import { getObject, putObjectRecord, requireBucket, type ObjectRecord } from '../records';
import { checkAclAllowed } from './put-object';

function checkVersion(req: S3Request, obj: ObjectRecord): void {
  const versionId = req.query.get('versionId');
  if (versionId !== undefined && versionId !== obj.versionId) throw s3Error('NoSuchVersion', undefined, { Key: obj.key, VersionId: versionId });
}

async function requireObject(ctx: S3Context, req: S3Request): Promise<ObjectRecord> {
  await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const obj = await getObject(ctx.store, req.bucket!, req.key!);
  if (!obj) throw s3Error('NoSuchKey', undefined, { Key: req.key! });
  checkVersion(req, obj);
  return obj;
}

export async function getObjectAcl(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const obj = await requireObject(ctx, req);
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: renderAcl(obj.acl, ctx.accessKeyId) };
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
  await ctx.store.transact(async (tx) => {
    const obj = await getObject(tx, req.bucket!, req.key!);
    if (!obj) throw s3Error('NoSuchKey', undefined, { Key: req.key! });
    checkVersion(req, obj);
    putObjectRecord(tx, req.bucket!, { ...obj, acl });
  });
  return { status: 200, headers: {} };
}
