/**
 * S3 metadata key layout in the ordered KV store (tuples encoded by storage/tuple-key, so byte order is
 * tuple order and an object key sorts by its UTF-8 bytes, which is S3's listing order):
 *
 *   ('s3', 'bucket', <bucket>)                        → BucketRecord JSON. Bucket names are global, as in S3.
 *   ('s3', 'object', <bucket>, <key>)                 → ObjectRecord JSON of the key's CURRENT version: the
 *                                                       one GET/HEAD/List answer. Absent when the key has no
 *                                                       current version (deleted, or a delete marker is newest).
 *   ('s3', 'version', <bucket>, <key>, <inv-seq>)     → ObjectRecord JSON of every version (part 2: versioning).
 *                                                       <inv-seq> is 16 hex digits of (2^64-1 - seq), seq a
 *                                                       per-bucket counter, so a key's versions scan newest
 *                                                       first; delete markers are records with `deleteMarker`.
 *   ('s3', 'upload', <bucket>, <key>, <uploadId>)     → multipart upload (part 2), parts under it.
 *
 * Unversioned buckets (everything in part 1) keep only the 'object' record, with versionId 'null'; when
 * versioning is enabled, writers put both the version record and the current copy in one transaction, so
 * GET and listings never have to chase a pointer. Object bodies are blobs (storage/blob-store) named by
 * `blobId`; a blob is deleted only after the last record naming it is gone.
 */
import { encodeKey, prefixRange } from '../storage/tuple-key';

export const bucketKey = (bucket: string): Buffer => encodeKey(['s3', 'bucket', bucket]);
export const objectKey = (bucket: string, key: string): Buffer => encodeKey(['s3', 'object', bucket, key]);
export const objectsRange = (bucket: string): { start: Buffer; end: Buffer } => prefixRange(['s3', 'object', bucket]);
export const versionsRange = (bucket: string): { start: Buffer; end: Buffer } => prefixRange(['s3', 'version', bucket]);
export const uploadsRange = (bucket: string): { start: Buffer; end: Buffer } => prefixRange(['s3', 'upload', bucket]);
/** The start key of the objects of `bucket` from `key` on (inclusive), for listings that resume. */
export const objectKeyFrom = (bucket: string, key: string): Buffer => objectKey(bucket, key);
