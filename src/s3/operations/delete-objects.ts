/**
 * DeleteObjects (POST ?delete): up to 1000 keys (or versions) in one transaction; Quiet mode reports errors only. S3
 * requires an integrity header on this request: Content-MD5 or an x-amz-checksum-* value.
 */
import { createHash } from 'node:crypto';
import { isAwsError } from '../../errors/aws-error';
import { s3Error } from '../../errors/s3-errors';
import { readSmallBody, requestedChecksum, requestedMd5 } from '../body';
import { checksumBase64, checksumMismatch } from '../checksums';
import { objectKey } from '../keys';
import { header, type S3Context, type S3Request, type S3Response } from '../operation';
import { blobIdsOf, getObject, releaseBlobs, requireBucket } from '../records';
import { checkDeletable, checkVersionId, deleteMarker, deleteVersion, isVersioned, putVersion } from '../versions';
import { child, childrenNamed, childText, parseXml } from '../xml-parse';
import type { XmlObject } from '../xml-tree';

const isVersionIdWellFormed = (id: string): boolean => {
  try {
    checkVersionId(id);
    return true;
  } catch {
    return false;
  }
};

const MAX_KEYS = 1000;

export interface DeleteEntry {
  key: string;
  versionId?: string;
}

export interface DeleteOutcome {
  key: string;
  versionId?: string;
  /** The version removed or added was a delete marker. */
  deleteMarker?: boolean;
  /** The id of the delete marker added (or removed). */
  deleteMarkerVersionId?: string;
  error?: { code: string; message: string };
}

/**
 * Deletes in one transaction, as S3's DeleteObject(s) do: without versionId, the current object goes (or,
 * in a versioned bucket, a delete marker is added); with one, that version is removed for good unless
 * Object Lock protects it. Released blobs are deleted after the commit.
 */
export async function deleteEntries(ctx: S3Context, bucketName: string, entries: readonly DeleteEntry[], bypassGovernance: boolean): Promise<DeleteOutcome[]> {
  let released: string[] = [];
  const outcomes = await ctx.store.transact(async (tx) => {
    released = [];
    const bucket = await requireBucket(tx, bucketName, ctx.accountId);
    const out: DeleteOutcome[] = [];
    for (const e of entries) {
      try {
        if (e.versionId === undefined) {
          if (!isVersioned(bucket)) {
            const obj = await getObject(tx, bucketName, e.key);
            if (obj) {
              checkDeletable(obj, bypassGovernance);
              released.push(...blobIdsOf(obj));
              tx.delete(objectKey(bucketName, e.key));
            }
            out.push({ key: e.key });
          } else {
            const marker = deleteMarker(e.key, ctx.accountId);
            released.push(...(await putVersion(tx, bucket, marker)));
            out.push({ key: e.key, deleteMarker: true, deleteMarkerVersionId: marker.versionId });
          }
        } else {
          const gone = await deleteVersion(tx, bucket, e.key, e.versionId, bypassGovernance);
          if (gone) released.push(...gone.released);
          out.push(gone?.removed.deleteMarker ? { key: e.key, versionId: e.versionId, deleteMarker: true, deleteMarkerVersionId: e.versionId } : { key: e.key, versionId: e.versionId });
        }
      } catch (err) {
        if (!isAwsError(err)) throw err;
        out.push({ key: e.key, versionId: e.versionId, error: { code: err.code, message: err.message } });
      }
    }
    return out;
  });
  await releaseBlobs(ctx, released);
  return outcomes;
}

/** x-amz-bypass-governance-retention: true. */
export const bypassGovernance = (req: S3Request): boolean => (header(req, 'x-amz-bypass-governance-retention') ?? '').toLowerCase() === 'true';

export async function deleteObjects(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = req.bucket!;
  await requireBucket(ctx.store, bucket, ctx.accountId);
  const md5 = requestedMd5(req);
  const checksum = requestedChecksum(req);
  if (md5 === undefined && checksum === undefined) throw s3Error('InvalidRequest', 'Missing required header for this request: Content-MD5');
  const body = await readSmallBody(req);
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) throw s3Error('BadDigest');
  if (checksum?.expected !== undefined && checksumBase64(checksum.algorithm, body) !== checksum.expected) {
    throw checksumMismatch(checksum.algorithm);
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
  const toDelete: DeleteEntry[] = [];
  for (const e of entries) {
    if (Buffer.byteLength(e.key) > 1024) {
      errors.push({ Key: e.key, Code: 'KeyTooLongError', Message: 'Your key is too long' });
    } else if (e.versionId !== undefined && e.versionId !== 'null' && !isVersionIdWellFormed(e.versionId)) {
      errors.push({ Key: e.key, VersionId: e.versionId, Code: 'NoSuchVersion', Message: 'The specified version does not exist.' });
    } else {
      toDelete.push(e);
    }
  }
  for (const o of await deleteEntries(ctx, bucket, toDelete, bypassGovernance(req))) {
    if (o.error) {
      // Only Object Lock refuses a delete here, and this answer says so, unlike DeleteObject's bare "Access Denied".
      const message = o.error.code === 'AccessDenied' ? 'Access Denied because object protected by object lock.' : o.error.message;
      errors.push({ Key: o.key, VersionId: o.versionId, Code: o.error.code, Message: message });
    }
    else if (!quiet) deleted.push({ Key: o.key, VersionId: o.versionId, DeleteMarker: o.deleteMarker, DeleteMarkerVersionId: o.deleteMarkerVersionId });
  }
  return { status: 200, headers: {}, body: { root: 'DeleteResult', body: { Deleted: deleted, Error: errors } } };
}
