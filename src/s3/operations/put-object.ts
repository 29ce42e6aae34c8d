/**
 * PutObject: every header of the operation validated before the body is read, the body streamed into a blob
 * while its digests are checked, then the record committed in one transaction (conditions re-checked there).
 */
import { s3Error } from '../../errors/s3-errors';
import { aclFromHeaders } from '../acl';
import { ingestBody, requestedChecksum, requestedMd5, storedContentEncoding } from '../body';
import { checkWriteConditions } from '../conditions';
import { contentAttributes, encryption, encryptionHeaders, objectLock, storageClass } from '../object-headers';
import { header, type S3Context, type S3Request, type S3Response } from '../operation';
import { blobIdsOf, getObject, privateAcl, releaseBlobs, requireBucket, type BucketRecord, type ObjectRecord } from '../records';
import { putVersion } from '../versions';
import { parseTaggingHeader } from '../tagging';
import { checksumHeaderName } from '../checksums';
import { customerHeaders, newIv, newVerifier, writeKey } from '../sse-c';

export const MAX_PUT_SIZE = 5 * 1024 ** 3;
const MAX_KEY_BYTES = 1024;

export function validateKey(key: string): void {
  const size = Buffer.byteLength(key, 'utf8');
  if (size > MAX_KEY_BYTES) throw s3Error('KeyTooLongError', undefined, { Size: size, MaxSizeAllowed: MAX_KEY_BYTES });
}

export function writeConditions(req: S3Request): { ifMatch?: string; ifNoneMatch?: string } {
  const ifNoneMatch = header(req, 'if-none-match');
  // S3 supports only the create-only form of If-None-Match on writes.
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') {
    throw s3Error('NotImplemented', undefined, { Header: 'If-None-Match', additionalMessage: 'We don\'t accept the provided value of If-None-Match header for this API' });
  }
  return { ifMatch: header(req, 'if-match'), ifNoneMatch };
}

export function websiteRedirect(req: S3Request): string | undefined {
  const value = header(req, 'x-amz-website-redirect-location');
  if (value !== undefined && !/^(\/|https?:\/\/)/.test(value)) {
    throw s3Error('InvalidRedirectLocation', 'The website redirect location must have a prefix of \'http://\' or \'https://\' or \'/\'.');
  }
  return value;
}

export function checkAclAllowed(bucket: BucketRecord, req: S3Request): void {
  const canned = header(req, 'x-amz-acl');
  const grants = Object.keys(req.headers).some((h) => h.startsWith('x-amz-grant-'));
  if (bucket.objectOwnership === 'BucketOwnerEnforced' && (grants || (canned !== undefined && canned !== 'bucket-owner-full-control'))) {
    throw s3Error('AccessControlListNotSupported');
  }
}

export function declaredSize(req: S3Request): number {
  const decoded = header(req, 'x-amz-decoded-content-length');
  const length = decoded ?? header(req, 'content-length');
  if (length === undefined) throw s3Error('MissingContentLength');
  const size = Number(length);
  if (!Number.isSafeInteger(size) || size < 0) throw s3Error('InvalidArgument', undefined, { ArgumentName: 'Content-Length', ArgumentValue: length });
  if (size > MAX_PUT_SIZE) throw s3Error('EntityTooLarge', undefined, { ProposedSize: size, MaxSizeAllowed: MAX_PUT_SIZE });
  return size;
}

/** Applies the bucket's default Object Lock retention to a new version that names none. */
export function applyLockDefault(bucket: BucketRecord, record: ObjectRecord): void {
  const d = bucket.lockDefault;
  if (!d || record.deleteMarker || record.objectLock?.mode !== undefined) return;
  const until = new Date();
  if (d.days !== undefined) until.setUTCDate(until.getUTCDate() + d.days);
  if (d.years !== undefined) until.setUTCFullYear(until.getUTCFullYear() + d.years);
  record.objectLock = { ...record.objectLock, mode: d.mode, retainUntilDate: until.toISOString() };
}

/**
 * Commits a new version (the current one, in an unversioned bucket, is replaced), re-checking the write
 * conditions; the blobs it released are deleted after the commit, and the record's own blobs if it fails.
 * Sets `record.versionId`.
 */
export async function commitObject(
  ctx: S3Context,
  bucketName: string,
  record: ObjectRecord,
  conditions: { ifMatch?: string; ifNoneMatch?: string },
  earlierCheckPassed: boolean,
): Promise<void> {
  let released: string[] = [];
  try {
    await ctx.store.transact(async (tx) => {
      const bucket = await requireBucket(tx, bucketName, ctx.accountId);
      const current = await getObject(tx, bucketName, record.key);
      try {
        checkWriteConditions(conditions, current, record.key);
      } catch (err) {
        // The object changed while the body was uploading: S3 calls that a conflict, not a failed condition.
        if (earlierCheckPassed && (conditions.ifMatch !== undefined || conditions.ifNoneMatch !== undefined)) {
          throw s3Error('ConditionalRequestConflict');
        }
        throw err;
      }
      applyLockDefault(bucket, record);
      released = await putVersion(tx, bucket, record);
    });
  } catch (err) {
    await releaseBlobs(ctx, blobIdsOf(record));
    throw err;
  }
  await releaseBlobs(ctx, released);
}

/** x-amz-version-id for a version of a versioned bucket. */
export function versionHeader(record: ObjectRecord): Record<string, string> {
  return record.versionId === 'null' || record.versionId === '' ? {} : { 'x-amz-version-id': record.versionId };
}

export async function putObject(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucketName = req.bucket!;
  const key = req.key!;
  const bucket = await requireBucket(ctx.store, bucketName, ctx.accountId);
  validateKey(key);
  declaredSize(req);
  checkAclAllowed(bucket, req);
  const acl = aclFromHeaders(req, ctx.accountId, bucket.accountId) ?? privateAcl(ctx.accountId);
  const attributes = contentAttributes(req, storedContentEncoding(req));
  const sse = encryption(req, bucket.region, ctx.accountId);
  const customer = writeKey(ctx, req);
  const klass = storageClass(req);
  const redirect = websiteRedirect(req);
  const taggingHeader = header(req, 'x-amz-tagging');
  const tags = taggingHeader === undefined ? [] : parseTaggingHeader(taggingHeader);
  const checksum = requestedChecksum(req);
  const md5 = requestedMd5(req);
  const lock = objectLock(req, bucket, md5 !== undefined || checksum !== undefined);
  const conditions = writeConditions(req);
  checkWriteConditions(conditions, await getObject(ctx.store, bucketName, key), key);

  // S3 computes a CRC64NVME checksum for objects uploaded without one.
  const iv = customer ? newIv() : undefined;
  const ingested = await ingestBody(ctx, req, checksum ?? { algorithm: 'CRC64NVME', trailer: false }, customer && { key: customer.key, iv: iv! });
  const record: ObjectRecord = {
    key,
    versionId: 'null',
    blobId: ingested.blob.id,
    size: ingested.blob.size,
    // An SSE-C object's ETag is not the MD5 of its data (S3's is opaque): here, the ciphertext's MD5.
    etag: `"${ingested.storedMd5Hex}"`,
    lastModified: new Date().toISOString(),
    owner: ctx.accountId,
    ...attributes,
    checksum: ingested.checksum && { ...ingested.checksum, type: 'FULL_OBJECT' },
    acl,
    sse,
    ssec: customer && { ...newVerifier(customer), iv },
    storageClass: klass,
    websiteRedirectLocation: redirect,
    tags,
    objectLock: lock,
  };
  await commitObject(ctx, bucketName, record, conditions, true);
  const headers: Record<string, string> = { etag: record.etag, ...encryptionHeaders(sse), ...customerHeaders(customer), ...versionHeader(record) };
  if (checksum && record.checksum) {
    headers[checksumHeaderName(checksum.algorithm)] = record.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return { status: 200, headers };
}
