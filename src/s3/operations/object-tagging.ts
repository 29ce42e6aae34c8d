/** GetObjectTagging / PutObjectTagging / DeleteObjectTagging on the current version. */
import { s3Error } from '../../errors/s3-errors';
import { readSmallBody } from '../body';
import type { S3Context, S3Request, S3Response } from '../operation';
import { getObject, putObjectRecord, requireBucket, type ObjectRecord } from '../records';
import { parseTaggingXml, renderTagSet, type Tags } from '../tagging';

function versionHeaders(obj: ObjectRecord): Record<string, string> {
  return obj.versionId === 'null' ? {} : { 'x-amz-version-id': obj.versionId };
}

async function updateTags(ctx: S3Context, req: S3Request, tags: Tags): Promise<ObjectRecord> {
  await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  return ctx.store.transact(async (tx) => {
    const obj = await getObject(tx, req.bucket!, req.key!);
    if (!obj) throw s3Error('NoSuchKey', undefined, { Key: req.key! });
    const versionId = req.query.get('versionId');
    if (versionId !== undefined && versionId !== obj.versionId) throw s3Error('NoSuchVersion', undefined, { Key: obj.key, VersionId: versionId });
    putObjectRecord(tx, req.bucket!, { ...obj, tags });
    return obj;
  });
}

export async function getObjectTagging(ctx: S3Context, req: S3Request): Promise<S3Response> {
  await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const obj = await getObject(ctx.store, req.bucket!, req.key!);
  if (!obj) throw s3Error('NoSuchKey', undefined, { Key: req.key! });
  const versionId = req.query.get('versionId');
  if (versionId !== undefined && versionId !== obj.versionId) throw s3Error('NoSuchVersion', undefined, { Key: obj.key, VersionId: versionId });
  return { status: 200, headers: versionHeaders(obj), body: { root: 'Tagging', body: renderTagSet(obj.tags) } };
}

export async function putObjectTagging(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const tags = parseTaggingXml((await readSmallBody(req)).toString('utf8'));
  const obj = await updateTags(ctx, req, tags);
  return { status: 200, headers: versionHeaders(obj) };
}

export async function deleteObjectTagging(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const obj = await updateTags(ctx, req, []);
  return { status: 204, headers: versionHeaders(obj) };
}
