/** The JSON records S3 keeps in the engine (layout in keys.ts). */
import type { BlobStore } from '../storage/blob-store';
import type { Transaction, ReadView } from '../storage/engine';
import { decodeKey } from '../storage/tuple-key';
import { bucketKey, objectKey } from './keys';
import { s3Error } from '../errors/s3-errors';
import type { CustomerKeyVerifier } from './sse-c';

export interface Grant {
  /** `CanonicalUser` (id), `Group` (uri) or `AmazonCustomerByEmail` (email). */
  type: 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail';
  id?: string;
  uri?: string;
  email?: string;
  displayName?: string;
  permission: 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
}

export interface Acl {
  owner: string;
  grants: Grant[];
}

export interface BucketRecord {
  name: string;
  accountId: string;
  region: string;
  createdAt: string;
  objectLockEnabled?: boolean;
  acl?: Acl;
  objectOwnership?: string;
  /** 'Enabled' | 'Suspended'; absent means never versioned. */
  versioning?: string;
  /** Bucket tags (PutBucketTagging); absent means no tag set. */
  tags?: [string, string][];
  /** Object Lock default retention (PutObjectLockConfiguration). */
  lockDefault?: { mode: string; days?: number; years?: number };
}

/** What an object's headers say of its content, fixed at PutObject / CreateMultipartUpload / CopyObject. */
export interface ContentAttributes {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  /** The Expires header as given (S3 echoes it as a string). */
  expires?: string;
  metadata: Record<string, string>;
}

export interface ObjectRecord extends ContentAttributes {
  key: string;
  versionId: string;
  blobId: string;
  size: number;
  /** Quoted, as sent in ETag headers. */
  etag: string;
  lastModified: string;
  owner: string;
  checksum?: { algorithm: string; value: string; type: 'FULL_OBJECT' | 'COMPOSITE' };
  acl: Acl;
  sse?: { algorithm: string; kmsKeyId?: string; context?: string; bucketKeyEnabled?: boolean };
  /**
   * SSE-C (sse-c.ts): the body is ciphertext under the customer's key, recognized by this verifier; `iv` is
   * the single blob's initial counter block (each part of a multipart object has its own `iv`).
   */
  ssec?: CustomerKeyVerifier & { iv?: string };
  storageClass: string;
  websiteRedirectLocation?: string;
  tags: [string, string][];
  objectLock?: { mode?: string; retainUntilDate?: string; legalHold?: string };
  /** A delete marker version has no body (blobId ''). */
  deleteMarker?: boolean;
  /** Versioned buckets: the version's per-key sequence number (keys.ts); absent means 0. */
  seq?: number;
  /**
   * A completed multipart upload: its part blobs in order (blobId is then ''). The body is their
   * concatenation, read in sequence, never copied.
   */
  parts?: PartRef[];
  /** The multipart upload that made it, so that completing that upload again answers as the first time did. */
  uploadId?: string;
}

export interface PartRef {
  blobId: string;
  size: number;
  /** The part's quoted ETag. */
  etag: string;
  checksum?: string;
  /** SSE-C: the part blob's initial counter block. */
  iv?: string;
}

/** An in-progress multipart upload: what CreateMultipartUpload fixed for the object it will make. */
export interface UploadRecord extends ContentAttributes {
  uploadId: string;
  key: string;
  initiated: string;
  owner: string;
  checksum?: { algorithm: string; type: 'FULL_OBJECT' | 'COMPOSITE' };
  acl: Acl;
  sse?: ObjectRecord['sse'];
  /** SSE-C: every part must be uploaded with this key. */
  ssec?: CustomerKeyVerifier;
  storageClass: string;
  websiteRedirectLocation?: string;
  tags: [string, string][];
  objectLock?: ObjectRecord['objectLock'];
}

export interface PartRecord {
  partNumber: number;
  blobId: string;
  size: number;
  etag: string;
  lastModified: string;
  checksum?: { algorithm: string; value: string };
  /** SSE-C: the part blob's initial counter block. */
  iv?: string;
}

/**
 * Deletes blobs that no committed record names any more, after the commit that dropped them. A failed delete
 * only leaves an orphan file, which the next start's sweep (reclaim.ts) removes, so it is not reported.
 */
export function releaseBlobs(ctx: { blobs: Pick<BlobStore, 'delete'> }, ids: readonly string[]): Promise<unknown> {
  return Promise.all(ids.map((id) => ctx.blobs.delete(id).catch(() => undefined)));
}

/** Every blob a record's body lives in. */
export function blobIdsOf(record: Pick<ObjectRecord, 'blobId' | 'parts'> | undefined): string[] {
  if (!record) return [];
  if (record.parts) return record.parts.map((p) => p.blobId);
  return record.blobId === '' ? [] : [record.blobId];
}

const parse = <T>(value: Buffer | undefined): T | undefined => (value ? (JSON.parse(value.toString('utf8')) as T) : undefined);
export const encode = (record: unknown): Buffer => Buffer.from(JSON.stringify(record), 'utf8');

type DecodingView = ReadView & { getDecoded?<T>(key: Buffer, decode: (value: Buffer) => T): Promise<T | undefined> };

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const decodeShared = (value: Buffer): object => deepFreeze(JSON.parse(value.toString('utf8')) as object);

/**
 * A bucket or object record. Nearly every request reads its bucket's record and every GET its object's, and
 * both change rarely: an engine that can (`getDecoded`) keeps the parsed record until a commit rewrites
 * it, so most reads neither query nor parse. That record is shared and frozen, so callers get a copy of its
 * top level to change (writers replace nested values, never change them in place).
 */
async function readRecord<T extends object>(view: ReadView, key: Buffer): Promise<T | undefined> {
  const decoding = view as DecodingView;
  if (!decoding.getDecoded) return parse<T>(await view.get(key));
  const shared = (await decoding.getDecoded(key, decodeShared)) as T | undefined;
  return shared && { ...shared };
}

export async function getBucket(view: ReadView, name: string): Promise<BucketRecord | undefined> {
  return readRecord<BucketRecord>(view, bucketKey(name));
}

/** The bucket, or NoSuchBucket. Access is by account: another account's bucket is AccessDenied, as in S3. */
export async function requireBucket(view: ReadView, name: string, accountId: string): Promise<BucketRecord> {
  const bucket = await getBucket(view, name);
  if (!bucket) throw s3Error('NoSuchBucket', undefined, { BucketName: name });
  if (bucket.accountId !== accountId) throw s3Error('AccessDenied');
  return bucket;
}

export async function getObject(view: ReadView, bucket: string, key: string): Promise<ObjectRecord | undefined> {
  return readRecord<ObjectRecord>(view, objectKey(bucket, key));
}

export function putObjectRecord(tx: Transaction, bucket: string, record: ObjectRecord): void {
  tx.put(objectKey(bucket, record.key), encode(record));
}

export function parseObjectEntry(value: Buffer): ObjectRecord {
  return JSON.parse(value.toString('utf8')) as ObjectRecord;
}

/** The object key of an ('s3','object',bucket,key) engine key. */
export function keyOfEntry(key: Buffer): string {
  return decodeKey(key)[3]!.toString('utf8');
}

export function privateAcl(owner: string): Acl {
  return { owner, grants: [{ type: 'CanonicalUser', id: owner, permission: 'FULL_CONTROL' }] };
}
