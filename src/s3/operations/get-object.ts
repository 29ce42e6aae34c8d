/** GetObject and HeadObject: conditions, Range / partNumber, response-* overrides, checksum mode. */
import type { Readable } from 'node:stream';
import { s3Error } from '../../errors/s3-errors';
import type { ByteRange } from '../../storage/blob-store';
import { checkReadConditions } from '../conditions';
import { httpDate, objectHeaders } from '../object-headers';
import { header, type S3Context, type S3Request, type S3Response } from '../operation';
import { getObject, requireBucket, type ObjectRecord } from '../records';
import { checksumHeaderName, type ChecksumAlgorithm } from '../checksums';
import { ErrorWithHeaders, errorResponse } from '../error-response';
import { openObject, partOffsets, readObject, readSmallObject, type ObjectBody } from '../object-body';
import { findVersion, isVersioned, newestVersion } from '../versions';
import { readKey } from '../sse-c';

/**
 * A single `bytes=` range resolved against the size; undefined means "send everything" (no header, or one
 * S3 ignores: malformed or several ranges). Unsatisfiable ranges are InvalidRange.
 */
export function resolveRange(value: string | undefined, size: number): ByteRange | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const unsatisfiable = () => s3Error('InvalidRange', undefined, { RangeRequested: value, ActualObjectSize: size });
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw unsatisfiable();
  return { start, end };
}

function conditions(req: S3Request) {
  return {
    ifMatch: header(req, 'if-match'),
    ifNoneMatch: header(req, 'if-none-match'),
    ifModifiedSince: header(req, 'if-modified-since'),
    ifUnmodifiedSince: header(req, 'if-unmodified-since'),
  };
}

interface Resolved {
  obj: ObjectRecord;
  status: number;
  headers: Record<string, string>;
  range?: ByteRange;
  /** The SSE-C key, verified against the object. */
  key?: Buffer;
}

async function resolve(ctx: S3Context, req: S3Request, isGet: boolean, obj: ObjectRecord): Promise<Resolved> {
  try {
    checkReadConditions(conditions(req), obj);
  } catch (err) {
    // A 304 has no body but still names the representation it is about.
    if ((err as { code?: string }).code === 'NotModified') {
      return { obj, status: 304, headers: { etag: obj.etag, 'last-modified': httpDate(obj.lastModified) } };
    }
    throw err;
  }
  // An SSE-C object is read only with its key (400 without one, 403 with another); others with none.
  const key = readKey(ctx, req, obj.ssec)?.key;
  if (isGet && (obj.storageClass === 'GLACIER' || obj.storageClass === 'DEEP_ARCHIVE')) {
    throw s3Error('InvalidObjectState', undefined, { StorageClass: obj.storageClass });
  }
  const headers = objectHeaders(req, obj, (header(req, 'x-amz-checksum-mode') ?? '').toUpperCase() === 'ENABLED');
  if (isGet && obj.tags.length > 0) headers['x-amz-tagging-count'] = String(obj.tags.length);
  const partNumber = req.query.get('partNumber');
  const rangeHeader = header(req, 'range');
  if (partNumber !== undefined) {
    if (rangeHeader !== undefined) throw s3Error('InvalidRequest', 'Cannot specify both Range header and partNumber query parameter');
    const n = Number(partNumber);
    if (!/^\d+$/.test(partNumber) || n < 1 || n > 10000) {
      throw s3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: partNumber });
    }
    if (obj.parts) {
      const count = obj.parts.length;
      if (n > count) throw s3Error('InvalidPartNumber', undefined, { PartNumberRequested: n, ActualPartCount: count });
      const part = obj.parts[n - 1]!;
      const o = partOffsets(obj)[n - 1]!;
      headers['x-amz-mp-parts-count'] = String(count);
      for (const name of Object.keys(headers)) if (name.startsWith('x-amz-checksum-')) delete headers[name];
      if (part.checksum !== undefined && obj.checksum && (header(req, 'x-amz-checksum-mode') ?? '').toUpperCase() === 'ENABLED') {
        headers[checksumHeaderName(obj.checksum.algorithm as ChecksumAlgorithm)] = part.checksum;
        headers['x-amz-checksum-type'] = 'COMPOSITE';
      }
      headers['content-length'] = String(part.size);
      if (part.size === 0) return { obj, status: 200, headers, key };
      headers['content-range'] = `bytes ${o.start}-${o.end}/${obj.size}`;
      return { obj, status: 206, headers, range: { start: o.start, end: o.end }, key };
    }
    // A single-part object is its own part 1.
    if (n !== 1) throw s3Error('InvalidPartNumber', undefined, { PartNumberRequested: n, ActualPartCount: 1 });
    headers['content-length'] = String(obj.size);
    if (obj.size === 0) return { obj, status: 200, headers, key };
    headers['content-range'] = `bytes 0-${obj.size - 1}/${obj.size}`;
    return { obj, status: 206, headers, range: { start: 0, end: obj.size - 1 }, key };
  }
  const range = resolveRange(rangeHeader, obj.size);
  if (!range) {
    headers['content-length'] = String(obj.size);
    return { obj, status: 200, headers, key };
  }
  // A range's bytes are not the object's: S3 sends no full-object checksum with them.
  for (const name of Object.keys(headers)) if (name.startsWith('x-amz-checksum-')) delete headers[name];
  headers['content-length'] = String(range.end - range.start + 1);
  headers['content-range'] = `bytes ${range.start}-${range.end}/${obj.size}`;
  return { obj, status: 206, headers, range, key };
}

/** The version a GET/HEAD names: the current object, or ?versionId's; delete markers answer with headers. */
async function current(ctx: S3Context, req: S3Request): Promise<ObjectRecord> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const versionId = req.query.get('versionId');
  const key = req.key!;
  if (versionId === undefined) {
    const obj = await getObject(ctx.store, req.bucket!, key);
    if (obj) return obj;
    const newest = isVersioned(bucket) ? await newestVersion(ctx.store, bucket, key) : undefined;
    if (newest?.deleteMarker) {
      throw new ErrorWithHeaders(s3Error('NoSuchKey', undefined, { Key: key }), { 'x-amz-delete-marker': 'true', 'x-amz-version-id': newest.versionId });
    }
    throw s3Error('NoSuchKey', undefined, { Key: key });
  }
  const version = await findVersion(ctx.store, bucket, key, versionId);
  if (!version) throw s3Error('NoSuchVersion', undefined, { Key: key, VersionId: versionId });
  if (version.deleteMarker) {
    throw new ErrorWithHeaders(s3Error('MethodNotAllowed', undefined, { Method: req.method, ResourceType: 'DeleteMarker' }), {
      'x-amz-delete-marker': 'true',
      'x-amz-version-id': version.versionId,
      'last-modified': httpDate(version.lastModified),
      allow: 'DELETE',
    });
  }
  return version;
}

export async function headObject(ctx: S3Context, req: S3Request): Promise<S3Response> {
  try {
    const r = await resolve(ctx, req, false, await current(ctx, req));
    return { status: r.status, headers: r.headers };
  } catch (err) {
    if (err instanceof ErrorWithHeaders) return { status: err.error.status, headers: err.headers };
    throw err;
  }
}

export async function getObjectOp(ctx: S3Context, req: S3Request): Promise<S3Response> {
  // A concurrent overwrite may delete the blob between reading the record and opening it; read again then.
  for (let attempt = 0; ; attempt++) {
    let r: Resolved;
    try {
      r = await resolve(ctx, req, true, await current(ctx, req));
    } catch (err) {
      if (err instanceof ErrorWithHeaders) return errorResponse(ctx, req, err);
      throw err;
    }
    if (r.status === 304) return { status: 304, headers: r.headers };
    let body: Readable | Buffer | ObjectBody;
    try {
      body = (await readSmallObject(ctx, r.obj, r.range)) ?? (r.obj.ssec ? await readObject(ctx, r.obj, r.range, r.key) : await openObject(ctx, r.obj, r.range));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 3) continue;
      throw err;
    }
    return { status: r.status, headers: r.headers, body };
  }
}
