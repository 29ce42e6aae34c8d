/**
 * CopyObject: x-amz-copy-source (URL-encoded `bucket/key[?versionId=]`), the source's copy conditions (412
 * only), metadata and tagging directives, destination write conditions. The bytes are copied into a new
 * blob, so every record owns its blob outright.
 */
import { s3Error } from '../../errors/s3-errors';
import { aclFromHeaders } from '../acl';
import { digestAlgorithm, parseChecksumAlgorithm, type ChecksumAlgorithm } from '../checksums';
import { checkReadConditions, checkWriteConditions } from '../conditions';
import { contentAttributes, encryption, encryptionHeaders, objectLock, storageClass } from '../object-headers';
import { header, type S3Context, type S3Request, type S3Response } from '../operation';
import { getObject, privateAcl, requireBucket, type ObjectRecord } from '../records';
import { parseTaggingHeader } from '../tagging';
import { checkAclAllowed, commitObject, MAX_PUT_SIZE, validateKey, versionHeader, websiteRedirect, writeConditions } from './put-object';
import { readObject } from '../object-body';
import { findVersion } from '../versions';
import type { ByteRange } from '../../storage/blob-store';
import { storedContentEncoding, writeHashedBlob } from '../body';
import { customerHeaders, hasCustomerHeaders, newIv, newVerifier, readKey, writeKey } from '../sse-c';

export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

export function parseCopySource(raw: string): CopySource {
  const invalid = () => s3Error('InvalidArgument', 'Invalid copy source object key', { ArgumentName: 'x-amz-copy-source', ArgumentValue: raw });
  const q = raw.indexOf('?');
  const path = (q >= 0 ? raw.slice(0, q) : raw).replace(/^\//, '');
  let versionId: string | undefined;
  if (q >= 0) {
    const params = new URLSearchParams(raw.slice(q + 1));
    versionId = params.get('versionId') ?? undefined;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw invalid();
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw invalid();
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), versionId };
}

function directive(req: S3Request, name: string, what: string): 'COPY' | 'REPLACE' {
  const value = header(req, name) ?? 'COPY';
  if (value !== 'COPY' && value !== 'REPLACE') throw s3Error('InvalidArgument', `Unknown ${what} directive.`, { ArgumentName: name, ArgumentValue: value });
  return value;
}

export async function loadCopySource(ctx: S3Context, req: S3Request, source: CopySource): Promise<ObjectRecord> {
  const bucket = await requireBucket(ctx.store, source.bucket, ctx.accountId);
  const expectedOwner = header(req, 'x-amz-source-expected-bucket-owner');
  if (expectedOwner !== undefined && expectedOwner !== ctx.accountId) throw s3Error('AccessDenied');
  let obj: ObjectRecord | undefined;
  if (source.versionId !== undefined) {
    obj = await findVersion(ctx.store, bucket, source.key, source.versionId);
    if (!obj) throw s3Error('NoSuchVersion', undefined, { Key: source.key, VersionId: source.versionId });
    if (obj.deleteMarker) throw s3Error('InvalidRequest', 'The source of a copy request may not specifically refer to a delete marker by version id.');
  } else {
    obj = await getObject(ctx.store, source.bucket, source.key);
    if (!obj) throw s3Error('NoSuchKey', undefined, { Key: source.key });
  }
  checkReadConditions(
    {
      ifMatch: header(req, 'x-amz-copy-source-if-match'),
      ifNoneMatch: header(req, 'x-amz-copy-source-if-none-match'),
      ifModifiedSince: header(req, 'x-amz-copy-source-if-modified-since'),
      ifUnmodifiedSince: header(req, 'x-amz-copy-source-if-unmodified-since'),
    },
    obj,
    'PreconditionFailed',
  );
  return obj;
}

/**
 * Copies a blob, computing its MD5 and the checksum the destination keeps (both of the plaintext). An SSE-C
 * source is decrypted with `sourceKey`; with `encrypt` the copy is stored encrypted under the target key,
 * and `storedMd5Hex` is then the ciphertext's MD5 (the SSE-C ETag).
 */
export async function copyBlob(
  ctx: S3Context,
  src: ObjectRecord,
  algorithm: ChecksumAlgorithm,
  range?: ByteRange,
  sourceKey?: Buffer,
  encrypt?: { key: Buffer; iv: string },
) {
  const source = await readObject(ctx, src, range, sourceKey);
  const sum = digestAlgorithm(algorithm);
  const { blob, cipherMd5Hex } = await writeHashedBlob(ctx, source, ['md5', sum], encrypt);
  const md5Hex = blob.digests.get('md5')!.toString('hex');
  return { blob, md5Hex, storedMd5Hex: cipherMd5Hex ?? md5Hex, checksum: blob.digests.get(sum)!.toString('base64') };
}

export async function copyObject(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucketName = req.bucket!;
  const key = req.key!;
  const bucket = await requireBucket(ctx.store, bucketName, ctx.accountId);
  validateKey(key);
  const source = parseCopySource(header(req, 'x-amz-copy-source')!);
  const metadataDirective = directive(req, 'x-amz-metadata-directive', 'metadata');
  const taggingDirective = directive(req, 'x-amz-tagging-directive', 'tagging');
  checkAclAllowed(bucket, req);
  const changes =
    metadataDirective === 'REPLACE' ||
    header(req, 'x-amz-storage-class') !== undefined ||
    header(req, 'x-amz-website-redirect-location') !== undefined ||
    header(req, 'x-amz-server-side-encryption') !== undefined ||
    hasCustomerHeaders(req);
  if (source.bucket === bucketName && source.key === key && !changes) {
    throw s3Error(
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const customer = writeKey(ctx, req);
  const src = await loadCopySource(ctx, req, source);
  const sourceKey = readKey(ctx, req, src.ssec, true)?.key;
  if (src.size > MAX_PUT_SIZE) throw s3Error('InvalidRequest', 'The specified copy source is larger than the maximum allowable size for a copy source: 5368709120');
  const acl = aclFromHeaders(req, ctx.accountId, bucket.accountId) ?? privateAcl(ctx.accountId);
  const attributes =
    metadataDirective === 'REPLACE'
      ? contentAttributes(req, storedContentEncoding(req))
      : {
          contentType: src.contentType,
          contentEncoding: src.contentEncoding,
          contentDisposition: src.contentDisposition,
          contentLanguage: src.contentLanguage,
          cacheControl: src.cacheControl,
          expires: src.expires,
          metadata: src.metadata,
        };
  const taggingHeader = header(req, 'x-amz-tagging');
  const tags = taggingDirective === 'REPLACE' ? (taggingHeader === undefined ? [] : parseTaggingHeader(taggingHeader)) : src.tags;
  const sse = encryption(req, bucket.region, ctx.accountId);
  const klass = storageClass(req);
  const redirect = websiteRedirect(req) ?? (metadataDirective === 'COPY' ? src.websiteRedirectLocation : undefined);
  const lock = objectLock(req, bucket, true);
  const requestedAlgorithm = header(req, 'x-amz-checksum-algorithm');
  const algorithm: ChecksumAlgorithm =
    (requestedAlgorithm !== undefined ? parseChecksumAlgorithm(requestedAlgorithm) : undefined) ??
    (src.checksum ? (src.checksum.algorithm as ChecksumAlgorithm) : 'CRC64NVME');
  const conditions = writeConditions(req);
  checkWriteConditions(conditions, await getObject(ctx.store, bucketName, key), key);

  const iv = customer ? newIv() : undefined;
  const copied = await copyBlob(ctx, src, algorithm, undefined, sourceKey, customer && { key: customer.key, iv: iv! });
  const record: ObjectRecord = {
    key,
    versionId: 'null',
    blobId: copied.blob.id,
    size: copied.blob.size,
    etag: `"${copied.storedMd5Hex}"`,
    lastModified: new Date().toISOString(),
    owner: ctx.accountId,
    ...attributes,
    checksum: { algorithm, value: copied.checksum, type: 'FULL_OBJECT' },
    acl,
    sse,
    ssec: customer && { ...newVerifier(customer), iv },
    storageClass: klass,
    websiteRedirectLocation: redirect,
    tags,
    objectLock: lock,
  };
  await commitObject(ctx, bucketName, record, conditions, true);
  const headers: Record<string, string> = { ...encryptionHeaders(sse), ...customerHeaders(customer), ...versionHeader(record) };
  if (src.versionId !== 'null') headers['x-amz-copy-source-version-id'] = src.versionId;
  const checksumElement = `Checksum${algorithm}`;
  return {
    status: 200,
    headers,
    body: {
      root: 'CopyObjectResult',
      body: {
        ETag: record.etag,
        LastModified: record.lastModified,
        ChecksumType: 'FULL_OBJECT',
        [checksumElement]: requestedAlgorithm !== undefined || src.checksum ? copied.checksum : undefined,
      },
    },
  };
}
