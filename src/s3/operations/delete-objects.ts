/**
 * DeleteObjects (POST ?delete): up to 1000 keys in one transaction; Quiet mode reports errors only. S3
 * requires an integrity header on this request: Content-MD5 or an x-amz-checksum-* value.
 */
import { createHash } from 'node:crypto';
import { s3Error } from '../../errors/s3-errors';
import { readSmallBody, requestedChecksum, requestedMd5 } from '../body';
import { newChecksum } from '../checksums';
import { objectKey } from '../keys';
import type { S3Context, S3Request, S3Response } from '../operation';
import { getObject, requireBucket } from '../records';
import { child, childrenNamed, childText, parseXml } from '../xml-parse';
import type { XmlObject } from '../xml-tree';

const MAX_KEYS = 1000;

/** Deletes the current versions of `keys` in one transaction, then their blobs. */
export async function deleteCurrent(ctx: S3Context, bucket: string, keys: readonly string[]): Promise<void> {
  const blobs: string[] = [];
  await ctx.store.transact(async (tx) => {
    await requireBucket(tx, bucket, ctx.accountId);
    for (const key of keys) {
      const obj = await getObject(tx, bucket, key);
      if (!obj) continue;
      blobs.push(obj.blobId);
      tx.delete(objectKey(bucket, key));
    }
  });
  await Promise.all(blobs.map((id) => ctx.blobs.delete(id).catch(() => undefined)));
}

export async function deleteObjects(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = req.bucket!;
  await requireBucket(ctx.store, bucket, ctx.accountId);
  const md5 = requestedMd5(req);
  const checksum = requestedChecksum(req);
  if (md5 === undefined && checksum === undefined) throw s3Error('InvalidRequest', 'Missing required header for this request: Content-MD5');
  const body = await readSmallBody(req);
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) throw s3Error('BadDigest');
  if (checksum?.expected !== undefined) {
    const sum = newChecksum(checksum.algorithm);
    sum.update(body);
    if (sum.digest() !== checksum.expected) {
      throw s3Error('BadDigest', `The ${checksum.algorithm} you specified did not match the calculated checksum.`);
    }
  }
  const root = parseXml(body.toString('utf8'));
  if (root.name !== 'Delete') throw s3Error('MalformedXML');
  const quiet = (childText(root, 'Quiet') ?? 'false').trim().toLowerCase() === 'true';
  const objects = childrenNamed(root, 'Object');
  if (objects.length === 0 || objects.length > MAX_KEYS) throw s3Error('MalformedXML');
  const entries = objects.map((o) => {
    const key = child(o, 'Key');
    if (!key) throw s3Error('MalformedXML');
    return { key: key.text, versionId: childText(o, 'VersionId') };
  });
  const deleted: XmlObject[] = [];
  const errors: XmlObject[] = [];
  const toDelete: string[] = [];
  for (const e of entries) {
    if (Buffer.byteLength(e.key) > 1024) {
      errors.push({ Key: e.key, Code: 'KeyTooLongError', Message: 'Your key is too long' });
    } else if (e.versionId !== undefined && e.versionId !== 'null') {
      // Unversioned buckets hold only the null version; part 2 (versioning) deletes specific versions.
      errors.push({ Key: e.key, VersionId: e.versionId, Code: 'NoSuchVersion', Message: 'The specified version does not exist.' });
    } else {
      toDelete.push(e.key);
      if (!quiet) deleted.push({ Key: e.key, VersionId: e.versionId });
    }
  }
  await deleteCurrent(ctx, bucket, toDelete);
  return { status: 200, headers: {}, body: { root: 'DeleteResult', body: { Deleted: deleted, Error: errors } } };
}
