/**
 * S3 metadata key layout in the ordered KV store (tuples encoded by storage/tuple-key, so byte order is
 * tuple order and an object key sorts by its UTF-8 bytes, which is S3's listing order):
 *
 *   ('s3', 'bucket', <bucket>)                        → BucketRecord JSON. Bucket names are global, as in S3.
 *   ('s3', 'object', <bucket>, <key>)                 → ObjectRecord JSON of the key's CURRENT version: the
 *                                                       one GET/HEAD/List answer. Absent when the key has no
 *                                                       current version (deleted, or a delete marker is newest).
 *   ('s3', 'version', <bucket>, <key>, <inv-seq>)     → ObjectRecord JSON of every version (versioned buckets).
 *                                                       <inv-seq> is 16 hex digits of (2^64-1 - seq), seq a
 *                                                       per-key counter (newest version's seq + 1; a version
 *                                                       written before versioning was enabled has seq 0), so
 *                                                       a key's versions scan newest first; delete markers are
 *                                                       records with `deleteMarker`. A version id starts with
 *                                                       the 16 hex digits of its seq, so it names its key.
 *   ('s3', 'upload', <bucket>, <key>, <uploadId>)     → UploadRecord JSON of an in-progress multipart upload.
 *   ('s3', 'part', <bucket>, <uploadId>, <part#5>)    → PartRecord JSON of each uploaded part (<part#5> is the
 *                                                       zero-padded part number), kept apart from the uploads
 *                                                       so ListMultipartUploads never scans parts.
 *
 * Unversioned buckets keep only the 'object' record, with versionId 'null'; once versioning is enabled
 * (PutBucketVersioning writes a version record, seq 0, for every existing object), writers put both the
 * version record and the current copy in one transaction, so GET and listings never chase a pointer. Object bodies are blobs (storage/blob-store) named by
 * `blobId` (or, for a completed multipart upload, the ordered part blobs in `parts`); a blob is deleted
 * only after the last record naming it is gone.
 */
import { encodeKey, prefixRange } from '../storage/tuple-key';

export const bucketKey = (bucket: string): Buffer => encodeKey(['s3', 'bucket', bucket]);
export const objectKey = (bucket: string, key: string): Buffer => encodeKey(['s3', 'object', bucket, key]);
export const objectsRange = (bucket: string): { start: Buffer; end: Buffer } => prefixRange(['s3', 'object', bucket]);
export const versionsRange = (bucket: string): { start: Buffer; end: Buffer } => prefixRange(['s3', 'version', bucket]);
export const uploadsRange = (bucket: string): { start: Buffer; end: Buffer } => prefixRange(['s3', 'upload', bucket]);
/** The start key of the objects of `bucket` from `key` on (inclusive), for listings that resume. */
export const objectKeyFrom = (bucket: string, key: string): Buffer => objectKey(bucket, key);

const MAX_SEQ = (1n << 64n) - 1n;
/** 16 hex digits of (2^64-1 - seq): newest first in key order. */
export const invSeq = (seq: number): string => (MAX_SEQ - BigInt(seq)).toString(16).padStart(16, '0');
export const seqOfInv = (inv: string): number => Number(MAX_SEQ - BigInt(`0x${inv}`));
export const versionKey = (bucket: string, key: string, seq: number): Buffer => encodeKey(['s3', 'version', bucket, key, invSeq(seq)]);
/** Every version of one key, newest first. */
export const keyVersionsRange = (bucket: string, key: string): { start: Buffer; end: Buffer } => prefixRange(['s3', 'version', bucket, key]);
export const uploadKey = (bucket: string, key: string, uploadId: string): Buffer => encodeKey(['s3', 'upload', bucket, key, uploadId]);
export const partKey = (bucket: string, uploadId: string, partNumber: number): Buffer =>
  encodeKey(['s3', 'part', bucket, uploadId, String(partNumber).padStart(5, '0')]);
export const partsRange = (bucket: string, uploadId: string): { start: Buffer; end: Buffer } => prefixRange(['s3', 'part', bucket, uploadId]);
export const bucketPartsRange = (bucket: string): { start: Buffer; end: Buffer } => prefixRange(['s3', 'part', bucket]);
