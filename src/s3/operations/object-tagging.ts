/** GetObjectTagging / PutObjectTagging / DeleteObjectTagging on the current version or ?versionId's. */
import { readSmallBody } from '../body';
import type { S3Context, S3Request, S3Response } from '../operation';
import { requireBucket, type ObjectRecord } from '../records';
import { parseTaggingXml, renderTagSet, type Tags } from '../tagging';
import { targetVersion, updateVersion } from '../versions';
import { versionHeader } from './put-object';

async function updateTags(ctx: S3Context, req: S3Request, tags: Tags): Promise<ObjectRecord> {
  await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  return ctx.store.transact(async (tx) => {
    const bucket = await requireBucket(tx, req.bucket!, ctx.accountId);
    const obj = await targetVersion(tx, bucket, req.key!, req.query.get('versionId'));
    await updateVersion(tx, bucket, { ...obj, tags });
    return obj;
  });
}

export async function getObjectTagging(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const obj = await targetVersion(ctx.store, bucket, req.key!, req.query.get('versionId'));
  return { status: 200, headers: versionHeader(obj), body: { root: 'Tagging', body: renderTagSet(obj.tags) } };
}

export async function putObjectTagging(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const tags = parseTaggingXml((await readSmallBody(req)).toString('utf8'));
  const obj = await updateTags(ctx, req, tags);
  return { status: 200, headers: versionHeader(obj) };
}

export async function deleteObjectTagging(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const obj = await updateTags(ctx, req, []);
  return { status: 204, headers: versionHeader(obj) };
}
