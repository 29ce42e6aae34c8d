/**
 * ListObjects (v1) and ListObjectsV2: a range scan over the bucket's current objects in key order, with
 * prefix, delimiter grouping into CommonPrefixes (each counts toward max-keys, as in S3), and resumption by
 * marker / start-after / continuation-token.
 */
import { s3Error } from '../../errors/s3-errors';
import { keyAfter } from '../../storage/engine';
import { encodeKey } from '../../storage/tuple-key';
import { objectKey, objectsRange } from '../keys';
import { parseListParams } from '../list-params';
import type { S3Context, S3Request, S3Response } from '../operation';
import { keyOfEntry, parseObjectEntry, requireBucket, type ObjectRecord } from '../records';
import type { XmlObject } from '../xml-tree';

const BATCH = 1000;

/** Encoded object key of `text` without its terminator: every key beginning with `text` extends it. */
const keyStem = (bucket: string, text: string): Buffer => encodeKey(['s3', 'object', bucket, text]).subarray(0, -1);
// 0xFF never occurs in UTF-8, so stem + 0xFF is past every key beginning with the stem's text.
const pastPrefix = (bucket: string, text: string): Buffer => Buffer.concat([keyStem(bucket, text), Buffer.from([0xff])]);
const justAfter = (bucket: string, key: string): Buffer => keyAfter(objectKey(bucket, key));

interface Listing {
  contents: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned, to resume after. */
  last?: string;
}

async function list(ctx: S3Context, bucket: string, prefix: string, delimiter: string, after: string | undefined, maxKeys: number): Promise<Listing> {
  const range = objectsRange(bucket);
  let start = prefix === '' ? range.start : keyStem(bucket, prefix);
  const end = prefix === '' ? range.end : pastPrefix(bucket, prefix);
  if (after !== undefined) {
    // Resuming after a common prefix skips everything under it.
    const resume = delimiter !== '' && after.startsWith(prefix) && after.endsWith(delimiter) && after.slice(prefix.length).indexOf(delimiter) === after.length - prefix.length - delimiter.length
      ? pastPrefix(bucket, after)
      : justAfter(bucket, after);
    if (Buffer.compare(resume, start) > 0) start = resume;
  }
  const out: Listing = { contents: [], prefixes: [], truncated: false };
  let count = 0;
  while (Buffer.compare(start, end) < 0) {
    const batch = await ctx.store.scan({ start, end, limit: BATCH });
    if (batch.length === 0) break;
    let jumped = false;
    for (const entry of batch) {
      const key = keyOfEntry(entry.key);
      const rest = key.slice(prefix.length);
      const cut = delimiter === '' ? -1 : rest.indexOf(delimiter);
      if (count === maxKeys) {
        out.truncated = true;
        return out;
      }
      if (cut >= 0) {
        const common = prefix + rest.slice(0, cut + delimiter.length);
        out.prefixes.push(common);
        out.last = common;
        count++;
        start = pastPrefix(bucket, common);
        jumped = true;
        break;
      }
      out.contents.push(parseObjectEntry(entry.value));
      out.last = key;
      count++;
      start = keyAfter(entry.key);
    }
    if (!jumped && batch.length < BATCH) break;
  }
  return out;
}

function contentsOf(objects: ObjectRecord[], encode: (s: string) => string, owner: boolean, displayName: string): XmlObject[] {
  return objects.map((o) => ({
    Key: encode(o.key),
    LastModified: o.lastModified,
    ETag: o.etag,
    ChecksumAlgorithm: o.checksum?.algorithm,
    ChecksumType: o.checksum?.type,
    Size: o.size,
    Owner: owner ? { ID: o.owner, DisplayName: displayName } : undefined,
    StorageClass: o.storageClass,
  }));
}

export async function listObjects(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = req.bucket!;
  await requireBucket(ctx.store, bucket, ctx.accountId);
  const p = parseListParams(req);
  const marker = req.query.get('marker') ?? '';
  const listing = await list(ctx, bucket, p.prefix, p.delimiter, marker === '' ? undefined : marker, p.maxKeys);
  const body: XmlObject = {
    Name: bucket,
    Prefix: p.encode(p.prefix),
    Marker: p.encode(marker),
    // S3 sends NextMarker only when a delimiter was given; clients otherwise resume from the last key.
    NextMarker: listing.truncated && p.delimiter !== '' && listing.last !== undefined ? p.encode(listing.last) : undefined,
    MaxKeys: p.maxKeys,
    Delimiter: p.delimiter === '' ? undefined : p.encode(p.delimiter),
    IsTruncated: listing.truncated,
    EncodingType: p.encodingType,
    Contents: contentsOf(listing.contents, p.encode, true, ctx.accessKeyId),
    CommonPrefixes: listing.prefixes.map((x) => ({ Prefix: p.encode(x) })),
  };
  return { status: 200, headers: {}, body: { root: 'ListBucketResult', body } };
}

const encodeToken = (last: string): string => Buffer.from(JSON.stringify({ a: last }), 'utf8').toString('base64');

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { a?: unknown };
    if (typeof parsed.a === 'string') return parsed.a;
  } catch {
    // fall through to S3's error
  }
  throw s3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token', ArgumentValue: token });
}

export async function listObjectsV2(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = req.bucket!;
  await requireBucket(ctx.store, bucket, ctx.accountId);
  const p = parseListParams(req);
  const token = req.query.get('continuation-token');
  const startAfter = req.query.get('start-after');
  if (token === '') throw s3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token', ArgumentValue: '' });
  const after = token !== undefined ? decodeToken(token) : startAfter === '' ? undefined : startAfter;
  const listing = await list(ctx, bucket, p.prefix, p.delimiter, after, p.maxKeys);
  const fetchOwner = (req.query.get('fetch-owner') ?? '').toLowerCase() === 'true';
  const body: XmlObject = {
    Name: bucket,
    Prefix: p.encode(p.prefix),
    Delimiter: p.delimiter === '' ? undefined : p.encode(p.delimiter),
    MaxKeys: p.maxKeys,
    EncodingType: p.encodingType,
    KeyCount: listing.contents.length + listing.prefixes.length,
    IsTruncated: listing.truncated,
    ContinuationToken: token,
    NextContinuationToken: listing.truncated && listing.last !== undefined ? encodeToken(listing.last) : undefined,
    StartAfter: startAfter === undefined ? undefined : p.encode(startAfter),
    Contents: contentsOf(listing.contents, p.encode, fetchOwner, ctx.accessKeyId),
    CommonPrefixes: listing.prefixes.map((x) => ({ Prefix: p.encode(x) })),
  };
  return { status: 200, headers: {}, body: { root: 'ListBucketResult', body } };
}
