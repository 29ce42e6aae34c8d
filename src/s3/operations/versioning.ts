/**
 * PutBucketVersioning / GetBucketVersioning and ListObjectVersions (on versioned and never-versioned
 * buckets alike). Enabling versioning for the first time writes a version record (seq 0, id 'null') for
 * every existing object in the same transaction, so versioned buckets need no second code path.
 */
import { s3Error } from '../../errors/s3-errors';
import { keyAfter } from '../../storage/engine';
import { encodeKey } from '../../storage/tuple-key';
import { readSmallBody } from '../body';
import { bucketKey, keyVersionsRange, objectKey, objectsRange, versionKey, versionsRange } from '../keys';
import { parseListParams } from '../list-params';
import type { S3Context, S3Request, S3Response } from '../operation';
import { encode, keyOfEntry, parseObjectEntry, requireBucket, type ObjectRecord } from '../records';
import { findVersion, isVersioned, versionEntryKey } from '../versions';
import { childText, parseXml } from '../xml-parse';
import type { XmlObject } from '../xml-tree';

export async function putBucketVersioning(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const name = req.bucket!;
  await requireBucket(ctx.store, name, ctx.accountId);
  const root = parseXml((await readSmallBody(req)).toString('utf8'));
  if (root.name !== 'VersioningConfiguration') throw s3Error('MalformedXML');
  const status = childText(root, 'Status');
  const mfa = childText(root, 'MfaDelete');
  if (status !== undefined && status !== 'Enabled' && status !== 'Suspended') throw s3Error('MalformedXML');
  if (mfa !== undefined && mfa !== 'Enabled' && mfa !== 'Disabled') throw s3Error('MalformedXML');
  if (mfa === 'Enabled') throw s3Error('InvalidRequest', 'DevPay and Mfa are mutually exclusive authorization methods.');
  if (status === undefined) return { status: 200, headers: {} };
  await ctx.store.transact(async (tx) => {
    const bucket = await requireBucket(tx, name, ctx.accountId);
    if (bucket.objectLockEnabled && status === 'Suspended') {
      throw s3Error('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.');
    }
    if (!isVersioned(bucket)) {
      const range = objectsRange(name);
      let start = range.start;
      for (;;) {
        const batch = await tx.scan({ start, end: range.end, limit: 1000 });
        for (const entry of batch) {
          const obj = parseObjectEntry(entry.value);
          const record: ObjectRecord = { ...obj, versionId: 'null', seq: 0 };
          tx.put(versionKey(name, obj.key, 0), encode(record));
          tx.put(objectKey(name, obj.key), encode(record));
        }
        if (batch.length < 1000) break;
        start = keyAfter(batch[batch.length - 1]!.key);
      }
    }
    tx.put(bucketKey(name), encode({ ...bucket, versioning: status }));
  });
  return { status: 200, headers: {} };
}

export async function getBucketVersioning(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  return { status: 200, headers: {}, body: { root: 'VersioningConfiguration', body: { Status: bucket.versioning } } };
}

const BATCH = 1000;

export async function listObjectVersions(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const name = req.bucket!;
  const bucket = await requireBucket(ctx.store, name, ctx.accountId);
  const { maxKeys, encodingType, encode: enc, prefix, delimiter } = parseListParams(req);
  const keyMarker = req.query.get('key-marker') ?? '';
  const versionIdMarker = req.query.get('version-id-marker') ?? '';
  if (versionIdMarker !== '' && keyMarker === '') {
    throw s3Error('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', { ArgumentName: 'version-id-marker', ArgumentValue: versionIdMarker });
  }
  const versioned = isVersioned(bucket);
  const kind = versioned ? 'version' : 'object';
  const range = versioned ? versionsRange(name) : objectsRange(name);
  const stem = (text: string): Buffer => encodeKey(['s3', kind, name, text]).subarray(0, -1);
  const pastPrefix = (text: string): Buffer => Buffer.concat([stem(text), Buffer.from([0xff])]);
  const pastKey = (key: string): Buffer =>
    versioned ? keyVersionsRange(name, key).end : keyAfter(objectKey(name, key));
  let start = prefix === '' ? range.start : stem(prefix);
  const end = prefix === '' ? range.end : pastPrefix(prefix);
  let resumedMidKey: string | undefined;
  if (keyMarker !== '') {
    let resume: Buffer;
    const marked = versionIdMarker !== '' && versioned ? await findVersion(ctx.store, bucket, keyMarker, versionIdMarker) : undefined;
    if (marked) {
      resume = keyAfter(versionKey(name, keyMarker, marked.seq ?? 0));
      resumedMidKey = keyMarker;
    } else if (delimiter !== '' && keyMarker.endsWith(delimiter) && keyMarker.startsWith(prefix)) {
      resume = pastPrefix(keyMarker);
    } else {
      resume = pastKey(keyMarker);
    }
    if (Buffer.compare(resume, start) > 0) start = resume;
  }

  const versions: XmlObject[] = [];
  const markers: XmlObject[] = [];
  const prefixes: string[] = [];
  let count = 0;
  let truncated = false;
  let lastKey: string | undefined;
  let lastVersionId: string | undefined;
  let previousKey: string | undefined = resumedMidKey;
  outer: while (Buffer.compare(start, end) < 0) {
    const batch = await ctx.store.scan({ start, end, limit: BATCH });
    if (batch.length === 0) break;
    let jumped = false;
    for (const entry of batch) {
      const key = versioned ? versionEntryKey(entry.key).key : keyOfEntry(entry.key);
      if (count === maxKeys) {
        truncated = true;
        break outer;
      }
      const rest = key.slice(prefix.length);
      const cut = delimiter === '' ? -1 : rest.indexOf(delimiter);
      if (cut >= 0) {
        const common = prefix + rest.slice(0, cut + delimiter.length);
        prefixes.push(common);
        count++;
        lastKey = common;
        lastVersionId = undefined;
        previousKey = undefined;
        start = pastPrefix(common);
        jumped = true;
        break;
      }
      const v = parseObjectEntry(entry.value);
      const isLatest = key !== previousKey;
      previousKey = key;
      const owner = { ID: v.owner, DisplayName: ctx.accessKeyId };
      if (v.deleteMarker) {
        markers.push({ Owner: owner, Key: enc(key), VersionId: v.versionId, IsLatest: isLatest, LastModified: v.lastModified });
      } else {
        versions.push({
          Owner: owner,
          Key: enc(key),
          VersionId: v.versionId,
          IsLatest: isLatest,
          LastModified: v.lastModified,
          ETag: v.etag,
          Size: v.size,
          StorageClass: v.storageClass,
          ChecksumAlgorithm: v.checksum?.algorithm,
          ChecksumType: v.checksum?.type,
        });
      }
      count++;
      lastKey = key;
      lastVersionId = v.versionId;
      start = keyAfter(entry.key);
    }
    if (!jumped && batch.length < BATCH) break;
  }
  const body: XmlObject = {
    Name: name,
    Prefix: enc(prefix),
    KeyMarker: enc(keyMarker),
    VersionIdMarker: versionIdMarker,
    NextKeyMarker: truncated && lastKey !== undefined ? enc(lastKey) : undefined,
    NextVersionIdMarker: truncated ? lastVersionId : undefined,
    MaxKeys: maxKeys,
    Delimiter: delimiter === '' ? undefined : enc(delimiter),
    IsTruncated: truncated,
    EncodingType: encodingType,
    Version: versions,
    DeleteMarker: markers,
    CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
  };
  return { status: 200, headers: {}, body: { root: 'ListVersionsResult', body } };
}
