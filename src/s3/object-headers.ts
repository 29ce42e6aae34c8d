/**
 * Object attributes carried by headers: read from PutObject/CopyObject (REPLACE) requests, validated with
 * S3's errors, and rendered back on GET/HEAD.
 */
import { s3Error } from '../errors/s3-errors';
import { header, type S3Request } from './operation';
import type { BucketRecord, ContentAttributes, ObjectRecord } from './records';
import { checksumHeaderName } from './checksums';
import { customerHeaders, hasCustomerHeaders } from './sse-c';

export const STORAGE_CLASSES = new Set([
  'STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE',
  'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE',
]);
const SSE_ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);
/** S3's limit on user metadata: names and values of x-amz-meta-* together. */
const MAX_METADATA_BYTES = 2048;


export function userMetadata(req: S3Request): Record<string, string> {
  const metadata: Record<string, string> = {};
  let size = 0;
  for (const [name, raw] of Object.entries(req.headers)) {
    if (!name.startsWith('x-amz-meta-') || raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    const key = name.slice('x-amz-meta-'.length);
    metadata[key] = value;
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (size > MAX_METADATA_BYTES) throw s3Error('MetadataTooLarge', undefined, { Size: size, MaxSizeAllowed: MAX_METADATA_BYTES });
  return metadata;
}

export function contentAttributes(req: S3Request, contentEncoding: string | undefined): ContentAttributes {
  return {
    // S3 stores binary/octet-stream for an object written without a Content-Type.
    contentType: header(req, 'content-type') ?? 'binary/octet-stream',
    contentEncoding,
    contentDisposition: header(req, 'content-disposition'),
    contentLanguage: header(req, 'content-language'),
    cacheControl: header(req, 'cache-control'),
    expires: header(req, 'expires'),
    metadata: userMetadata(req),
  };
}

export function storageClass(req: S3Request): string {
  const value = header(req, 'x-amz-storage-class') ?? 'STANDARD';
  if (!STORAGE_CLASSES.has(value)) throw s3Error('InvalidStorageClass', undefined, { StorageClassRequested: value });
  return value;
}

/**
 * Server-side encryption: SSE-S3 is S3's default for every new object. A request with SSE-C headers gets
 * none of these (undefined: the caller takes the customer key with sse-c.ts `writeKey`), and may not also
 * name another method.
 */
export function encryption(req: S3Request, region: string, accountId: string): ObjectRecord['sse'] {
  if (hasCustomerHeaders(req)) {
    const other = header(req, 'x-amz-server-side-encryption');
    if (other !== undefined) {
      throw s3Error('InvalidArgument', 'Server Side Encryption with Customer provided key is incompatible with the encryption method specified', {
        ArgumentName: 'x-amz-server-side-encryption',
        ArgumentValue: other,
      });
    }
    return undefined;
  }
  const algorithm = header(req, 'x-amz-server-side-encryption') ?? 'AES256';
  if (!SSE_ALGORITHMS.has(algorithm)) {
    throw s3Error('InvalidArgument', 'The encryption method specified is not supported', {
      ArgumentName: 'x-amz-server-side-encryption',
      ArgumentValue: algorithm,
    });
  }
  const keyId = header(req, 'x-amz-server-side-encryption-aws-kms-key-id');
  const context = header(req, 'x-amz-server-side-encryption-context');
  const bucketKey = header(req, 'x-amz-server-side-encryption-bucket-key-enabled');
  if (!algorithm.startsWith('aws:kms') && (keyId !== undefined || context !== undefined)) {
    throw s3Error(
      'InvalidArgument',
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
      { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: algorithm },
    );
  }
  if (context !== undefined) {
    let ok = false;
    try {
      ok = typeof JSON.parse(Buffer.from(context, 'base64').toString('utf8')) === 'object';
    } catch {
      ok = false;
    }
    if (!ok) throw s3Error('InvalidArgument', 'The header \'x-amz-server-side-encryption-context\' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map', { ArgumentName: 'x-amz-server-side-encryption-context' });
  }
  if (!algorithm.startsWith('aws:kms')) return { algorithm };
  return {
    algorithm,
    // No KMS here: the AWS managed key stands in when none is named, as S3 reports its ARN.
    kmsKeyId: keyId ?? `arn:aws:kms:${region}:${accountId}:alias/aws/s3`,
    context,
    bucketKeyEnabled: bucketKey === undefined ? undefined : bucketKey.toLowerCase() === 'true',
  };
}

export function objectLock(req: S3Request, bucket: BucketRecord, hasIntegrityHeader: boolean): ObjectRecord['objectLock'] {
  const mode = header(req, 'x-amz-object-lock-mode');
  const until = header(req, 'x-amz-object-lock-retain-until-date');
  const legalHold = header(req, 'x-amz-object-lock-legal-hold');
  if (mode === undefined && until === undefined && legalHold === undefined) return undefined;
  if (!bucket.objectLockEnabled) throw s3Error('InvalidRequest', 'Bucket is missing Object Lock Configuration');
  if ((mode === undefined) !== (until === undefined)) {
    throw s3Error('InvalidArgument', 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied');
  }
  if (mode !== undefined && mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE') {
    throw s3Error('InvalidArgument', 'Unknown wormMode directive.', { ArgumentName: 'x-amz-object-lock-mode', ArgumentValue: mode });
  }
  if (legalHold !== undefined && legalHold !== 'ON' && legalHold !== 'OFF') {
    throw s3Error('InvalidArgument', 'Legal Hold must be either of \'ON\' or \'OFF\'', { ArgumentName: 'x-amz-object-lock-legal-hold', ArgumentValue: legalHold });
  }
  let retainUntilDate: string | undefined;
  if (until !== undefined) {
    const ms = Date.parse(until);
    if (Number.isNaN(ms)) throw s3Error('InvalidArgument', 'The retain until date must be provided in ISO 8601 format', { ArgumentName: 'x-amz-object-lock-retain-until-date', ArgumentValue: until });
    if (ms <= Date.now()) throw s3Error('InvalidArgument', 'The retain until date must be in the future!', { ArgumentName: 'x-amz-object-lock-retain-until-date', ArgumentValue: until });
    retainUntilDate = new Date(ms).toISOString();
  }
  if (mode !== undefined && !hasIntegrityHeader) {
    throw s3Error('InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
  }
  return { mode, retainUntilDate, legalHold };
}

export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

/** SSE headers as S3 echoes them on PUT, GET and HEAD. */
export function encryptionHeaders(sse: ObjectRecord['sse']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!sse) return out;
  out['x-amz-server-side-encryption'] = sse.algorithm;
  if (sse.kmsKeyId !== undefined) out['x-amz-server-side-encryption-aws-kms-key-id'] = sse.kmsKeyId;
  if (sse.context !== undefined) out['x-amz-server-side-encryption-context'] = sse.context;
  if (sse.bucketKeyEnabled !== undefined) out['x-amz-server-side-encryption-bucket-key-enabled'] = String(sse.bucketKeyEnabled);
  return out;
}

export function checksumHeaders(obj: ObjectRecord): Record<string, string> {
  if (!obj.checksum) return {};
  return { [checksumHeaderName(obj.checksum.algorithm as never)]: obj.checksum.value, 'x-amz-checksum-type': obj.checksum.type };
}

/** Everything GET and HEAD send about an object besides the body and its length. */
export function objectHeaders(req: S3Request, obj: ObjectRecord, withChecksum: boolean): Record<string, string> {
  const h: Record<string, string> = {
    'last-modified': httpDate(obj.lastModified),
    etag: obj.etag,
    'accept-ranges': 'bytes',
    'content-type': obj.contentType ?? 'binary/octet-stream',
  };
  const put = (name: string, value: string | undefined): void => {
    if (value !== undefined) h[name] = value;
  };
  put('content-encoding', obj.contentEncoding);
  put('content-disposition', obj.contentDisposition);
  put('content-language', obj.contentLanguage);
  put('cache-control', obj.cacheControl);
  put('expires', obj.expires);
  for (const [k, v] of Object.entries(obj.metadata)) h[`x-amz-meta-${k}`] = v;
  Object.assign(h, encryptionHeaders(obj.sse), customerHeaders(obj.ssec));
  if (obj.storageClass !== 'STANDARD') h['x-amz-storage-class'] = obj.storageClass;
  put('x-amz-website-redirect-location', obj.websiteRedirectLocation);
  if (obj.versionId !== 'null') h['x-amz-version-id'] = obj.versionId;
  put('x-amz-object-lock-mode', obj.objectLock?.mode);
  put('x-amz-object-lock-retain-until-date', obj.objectLock?.retainUntilDate);
  put('x-amz-object-lock-legal-hold', obj.objectLock?.legalHold);
  if (withChecksum) Object.assign(h, checksumHeaders(obj));
  // response-* query parameters override the stored headers on GET.
  const overrides: [string, string][] = [
    ['response-content-type', 'content-type'],
    ['response-content-language', 'content-language'],
    ['response-expires', 'expires'],
    ['response-cache-control', 'cache-control'],
    ['response-content-disposition', 'content-disposition'],
    ['response-content-encoding', 'content-encoding'],
  ];
  for (const [param, name] of overrides) put(name, req.query.get(param));
  return h;
}
