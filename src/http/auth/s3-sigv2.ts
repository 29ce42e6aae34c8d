import { createHmac } from 'node:crypto';
import type { AwsError } from '../../errors/aws-error';
import { s3Error } from '../../errors/s3-errors';
import { headerValue } from '../../util/headers';
import { type QueryParam } from './canonical';
import type { CredentialStore } from './credentials';
import type { AuthResult, SignedRequest } from './signed-request';
import { signaturesMatch } from '../../util/signatures';
import { formatIsoSeconds, MAX_CLOCK_SKEW_MS, spacedHex } from './signing';

/**
 * S3's Signature Version 2: an HMAC-SHA1 of a short string to sign, in an `AWS AKID:signature` header or in
 * presigned URLs (`AWSAccessKeyId`, `Expires`, `Signature`). S3 still takes it in us-east-1, and boto3 and
 * the AWS CLI v1 presign URLs with it by default there. The rules are S3's developer guide's
 * (RESTAuthentication, "Signing and Authenticating REST Requests").
 */

/** A SigV2 request names no region; it is one for us-east-1, the region that still accepts it. */
const SIGV2_REGION = 'us-east-1';

/**
 * The query parameters that are part of the resource signed (sub-resources and response overrides), by the
 * name the client wrote; the rest of the query is not signed. The list the SDKs sign with (botocore's).
 */
const SIGNED_SUBRESOURCES = new Set([
  'accelerate', 'acl', 'analytics', 'cors', 'defaultObjectAcl', 'delete', 'inventory', 'lifecycle', 'location',
  'logging', 'metrics', 'notification', 'object-lock', 'partNumber', 'policy', 'replication', 'requestPayment',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'response-content-language',
  'response-content-type', 'response-expires', 'restore', 'select', 'select-type', 'storageClass', 'tagging', 'torrent',
  'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website',
]);

const QUERY_PARAMS_MISSING = 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters';

const invalidHeader = (authorization: string, message: string): AwsError =>
  s3Error('InvalidArgument', message, { ArgumentName: 'Authorization', ArgumentValue: authorization });

/** `Authorization: AWS AKID:signature`, dated by `x-amz-date` or `Date` within S3's 15 minutes. */
export function verifySigV2Header(
  req: SignedRequest,
  authorization: string,
  query: readonly QueryParam[],
  store: CredentialStore,
  now: number,
): AuthResult {
  const credentials = authorization.slice('AWS '.length);
  if (credentials === '' || credentials.includes(' ')) {
    throw invalidHeader(authorization, "Authorization header is invalid -- one and only one ' ' (space) required");
  }
  const colon = credentials.lastIndexOf(':');
  if (colon <= 0 || colon === credentials.length - 1 || credentials.indexOf(':') !== colon) {
    throw invalidHeader(authorization, 'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature');
  }
  const amzDate = headerValue(req.headers, 'x-amz-date');
  const raw = amzDate ?? headerValue(req.headers, 'date');
  const ms = raw === undefined ? NaN : Date.parse(raw);
  if (Number.isNaN(ms)) throw s3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  if (Math.abs(ms - now) > MAX_CLOCK_SKEW_MS) {
    throw s3Error('RequestTimeTooSkewed', undefined, {
      RequestTime: raw,
      ServerTime: formatIsoSeconds(now),
      MaxAllowedSkewMilliseconds: MAX_CLOCK_SKEW_MS,
    });
  }
  // With x-amz-date the Date line is left empty: the date is signed among the x-amz-* headers.
  const toSign = stringToSign(req, amzDate === undefined ? raw! : '', query);
  return verify(store, credentials.slice(0, colon), credentials.slice(colon + 1), toSign);
}

/** A presigned URL: its `Expires` (epoch seconds) takes the Date line; no clock skew applies. */
export function verifySigV2Query(
  req: SignedRequest,
  query: readonly QueryParam[],
  store: CredentialStore,
  now: number,
): AuthResult {
  const param = (name: string): string | undefined => query.find((p) => p.name === name)?.value;
  const accessKeyId = param('AWSAccessKeyId');
  const signature = param('Signature');
  const expires = param('Expires');
  if (!accessKeyId || !signature || expires === undefined) throw s3Error('AccessDenied', QUERY_PARAMS_MISSING);
  if (!/^\d+$/.test(expires)) throw s3Error('AccessDenied', `Invalid date (should be seconds since epoch): ${expires}`);
  const expiresMs = Number(expires) * 1000;
  if (now > expiresMs) {
    throw s3Error('AccessDenied', 'Request has expired', { Expires: formatIsoSeconds(expiresMs), ServerTime: formatIsoSeconds(now) });
  }
  return verify(store, accessKeyId, signature, stringToSign(req, expires, query));
}

/**
 * Method, Content-MD5, Content-Type, the date line, the x-amz-* headers (lowercase names, sorted, repeated
 * values joined by commas) and the resource: `/bucket` when the Host header named the bucket, the path as
 * sent, then the signed sub-resources sorted by name with their decoded values.
 */
function stringToSign(req: SignedRequest, dateLine: string, query: readonly QueryParam[]): string {
  const amzHeaders = Object.keys(req.headers)
    .filter((name) => name.startsWith('x-amz-') && req.headers[name] !== undefined)
    .sort()
    .map((name) => {
      const value = req.headers[name]!;
      return `${name}:${(Array.isArray(value) ? value : [value]).map(unfold).join(',')}\n`;
    })
    .join('');
  const subresources = query
    .filter((p) => SIGNED_SUBRESOURCES.has(p.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => (p.value === '' ? p.name : `${p.name}=${p.value}`));
  const resource = resourcePath(req) + (subresources.length > 0 ? `?${subresources.join('&')}` : '');
  const standard = (name: string): string => unfold(headerValue(req.headers, name) ?? '');
  return `${req.method}\n${standard('content-md5')}\n${standard('content-type')}\n${dateLine}\n${amzHeaders}${resource}`;
}

/**
 * The path as sent, after `/bucket` when the Host header named the bucket. A bucket addressed path-style
 * signs with a trailing slash (`/bucket/`), as it does virtual-hosted; that is what the SDKs sign.
 */
function resourcePath(req: SignedRequest): string {
  const path = req.rawPath === '' ? '/' : req.rawPath;
  if (req.hostBucket !== undefined) return `/${req.hostBucket}${path}`;
  return path.indexOf('/', 1) < 0 && path.length > 1 ? `${path}/` : path;
}

/** Folded or padded header values sign as one line without surrounding whitespace. */
const unfold = (value: string): string => value.replace(/\s*\r?\n\s*/g, ' ').trim();

function verify(store: CredentialStore, accessKeyId: string, provided: string, toSign: string): AuthResult {
  const key = store.lookup(accessKeyId);
  if (key === undefined) throw s3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: accessKeyId });
  const computed = createHmac('sha1', key.secretAccessKey).update(toSign, 'utf8').digest('base64');
  if (!signaturesMatch(computed, provided)) {
    throw s3Error('SignatureDoesNotMatch', undefined, {
      AWSAccessKeyId: accessKeyId,
      StringToSign: toSign,
      SignatureProvided: provided,
      StringToSignBytes: spacedHex(toSign),
    });
  }
  // Nothing in SigV2 covers the body: the S3 layer still checks Content-MD5 and any checksum sent.
  return { accessKeyId, accountId: key.accountId, region: SIGV2_REGION, service: 's3', signedPayload: false };
}
