/**
 * Version-aware writes and lookups, used inside engine transactions (layout in keys.ts).
 *
 * - Never-versioned bucket: only the current ('object') record, versionId 'null'; a write replaces it.
 * - Versioning Enabled: every write adds a version with a new id; a delete without versionId adds a
 *   delete marker. The 'object' record mirrors the newest version unless that is a marker.
 * - Versioning Suspended: writes and deletes replace the key's 'null' version (which becomes newest).
 * - Deleting a specific version removes it for good and promotes the next newest to current.
 *
 * Writers return the blobs that are no longer referenced; the caller deletes them after the commit.
 */
import { randomBytes } from 'node:crypto';
import { s3Error } from '../errors/s3-errors';
import type { ReadView, Transaction } from '../storage/engine';
import { decodeKey } from '../storage/tuple-key';
import { keyVersionsRange, objectKey, seqOfInv, versionKey } from './keys';
import { blobIdsOf, encode, getObject, parseObjectEntry, type BucketRecord, type ObjectRecord } from './records';

/** A version id: the 16 hex digits of its seq, then 16 random characters. */
export function newVersionId(seq: number): string {
  return seq.toString(16).padStart(16, '0') + randomBytes(12).toString('base64').replace(/\+/g, '.').replace(/\//g, '_');
}

const VERSION_ID = /^[0-9a-f]{16}[A-Za-z0-9._]{16}$/;

/** Whether `id` could name a version here ('null' or one of ours); others are S3's InvalidArgument. */
export function checkVersionId(id: string): void {
  if (id !== 'null' && !VERSION_ID.test(id)) {
    throw s3Error('InvalidArgument', 'Invalid version id specified', { ArgumentName: 'versionId', ArgumentValue: id });
  }
}

export const isVersioned = (bucket: BucketRecord): boolean => bucket.versioning !== undefined;

/** The versions of `key`, newest first. */
export async function keyVersions(view: ReadView, bucket: string, key: string, limit?: number): Promise<ObjectRecord[]> {
  const rows = await view.scan({ ...keyVersionsRange(bucket, key), limit });
  return rows.map((r) => parseObjectEntry(r.value));
}

/** A version by id (`null` included), in a versioned or never-versioned bucket. */
export async function findVersion(view: ReadView, bucket: BucketRecord, key: string, versionId: string): Promise<ObjectRecord | undefined> {
  checkVersionId(versionId);
  if (!isVersioned(bucket)) {
    const obj = await getObject(view, bucket.name, key);
    return obj && obj.versionId === versionId ? obj : undefined;
  }
  if (versionId === 'null') return (await keyVersions(view, bucket.name, key)).find((v) => v.versionId === 'null');
  const raw = await view.get(versionKey(bucket.name, key, parseInt(versionId.slice(0, 16), 16)));
  const record = raw ? parseObjectEntry(raw) : undefined;
  return record && record.versionId === versionId ? record : undefined;
}

/** The newest version of `key` (a delete marker included), or the current object of an unversioned bucket. */
export async function newestVersion(view: ReadView, bucket: BucketRecord, key: string): Promise<ObjectRecord | undefined> {
  if (!isVersioned(bucket)) return getObject(view, bucket.name, key);
  return (await keyVersions(view, bucket.name, key, 1))[0];
}

/** Retention or a legal hold still protects this version from deletion. */
export function checkDeletable(record: ObjectRecord, bypassGovernance: boolean): void {
  const lock = record.objectLock;
  if (!lock) return;
  if (lock.legalHold === 'ON') throw s3Error('AccessDenied');
  if (lock.retainUntilDate !== undefined && Date.parse(lock.retainUntilDate) > Date.now()) {
    if (lock.mode === 'COMPLIANCE' || !bypassGovernance) throw s3Error('AccessDenied');
  }
}

function setCurrent(tx: Transaction, bucket: string, key: string, newest: ObjectRecord | undefined): void {
  if (newest && !newest.deleteMarker) tx.put(objectKey(bucket, key), encode(newest));
  else tx.delete(objectKey(bucket, key));
}

/**
 * Adds `record` as the key's newest version (its versionId and seq are assigned here) and makes it current
 * (or, for a delete marker, makes the key have no current object). Returns the blobs it released.
 */
export async function putVersion(tx: Transaction, bucket: BucketRecord, record: ObjectRecord): Promise<string[]> {
  const name = bucket.name;
  if (!isVersioned(bucket)) {
    const current = await getObject(tx, name, record.key);
    record.versionId = 'null';
    delete record.seq;
    if (record.deleteMarker) tx.delete(objectKey(name, record.key));
    else tx.put(objectKey(name, record.key), encode(record));
    return blobIdsOf(current).filter((id) => !blobIdsOf(record).includes(id));
  }
  const released: string[] = [];
  const newest = (await keyVersions(tx, name, record.key, 1))[0];
  const seq = newest ? (newest.seq ?? 0) + 1 : 1;
  if (bucket.versioning === 'Enabled') {
    record.versionId = newVersionId(seq);
  } else {
    record.versionId = 'null';
    const previous = (await keyVersions(tx, name, record.key)).find((v) => v.versionId === 'null');
    if (previous) {
      tx.delete(versionKey(name, record.key, previous.seq ?? 0));
      released.push(...blobIdsOf(previous));
    }
  }
  record.seq = seq;
  tx.put(versionKey(name, record.key, seq), encode(record));
  setCurrent(tx, name, record.key, record);
  return released;
}

/**
 * Removes one version for good (S3's DeleteObject with versionId). Undefined when there is no such version
 * (S3 answers 204 all the same).
 */
export async function deleteVersion(
  tx: Transaction,
  bucket: BucketRecord,
  key: string,
  versionId: string,
  bypassGovernance: boolean,
): Promise<{ removed: ObjectRecord; released: string[] } | undefined> {
  const record = await findVersion(tx, bucket, key, versionId);
  if (!record) return undefined;
  checkDeletable(record, bypassGovernance);
  if (!isVersioned(bucket)) {
    tx.delete(objectKey(bucket.name, key));
    return { removed: record, released: blobIdsOf(record) };
  }
  tx.delete(versionKey(bucket.name, key, record.seq ?? 0));
  const rest = await keyVersions(tx, bucket.name, key, 1);
  setCurrent(tx, bucket.name, key, rest[0]);
  return { removed: record, released: blobIdsOf(record) };
}

/** A delete marker for `key` by `owner`; putVersion assigns its id. */
export function deleteMarker(key: string, owner: string): ObjectRecord {
  return {
    key,
    versionId: '',
    blobId: '',
    size: 0,
    etag: '',
    lastModified: new Date().toISOString(),
    owner,
    metadata: {},
    acl: { owner, grants: [] },
    storageClass: 'STANDARD',
    tags: [],
    deleteMarker: true,
  };
}

/** Replaces a stored version in place (ACL, tags, retention changes), keeping the current copy in step. */
export async function updateVersion(tx: Transaction, bucket: BucketRecord, record: ObjectRecord): Promise<void> {
  if (!isVersioned(bucket)) {
    tx.put(objectKey(bucket.name, record.key), encode(record));
    return;
  }
  tx.put(versionKey(bucket.name, record.key, record.seq ?? 0), encode(record));
  const current = await getObject(tx, bucket.name, record.key);
  if (current && current.versionId === record.versionId) tx.put(objectKey(bucket.name, record.key), encode(record));
}

/** Decodes the key and seq of a ('s3','version',bucket,key,inv) engine key. */
export function versionEntryKey(key: Buffer): { key: string; seq: number } {
  const parts = decodeKey(key);
  return { key: parts[3]!.toString('utf8'), seq: seqOfInv(parts[4]!.toString('utf8')) };
}

/**
 * The version an object sub-resource call (ACL, tagging, retention, legal hold) names: ?versionId's, or the
 * current object. NoSuchKey / NoSuchVersion; a delete marker is MethodNotAllowed.
 */
export async function targetVersion(view: ReadView, bucket: BucketRecord, key: string, versionId: string | undefined): Promise<ObjectRecord> {
  if (versionId === undefined) {
    const obj = await getObject(view, bucket.name, key);
    if (!obj) throw s3Error('NoSuchKey', undefined, { Key: key });
    return obj;
  }
  const version = await findVersion(view, bucket, key, versionId);
  if (!version) throw s3Error('NoSuchVersion', undefined, { Key: key, VersionId: versionId });
  if (version.deleteMarker) throw s3Error('MethodNotAllowed', undefined, { Method: 'GET', ResourceType: 'DeleteMarker' });
  return version;
}
