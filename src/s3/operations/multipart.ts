/**
 * Multipart uploads: Create, UploadPart (streamed to its own blob, digests verified), UploadPartCopy,
 * Complete, Abort, ListParts, ListMultipartUploads.
 *
 * Completion is one engine transaction: it re-reads the upload and its parts, writes the object version
 * whose body is the ordered list of the part blobs (read in sequence on GET, never copied), and deletes the
 * upload and part records. Part blobs not named by the completion are deleted after the commit; so are the
 * blobs of an aborted upload. ETag: `"<hex MD5 of the concatenated binary part MD5s>-<N>"`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isAwsError } from '../../errors/aws-error';
import { s3Error } from '../../errors/s3-errors';
import { decodeKey, encodeKey } from '../../storage/tuple-key';
import { aclFromHeaders } from '../acl';
import { ingestBody, readSmallBody, requestedChecksum, storedContentEncoding, validateChecksumValue } from '../body';
import { checksumHeaderName, checksumMismatch, createHasher, parseChecksumAlgorithm, type ChecksumAlgorithm } from '../checksums';
import { checkWriteConditions } from '../conditions';
import { partKey, partsRange, uploadKey, uploadsRange } from '../keys';
import { readObject } from '../object-body';
import { contentAttributes, encryption, encryptionHeaders, objectLock, storageClass } from '../object-headers';
import { header, type S3Context, type S3Request, type S3Response } from '../operation';
import {
  encode,
  getObject,
  privateAcl,
  releaseBlobs,
  requireBucket,
  type ObjectRecord,
  type PartRecord,
  type PartRef,
  type UploadRecord,
} from '../records';
import { keyAfter, type ReadView } from '../../storage/engine';
import { parseTaggingHeader } from '../tagging';
import { newestVersion, putVersion } from '../versions';
import { childrenNamed, childText, parseXml } from '../xml-parse';
import type { XmlObject } from '../xml-tree';
import { copyBlob, loadCopySource, parseCopySource } from './copy-object';
import { customerHeaders, keyMatches, newIv, newVerifier, readKey, writeKey, type CustomerKey } from '../sse-c';
import { applyLockDefault, checkAclAllowed, declaredSize, validateKey, versionHeader, websiteRedirect, writeConditions } from './put-object';

export const MAX_PARTS = 10000;
export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_SIZE = 5 * 1024 ** 3;

const parse = <T>(value: Buffer | undefined): T | undefined => (value ? (JSON.parse(value.toString('utf8')) as T) : undefined);

/** Upload ids sort by initiation time (as S3 lists a key's uploads), then 24 random bytes. */
function newUploadId(): string {
  return Date.now().toString(16).padStart(12, '0') + randomBytes(24).toString('base64url');
}

async function requireUpload(view: ReadView, bucket: string, key: string, uploadId: string): Promise<UploadRecord> {
  const upload = parse<UploadRecord>(await view.get(uploadKey(bucket, key, uploadId)));
  if (!upload) throw s3Error('NoSuchUpload', undefined, { UploadId: uploadId });
  return upload;
}

/** The upload a part / complete / list-parts request names, with its bucket checked first. */
async function requireRequestUpload(ctx: S3Context, req: S3Request): Promise<{ bucketName: string; key: string; uploadId: string; upload: UploadRecord }> {
  const bucketName = req.bucket!;
  const key = req.key!;
  const uploadId = req.query.get('uploadId')!;
  await requireBucket(ctx.store, bucketName, ctx.accountId);
  const upload = await requireUpload(ctx.store, bucketName, key, uploadId);
  return { bucketName, key, uploadId, upload };
}

async function partsOf(view: ReadView, bucket: string, uploadId: string, after = 0, limit?: number): Promise<PartRecord[]> {
  const range = partsRange(bucket, uploadId);
  const start = after > 0 ? keyAfter(partKey(bucket, uploadId, after)) : range.start;
  const rows = await view.scan({ start, end: range.end, limit });
  return rows.map((r) => JSON.parse(r.value.toString('utf8')) as PartRecord);
}

function parsePartNumber(req: S3Request): number {
  const raw = req.query.get('partNumber') ?? '';
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_PARTS) {
    throw s3Error('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PARTS}, inclusive`, { ArgumentName: 'partNumber', ArgumentValue: raw });
  }
  return n;
}


function checksumResponseHeaders(upload: UploadRecord): Record<string, string> {
  return upload.checksum ? { 'x-amz-checksum-algorithm': upload.checksum.algorithm, 'x-amz-checksum-type': upload.checksum.type } : {};
}

/**
 * The SSE-C key a part request must carry: the one the upload was created with, or none when it had none
 * (S3's InvalidRequest either way).
 */
function customerKeyOfPart(ctx: S3Context, req: S3Request, upload: UploadRecord): CustomerKey | undefined {
  const key = writeKey(ctx, req);
  if ((key === undefined) !== (upload.ssec === undefined)) {
    throw s3Error('InvalidRequest', 'The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.');
  }
  if (key && upload.ssec && !keyMatches(upload.ssec, key)) {
    throw s3Error('InvalidRequest', 'The provided encryption parameters did not match the ones used originally.');
  }
  return key;
}

// ---------------------------------------------------------------------------------------------------------

function uploadChecksum(req: S3Request): UploadRecord['checksum'] {
  const rawAlgorithm = header(req, 'x-amz-checksum-algorithm');
  const rawType = header(req, 'x-amz-checksum-type');
  if (rawAlgorithm === undefined) {
    if (rawType !== undefined) throw s3Error('InvalidRequest', 'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
    return undefined;
  }
  const algorithm = parseChecksumAlgorithm(rawAlgorithm);
  if (!algorithm) throw s3Error('InvalidRequest', 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
  const type = rawType === undefined ? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE') : rawType.toUpperCase();
  if (type !== 'FULL_OBJECT' && type !== 'COMPOSITE') {
    throw s3Error('InvalidRequest', 'Value for x-amz-checksum-type header is invalid.');
  }
  if (type === 'COMPOSITE' && algorithm === 'CRC64NVME') throw s3Error('InvalidRequest', 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.');
  if (type === 'FULL_OBJECT' && (algorithm === 'SHA1' || algorithm === 'SHA256')) {
    throw s3Error('InvalidRequest', `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
  }
  return { algorithm, type };
}

export async function createMultipartUpload(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucketName = req.bucket!;
  const key = req.key!;
  const bucket = await requireBucket(ctx.store, bucketName, ctx.accountId);
  validateKey(key);
  checkAclAllowed(bucket, req);
  const taggingHeader = header(req, 'x-amz-tagging');
  const sse = encryption(req, bucket.region, ctx.accountId);
  const customer = writeKey(ctx, req);
  const upload: UploadRecord = {
    uploadId: newUploadId(),
    key,
    initiated: new Date().toISOString(),
    owner: ctx.accountId,
    ...contentAttributes(req, storedContentEncoding(req)),
    checksum: uploadChecksum(req),
    acl: aclFromHeaders(req, ctx.accountId, bucket.accountId) ?? privateAcl(ctx.accountId),
    sse,
    ssec: customer && newVerifier(customer),
    storageClass: storageClass(req),
    websiteRedirectLocation: websiteRedirect(req),
    tags: taggingHeader === undefined ? [] : parseTaggingHeader(taggingHeader),
    objectLock: objectLock(req, bucket, true),
  };
  await ctx.store.transact(async (tx) => {
    await requireBucket(tx, bucketName, ctx.accountId);
    tx.put(uploadKey(bucketName, key, upload.uploadId), encode(upload));
  });
  return {
    status: 200,
    headers: { ...encryptionHeaders(upload.sse), ...customerHeaders(upload.ssec), ...checksumResponseHeaders(upload) },
    body: { root: 'InitiateMultipartUploadResult', body: { Bucket: bucketName, Key: key, UploadId: upload.uploadId } },
  };
}

/** Commits a part record, replacing (and releasing) an earlier part of the same number. */
async function commitPart(ctx: S3Context, bucket: string, key: string, uploadId: string, part: PartRecord): Promise<void> {
  let released: string | undefined;
  try {
    await ctx.store.transact(async (tx) => {
      await requireBucket(tx, bucket, ctx.accountId);
      await requireUpload(tx, bucket, key, uploadId);
      const previous = parse<PartRecord>(await tx.get(partKey(bucket, uploadId, part.partNumber)));
      released = previous?.blobId;
      tx.put(partKey(bucket, uploadId, part.partNumber), encode(part));
    });
  } catch (err) {
    await releaseBlobs(ctx, [part.blobId]);
    throw err;
  }
  if (released !== undefined) await releaseBlobs(ctx, [released]);
}

export async function uploadPart(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const partNumber = parsePartNumber(req);
  const { bucketName, key, uploadId, upload } = await requireRequestUpload(ctx, req);
  const size = declaredSize(req);
  if (size > MAX_PART_SIZE) throw s3Error('EntityTooLarge', undefined, { ProposedSize: size, MaxSizeAllowed: MAX_PART_SIZE });
  const requested = requestedChecksum(req);
  const expected = upload.checksum?.algorithm as ChecksumAlgorithm | undefined;
  if (expected !== undefined && requested !== undefined && requested.algorithm !== expected) {
    throw s3Error('InvalidRequest', `Checksum Type mismatch occurred, expected checksum Type: ${expected.toLowerCase()}, actual checksum Type: ${requested.algorithm.toLowerCase()}`);
  }
  const customer = customerKeyOfPart(ctx, req, upload);
  const iv = customer ? newIv() : undefined;
  const ingested = await ingestBody(ctx, req, requested ?? (expected !== undefined ? { algorithm: expected, trailer: false } : undefined), customer && { key: customer.key, iv: iv! });
  const part: PartRecord = {
    partNumber,
    blobId: ingested.blob.id,
    size: ingested.blob.size,
    etag: `"${ingested.storedMd5Hex}"`,
    lastModified: new Date().toISOString(),
    checksum: ingested.checksum,
    iv,
  };
  await commitPart(ctx, bucketName, key, uploadId, part);
  const headers: Record<string, string> = { etag: part.etag, ...encryptionHeaders(upload.sse), ...customerHeaders(upload.ssec) };
  if (part.checksum) headers[checksumHeaderName(part.checksum.algorithm as ChecksumAlgorithm)] = part.checksum.value;
  return { status: 200, headers };
}

/** `bytes=first-last` within the source, as x-amz-copy-source-range must be. */
function copySourceRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(value.trim());
  if (!m) {
    throw s3Error('InvalidArgument', 'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', {
      ArgumentName: 'x-amz-copy-source-range',
      ArgumentValue: value,
    });
  }
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end || end >= size) {
    throw s3Error('InvalidArgument', `Range specified is not valid for source object of size: ${size}`, {
      ArgumentName: 'x-amz-copy-source-range',
      ArgumentValue: value,
    });
  }
  return { start, end };
}

export async function uploadPartCopy(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const partNumber = parsePartNumber(req);
  const { bucketName, key, uploadId, upload } = await requireRequestUpload(ctx, req);
  const source = parseCopySource(header(req, 'x-amz-copy-source')!);
  const customer = customerKeyOfPart(ctx, req, upload);
  const src = await loadCopySource(ctx, req, source);
  const sourceKey = readKey(ctx, req, src.ssec, true)?.key;
  const range = copySourceRange(header(req, 'x-amz-copy-source-range'), src.size);
  const length = range ? range.end - range.start + 1 : src.size;
  if (length > MAX_PART_SIZE) throw s3Error('EntityTooLarge', undefined, { ProposedSize: length, MaxSizeAllowed: MAX_PART_SIZE });
  const algorithm = (upload.checksum?.algorithm as ChecksumAlgorithm | undefined) ?? 'CRC32';
  const iv = customer ? newIv() : undefined;
  const copied = await copyBlob(ctx, src, algorithm, range && src.size > 0 ? range : undefined, sourceKey, customer && { key: customer.key, iv: iv! });
  const part: PartRecord = {
    partNumber,
    blobId: copied.blob.id,
    size: copied.blob.size,
    etag: `"${copied.storedMd5Hex}"`,
    lastModified: new Date().toISOString(),
    checksum: upload.checksum ? { algorithm, value: copied.checksum } : undefined,
    iv,
  };
  await commitPart(ctx, bucketName, key, uploadId, part);
  const headers: Record<string, string> = { ...encryptionHeaders(upload.sse), ...customerHeaders(upload.ssec) };
  if (src.versionId !== 'null') headers['x-amz-copy-source-version-id'] = src.versionId;
  return {
    status: 200,
    headers,
    body: {
      root: 'CopyPartResult',
      body: { ETag: part.etag, LastModified: part.lastModified, [`Checksum${algorithm}`]: part.checksum?.value },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------

interface CompletePart {
  partNumber: number;
  etag: string;
  checksum?: string;
}

function parseCompleteBody(xml: string, algorithm: ChecksumAlgorithm | undefined): CompletePart[] {
  if (xml.trim() === '') throw s3Error('MalformedXML');
  const root = parseXml(xml);
  if (root.name !== 'CompleteMultipartUpload') throw s3Error('MalformedXML');
  const parts = childrenNamed(root, 'Part').map((p) => {
    const number = childText(p, 'PartNumber');
    const etag = childText(p, 'ETag');
    if (number === undefined || etag === undefined || !/^\d+$/.test(number.trim())) throw s3Error('MalformedXML');
    return { partNumber: Number(number.trim()), etag: etag.trim(), checksum: algorithm ? childText(p, `Checksum${algorithm}`)?.trim() : undefined };
  });
  if (parts.length === 0) throw s3Error('MalformedXML');
  return parts;
}

const bareEtag = (etag: string): string => etag.replace(/^"|"$/g, '');

/** Checks the listed parts against the stored ones; returns the stored parts in order. */
function matchParts(listed: CompletePart[], stored: Map<number, PartRecord>, upload: UploadRecord): PartRecord[] {
  const out: PartRecord[] = [];
  let previous = 0;
  for (const p of listed) {
    if (p.partNumber < 1 || p.partNumber > MAX_PARTS) {
      throw s3Error('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PARTS}, inclusive`, { ArgumentName: 'partNumber', ArgumentValue: String(p.partNumber) });
    }
    if (p.partNumber <= previous) throw s3Error('InvalidPartOrder', undefined, { UploadId: upload.uploadId });
    previous = p.partNumber;
  }
  listed.forEach((p) => {
    const part = stored.get(p.partNumber);
    if (!part || bareEtag(part.etag) !== bareEtag(p.etag)) {
      throw s3Error('InvalidPart', undefined, { UploadId: upload.uploadId, PartNumber: p.partNumber, ETag: p.etag });
    }
    if (upload.checksum?.type === 'COMPOSITE') {
      if (p.checksum === undefined) {
        throw s3Error('InvalidRequest', `The upload was created using a ${upload.checksum.algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${p.partNumber} in the request.`);
      }
    }
    if (p.checksum !== undefined && part.checksum?.value !== p.checksum) {
      throw s3Error('InvalidPart', undefined, { UploadId: upload.uploadId, PartNumber: p.partNumber, ETag: p.etag });
    }
    out.push(part);
  });
  // Sizes are checked once every listed part is known to exist.
  out.forEach((part, i) => {
    if (i < out.length - 1 && part.size < MIN_PART_SIZE) {
      throw s3Error('EntityTooSmall', undefined, { ProposedSize: part.size, MinSizeAllowed: MIN_PART_SIZE, PartNumber: part.partNumber, ETag: bareEtag(part.etag) });
    }
  });
  return out;
}

function multipartEtag(parts: PartRecord[]): string {
  const md5 = createHash('md5');
  for (const p of parts) md5.update(Buffer.from(bareEtag(p.etag), 'hex'));
  return `"${md5.digest('hex')}-${parts.length}"`;
}

/** The checksum of a composite upload: the algorithm over the concatenated binary part checksums, then `-N`. */
function compositeChecksum(algorithm: ChecksumAlgorithm, parts: PartRecord[]): string {
  const hasher = createHasher(algorithm);
  for (const p of parts) hasher.update(Buffer.from(p.checksum?.value ?? '', 'base64'));
  return `${hasher.digest().toString('base64')}-${parts.length}`;
}

/** A full-object checksum: the parts' bytes read through once (only for uploads that asked for one). */
async function fullObjectChecksum(ctx: S3Context, algorithm: ChecksumAlgorithm, parts: PartRecord[], upload: UploadRecord, key?: Buffer): Promise<string> {
  const sum = createHasher(algorithm);
  const size = parts.reduce((n, p) => n + p.size, 0);
  const asObject = { parts: parts.map((p) => ({ blobId: p.blobId, size: p.size, etag: p.etag, iv: p.iv })), size, blobId: '', ssec: upload.ssec };
  for await (const chunk of await readObject(ctx, asObject, undefined, key)) sum.update(chunk as Buffer);
  return sum.digest().toString('base64');
}

/**
 * CompleteMultipartUpload. Completing an upload that is already complete answers as the first completion did,
 * even with If-None-Match: *, for as long as the object it made is the key's newest version (moto's
 * aws_verified test of S3); otherwise the upload is gone: NoSuchUpload.
 */
export async function completeMultipartUpload(ctx: S3Context, req: S3Request): Promise<S3Response> {
  try {
    return await completeUpload(ctx, req);
  } catch (err) {
    if (!isAwsError(err) || err.code !== 'NoSuchUpload') throw err;
    const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
    const made = await newestVersion(ctx.store, bucket, req.key!);
    if (made === undefined || made.deleteMarker || made.uploadId !== req.query.get('uploadId')) throw err;
    return completedAnswer(req, made);
  }
}

async function completeUpload(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const { bucketName, key, uploadId, upload } = await requireRequestUpload(ctx, req);
  const algorithm = upload.checksum?.algorithm as ChecksumAlgorithm | undefined;
  const conditions = writeConditions(req);
  const listed = parseCompleteBody((await readSmallBody(req, 10 * 1024 * 1024)).toString('utf8'), algorithm);
  if (listed.length > MAX_PARTS) throw s3Error('MalformedXML');

  // Validate against the parts as they are now; the commit re-checks that none changed meanwhile.
  const stored = new Map((await partsOf(ctx.store, bucketName, uploadId)).map((p) => [p.partNumber, p]));
  const chosen = matchParts(listed, stored, upload);
  let checksum: ObjectRecord['checksum'];
  if (upload.checksum && algorithm) {
    if (upload.checksum.type === 'COMPOSITE') {
      checksum = { algorithm, value: compositeChecksum(algorithm, chosen), type: 'COMPOSITE' };
    } else {
      // The parts of an SSE-C upload are ciphertext: reading them needs the key, which S3 also asks
      // CompleteMultipartUpload for when the upload was created with a checksum algorithm.
      const value = await fullObjectChecksum(ctx, algorithm, chosen, upload, upload.ssec ? customerKeyOfPart(ctx, req, upload)!.key : undefined);
      const sent = header(req, checksumHeaderName(algorithm));
      if (sent !== undefined) {
        validateChecksumValue(algorithm, sent);
        if (sent !== value) throw checksumMismatch(algorithm);
      }
      checksum = { algorithm, value, type: 'FULL_OBJECT' };
    }
  }
  const parts: PartRef[] = chosen.map((p) => ({ blobId: p.blobId, size: p.size, etag: p.etag, checksum: p.checksum?.value, iv: p.iv }));
  const record: ObjectRecord = {
    key,
    versionId: 'null',
    blobId: '',
    size: parts.reduce((n, p) => n + p.size, 0),
    etag: multipartEtag(chosen),
    lastModified: new Date().toISOString(),
    owner: upload.owner,
    contentType: upload.contentType,
    contentEncoding: upload.contentEncoding,
    contentDisposition: upload.contentDisposition,
    contentLanguage: upload.contentLanguage,
    cacheControl: upload.cacheControl,
    expires: upload.expires,
    metadata: upload.metadata,
    checksum,
    acl: upload.acl,
    sse: upload.sse,
    ssec: upload.ssec,
    storageClass: upload.storageClass,
    websiteRedirectLocation: upload.websiteRedirectLocation,
    tags: upload.tags,
    objectLock: upload.objectLock,
    parts,
    uploadId,
  };
  let released: string[] = [];
  await ctx.store.transact(async (tx) => {
    released = [];
    const bucket = await requireBucket(tx, bucketName, ctx.accountId);
    await requireUpload(tx, bucketName, key, uploadId);
    const now = await partsOf(tx, bucketName, uploadId);
    const byNumber = new Map(now.map((p) => [p.partNumber, p]));
    for (const p of chosen) {
      if (byNumber.get(p.partNumber)?.blobId !== p.blobId) throw s3Error('InvalidPart', undefined, { UploadId: uploadId, PartNumber: p.partNumber, ETag: p.etag });
    }
    checkWriteConditions(conditions, await getObject(tx, bucketName, key), key);
    const used = new Set(chosen.map((p) => p.blobId));
    for (const p of now) if (!used.has(p.blobId)) released.push(p.blobId);
    applyLockDefault(bucket, record);
    released.push(...(await putVersion(tx, bucket, record)));
    tx.delete(uploadKey(bucketName, key, uploadId));
    const range = partsRange(bucketName, uploadId);
    tx.deleteRange(range.start, range.end);
  });
  await releaseBlobs(ctx, released);
  return completedAnswer(req, record);
}

/** The answer to a completion, from the object it made. */
function completedAnswer(req: S3Request, record: ObjectRecord): S3Response {
  const host = header(req, 'host') ?? 'localhost';
  const location = `http://${host}/${req.bucket!}/${encodeURIComponent(record.key).replace(/%2F/g, '/')}`;
  const checksum = record.checksum;
  return {
    status: 200,
    headers: { ...encryptionHeaders(record.sse), ...customerHeaders(record.ssec), ...versionHeader(record) },
    body: {
      root: 'CompleteMultipartUploadResult',
      body: {
        Location: location,
        Bucket: req.bucket!,
        Key: record.key,
        ETag: record.etag,
        ...(checksum ? { [`Checksum${checksum.algorithm}`]: checksum.value, ChecksumType: checksum.type } : {}),
      },
    },
  };
}

export async function abortMultipartUpload(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucketName = req.bucket!;
  const key = req.key!;
  const uploadId = req.query.get('uploadId')!;
  await requireBucket(ctx.store, bucketName, ctx.accountId);
  const released = await ctx.store.transact(async (tx) => {
    await requireUpload(tx, bucketName, key, uploadId);
    const parts = await partsOf(tx, bucketName, uploadId);
    tx.delete(uploadKey(bucketName, key, uploadId));
    const range = partsRange(bucketName, uploadId);
    tx.deleteRange(range.start, range.end);
    return parts.map((p) => p.blobId);
  });
  await releaseBlobs(ctx, released);
  return { status: 204, headers: {} };
}

// ---------------------------------------------------------------------------------------------------------

function maxParam(req: S3Request, name: string, fallback: number): number {
  const raw = req.query.get(name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 2147483647) {
    throw s3Error('InvalidArgument', `Provided ${name} not an integer or within integer range`, { ArgumentName: name, ArgumentValue: raw });
  }
  return Math.min(Number(raw), fallback);
}

export async function listParts(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const { bucketName, key, uploadId, upload } = await requireRequestUpload(ctx, req);
  const maxParts = maxParam(req, 'max-parts', 1000);
  const markerText = req.query.get('part-number-marker') ?? '0';
  if (!/^\d+$/.test(markerText)) {
    throw s3Error('InvalidArgument', 'Provided part-number-marker not an integer or within integer range', { ArgumentName: 'part-number-marker', ArgumentValue: markerText });
  }
  const marker = Number(markerText);
  const page = await partsOf(ctx.store, bucketName, uploadId, marker, maxParts + 1);
  const truncated = page.length > maxParts;
  const shown = page.slice(0, maxParts);
  const who = { ID: upload.owner, DisplayName: ctx.accessKeyId };
  const body: XmlObject = {
    Bucket: bucketName,
    Key: key,
    UploadId: uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: shown.length ? shown[shown.length - 1]!.partNumber : 0,
    MaxParts: maxParts,
    IsTruncated: truncated,
    Part: shown.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: p.lastModified,
      ETag: p.etag,
      Size: p.size,
      ...(p.checksum && upload.checksum ? { [`Checksum${p.checksum.algorithm}`]: p.checksum.value } : {}),
    })),
    Initiator: who,
    Owner: who,
    StorageClass: upload.storageClass,
    ChecksumAlgorithm: upload.checksum?.algorithm,
    ChecksumType: upload.checksum?.type,
  };
  return { status: 200, headers: {}, body: { root: 'ListPartsResult', body } };
}

const uploadStem = (bucket: string, text: string): Buffer => encodeKey(['s3', 'upload', bucket, text]).subarray(0, -1);
const pastUploadPrefix = (bucket: string, text: string): Buffer => Buffer.concat([uploadStem(bucket, text), Buffer.from([0xff])]);

export async function listMultipartUploads(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucketName = req.bucket!;
  await requireBucket(ctx.store, bucketName, ctx.accountId);
  const maxUploads = maxParam(req, 'max-uploads', 1000);
  const prefix = req.query.get('prefix') ?? '';
  const delimiter = req.query.get('delimiter') ?? '';
  const keyMarker = req.query.get('key-marker') ?? '';
  const uploadIdMarker = req.query.get('upload-id-marker') ?? '';
  const encodingType = req.query.get('encoding-type');
  if (encodingType !== undefined && encodingType.toLowerCase() !== 'url') {
    throw s3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type', ArgumentValue: encodingType });
  }
  const enc = encodingType !== undefined ? (t: string) => encodeURIComponent(t).replace(/%2F/g, '/').replace(/%20/g, '+') : (t: string) => t;
  const range = uploadsRange(bucketName);
  let start = prefix === '' ? range.start : uploadStem(bucketName, prefix);
  const end = prefix === '' ? range.end : pastUploadPrefix(bucketName, prefix);
  if (keyMarker !== '') {
    const resume =
      uploadIdMarker !== ''
        ? keyAfter(uploadKey(bucketName, keyMarker, uploadIdMarker))
        : delimiter !== '' && keyMarker.endsWith(delimiter)
          ? pastUploadPrefix(bucketName, keyMarker)
          : Buffer.concat([encodeKey(['s3', 'upload', bucketName, keyMarker]), Buffer.from([0x02])]);
    if (Buffer.compare(resume, start) > 0) start = resume;
  }
  const uploads: UploadRecord[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let nextKey: string | undefined;
  let nextUploadId: string | undefined;
  outer: while (Buffer.compare(start, end) < 0) {
    const batch = await ctx.store.scan({ start, end, limit: 1000 });
    if (batch.length === 0) break;
    let jumped = false;
    for (const entry of batch) {
      const parts = decodeKey(entry.key);
      const key = parts[3]!.toString('utf8');
      if (uploads.length + prefixes.length === maxUploads) {
        truncated = true;
        break outer;
      }
      const rest = key.slice(prefix.length);
      const cut = delimiter === '' ? -1 : rest.indexOf(delimiter);
      if (cut >= 0) {
        const common = prefix + rest.slice(0, cut + delimiter.length);
        prefixes.push(common);
        nextKey = common;
        nextUploadId = undefined;
        start = pastUploadPrefix(bucketName, common);
        jumped = true;
        break;
      }
      const upload = JSON.parse(entry.value.toString('utf8')) as UploadRecord;
      uploads.push(upload);
      nextKey = key;
      nextUploadId = upload.uploadId;
      start = keyAfter(entry.key);
    }
    if (!jumped && batch.length < 1000) break;
  }
  const body: XmlObject = {
    Bucket: bucketName,
    KeyMarker: enc(keyMarker),
    UploadIdMarker: uploadIdMarker,
    NextKeyMarker: truncated && nextKey !== undefined ? enc(nextKey) : undefined,
    NextUploadIdMarker: truncated ? nextUploadId : undefined,
    Delimiter: delimiter === '' ? undefined : enc(delimiter),
    Prefix: enc(prefix),
    MaxUploads: maxUploads,
    IsTruncated: truncated,
    EncodingType: encodingType?.toLowerCase(),
    Upload: uploads.map((u) => ({
      Key: enc(u.key),
      UploadId: u.uploadId,
      Initiator: { ID: u.owner, DisplayName: ctx.accessKeyId },
      Owner: { ID: u.owner, DisplayName: ctx.accessKeyId },
      StorageClass: u.storageClass,
      Initiated: u.initiated,
      ChecksumAlgorithm: u.checksum?.algorithm,
      ChecksumType: u.checksum?.type,
    })),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
  };
  return { status: 200, headers: {}, body: { root: 'ListMultipartUploadsResult', body } };
}

