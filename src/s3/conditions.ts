/**
 * HTTP conditional requests as S3 evaluates them (RFC 7232 precedence): If-Match before
 * If-Unmodified-Since (412), If-None-Match before If-Modified-Since (304 on reads, 412 on writes).
 */
import { s3Error } from '../errors/s3-errors';
import type { ObjectRecord } from './records';

export interface Conditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

/** Whether an If-Match / If-None-Match list names this ETag (quotes optional, `*` matches any object). */
export function etagMatches(list: string, etag: string): boolean {
  const bare = etag.replace(/^"|"$/g, '');
  return list.split(',').some((item) => {
    const t = item.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return t === '*' || t === bare;
  });
}

/** HTTP dates compare at one-second resolution; an unparseable date is ignored, as S3 does. */
function parseDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** For GET/HEAD (and copy sources): throws 412 PreconditionFailed or 304 NotModified. */
export function checkReadConditions(c: Conditions, obj: ObjectRecord, notModified: 'NotModified' | 'PreconditionFailed' = 'NotModified'): void {
  const modified = Math.floor(Date.parse(obj.lastModified) / 1000);
  if (c.ifMatch !== undefined) {
    if (!etagMatches(c.ifMatch, obj.etag)) throw s3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  } else {
    const since = parseDate(c.ifUnmodifiedSince);
    if (since !== undefined && modified > since) throw s3Error('PreconditionFailed', undefined, { Condition: 'If-Unmodified-Since' });
  }
  if (c.ifNoneMatch !== undefined) {
    if (etagMatches(c.ifNoneMatch, obj.etag)) {
      throw notModified === 'NotModified' ? s3Error('NotModified') : s3Error('PreconditionFailed', undefined, { Condition: 'If-None-Match' });
    }
  } else {
    const since = parseDate(c.ifModifiedSince);
    if (since !== undefined && modified <= since) {
      throw notModified === 'NotModified' ? s3Error('NotModified') : s3Error('PreconditionFailed', undefined, { Condition: 'If-Modified-Since' });
    }
  }
}

/**
 * For PutObject/CopyObject destinations: If-None-Match: * (create only) and If-Match: ETag (replace only
 * that version). A missing object under If-Match is NoSuchKey, as S3 answers.
 */
export function checkWriteConditions(c: Pick<Conditions, 'ifMatch' | 'ifNoneMatch'>, current: ObjectRecord | undefined, key: string): void {
  if (c.ifNoneMatch !== undefined && current) throw s3Error('PreconditionFailed', undefined, { Condition: 'If-None-Match' });
  if (c.ifMatch !== undefined) {
    if (!current) throw s3Error('NoSuchKey', undefined, { Key: key });
    if (!etagMatches(c.ifMatch, current.etag)) throw s3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  }
}
