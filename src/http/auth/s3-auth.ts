import type { AwsError } from '../../errors/aws-error';
import { s3Error } from '../../errors/s3-errors';
import { headerValue, type RequestHeaders } from '../../util/headers';
import { canonicalQueryString, parseQuery, s3CanonicalUri, type QueryParam } from './canonical';
import type { CredentialStore } from './credentials';
import { verifySigV2Header, verifySigV2Query } from './s3-sigv2';
import { computeSignature, requestTime, type Anonymous, type AuthResult, type SignedRequest } from './signed-request';
import {
  ALGORITHM,
  formatIsoSeconds,
  isScopeDate,
  MAX_CLOCK_SKEW_MS,
  parseAmzDate,
  scopeString,
  signingKey,
  spacedHex,
  TERMINATOR,
  type CredentialScope,
} from './signing';
import { signaturesMatch } from '../../util/signatures';

/**
 * S3's two SigV4 forms: the Authorization header and presigned URLs (X-Amz-* query parameters), and the same
 * two of SigV2 (s3-sigv2.ts). Messages and extra XML fields are S3's as quoted in client bug reports and in
 * S3-compatible servers tested against S3 (minio, versitygw). Requests with no signature are anonymous;
 * whether that is allowed is the S3 layer's call.
 */

const SERVICE = 's3';
const MAX_PRESIGNED_EXPIRES = 604800;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
// Payload modes S3 accepts in x-amz-content-sha256 besides a hex digest; the STREAMING-* ones announce an
// aws-chunked body.
const PAYLOAD_MODES = new Set([
  UNSIGNED_PAYLOAD,
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
]);
// The aws-chunked modes whose chunks carry signatures chained from the request's (see s3/aws-chunked-options.ts).
const SIGNED_STREAMING_MODES = new Set(['STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER']);
const PRESIGN_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
];

const headerMalformed = (detail: string): AwsError =>
  s3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`);
const queryError = (message: string): AwsError => s3Error('AuthorizationQueryParametersError', message);
const credentialQueryError = (detail: string): AwsError =>
  queryError(`Error parsing the X-Amz-Credential parameter; ${detail}`);

interface ParsedCredential extends CredentialScope {
  accessKeyId: string;
}

/** What both forms yield once parsed: the signature, its scope and what went into it. */
interface SignatureClaim {
  credential: ParsedCredential;
  signedHeaders: string[];
  signature: string;
  /** The request time in ISO 8601 basic format, as signed. */
  amzDate: string;
  canonicalQuery: string;
  declaredPayloadHash: string;
}

export function verifyS3Request(req: SignedRequest, store: CredentialStore, now: number): AuthResult | Anonymous {
  const query = parseQuery(req.rawQuery);
  const param = (name: string): string | undefined => query.find((p) => p.name === name)?.value;
  const authorization = headerValue(req.headers, 'authorization');
  if (authorization !== undefined) {
    if (param('X-Amz-Algorithm') !== undefined || param('Signature') !== undefined) {
      throw s3Error(
        'InvalidArgument',
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
        { ArgumentName: 'Authorization', ArgumentValue: authorization },
      );
    }
    if (authorization.startsWith('AWS ') || authorization === 'AWS') return verifySigV2Header(req, authorization, query, store, now);
    return verifyClaim(req, store, headerClaim(req, authorization, query, now));
  }
  if (['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature'].some((name) => param(name) !== undefined)) {
    return verifyClaim(req, store, presignedClaim(req, param, query, now));
  }
  if (param('AWSAccessKeyId') !== undefined || param('Signature') !== undefined) return verifySigV2Query(req, query, store, now);
  return 'anonymous';
}

function headerClaim(req: SignedRequest, authorization: string, query: QueryParam[], now: number): SignatureClaim {
  const space = authorization.indexOf(' ');
  const scheme = space < 0 ? authorization : authorization.slice(0, space);
  if (scheme !== ALGORITHM) {
    throw s3Error('InvalidArgument', 'Unsupported Authorization Type', {
      ArgumentName: 'Authorization',
      ArgumentValue: authorization,
    });
  }
  const components = new Map<string, string>();
  for (const part of space < 0 ? [] : authorization.slice(space + 1).split(',')) {
    const component = part.trim();
    if (component === '') continue;
    const eq = component.indexOf('=');
    const name = eq < 0 ? '' : component.slice(0, eq);
    if (name !== 'Credential' && name !== 'SignedHeaders' && name !== 'Signature') {
      throw headerMalformed(`the authorization component "${component}" is malformed.`);
    }
    components.set(name, component.slice(eq + 1));
  }
  if (components.size < 3) {
    throw headerMalformed('the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  const credential = parseCredential(components.get('Credential')!, headerMalformed);
  const declaredPayloadHash = headerValue(req.headers, 'x-amz-content-sha256');
  if (declaredPayloadHash === undefined) {
    throw s3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  checkPayloadMode(declaredPayloadHash);

  const time = requestTime(req.headers);
  if (time?.instant === undefined) {
    throw s3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  }
  const { instant } = time;
  if (credential.date !== instant.amzDate.slice(0, 8)) {
    throw headerMalformed('Invalid credential date. Date is not the same as X-Amz-Date.');
  }
  if (Math.abs(instant.ms - now) > MAX_CLOCK_SKEW_MS) {
    throw s3Error('RequestTimeTooSkewed', undefined, {
      RequestTime: time.raw,
      ServerTime: formatIsoSeconds(now),
      MaxAllowedSkewMilliseconds: MAX_CLOCK_SKEW_MS,
    });
  }
  const signedHeaders = components.get('SignedHeaders')!.toLowerCase().split(';');
  checkHeadersSigned(req.headers, signedHeaders);
  return {
    credential,
    signedHeaders,
    signature: components.get('Signature')!,
    amzDate: instant.amzDate,
    canonicalQuery: canonicalQueryString(query),
    declaredPayloadHash,
  };
}

function presignedClaim(
  req: SignedRequest,
  param: (name: string) => string | undefined,
  query: QueryParam[],
  now: number,
): SignatureClaim {
  if (PRESIGN_PARAMS.some((name) => param(name) === undefined)) {
    throw queryError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (param('X-Amz-Algorithm') !== ALGORITHM) {
    throw queryError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"');
  }
  const amzDate = param('X-Amz-Date')!;
  const requestMs = parseAmzDate(amzDate);
  if (requestMs === undefined) throw queryError(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  const expiresText = param('X-Amz-Expires')!;
  if (!/^-?\d+$/.test(expiresText)) throw queryError('X-Amz-Expires should be a number');
  const expires = Number(expiresText);
  if (expires < 0) throw queryError('X-Amz-Expires must be non-negative');
  if (expires > MAX_PRESIGNED_EXPIRES) {
    throw queryError(
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    );
  }
  const credential = parseCredential(param('X-Amz-Credential')!, credentialQueryError);
  if (credential.date !== amzDate.slice(0, 8)) {
    throw queryError(`Invalid credential date "${credential.date}". This date is not the same as X-Amz-Date: "${amzDate.slice(0, 8)}".`);
  }
  // A presigned URL is valid from X-Amz-Date (less the usual clock skew) until X-Amz-Expires seconds later.
  const expiresAt = formatIsoSeconds(requestMs + expires * 1000);
  if (requestMs > now + MAX_CLOCK_SKEW_MS) {
    throw s3Error('AccessDenied', 'Request is not yet valid', {
      'X-Amz-Date': String(requestMs),
      Expires: expiresAt,
      ServerTime: formatIsoSeconds(now),
    });
  }
  if (now > requestMs + expires * 1000) {
    throw s3Error('AccessDenied', 'Request has expired', {
      'X-Amz-Expires': expiresText,
      Expires: expiresAt,
      ServerTime: formatIsoSeconds(now),
    });
  }
  const signedHeaders = param('X-Amz-SignedHeaders')!.toLowerCase().split(';');
  checkHeadersSigned(req.headers, signedHeaders);
  const signatureParam = query.find((p) => p.name === 'X-Amz-Signature')!;
  // Presigned URLs sign UNSIGNED-PAYLOAD unless the URL (the JS SDK's presigner) or a header says otherwise.
  const declaredPayloadHash =
    param('X-Amz-Content-Sha256') ?? headerValue(req.headers, 'x-amz-content-sha256') ?? UNSIGNED_PAYLOAD;
  checkPayloadMode(declaredPayloadHash);
  return {
    credential,
    signedHeaders,
    signature: signatureParam.value,
    amzDate,
    canonicalQuery: canonicalQueryString(query, signatureParam),
    declaredPayloadHash,
  };
}

function parseCredential(value: string, fail: (detail: string) => AwsError): ParsedCredential {
  const parts = value.split('/');
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (parts.length !== 5 || region === '') {
    throw fail('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  if (accessKeyId === '') throw fail('a non-empty Access Key (AKID) must be provided in the credential.');
  if (!isScopeDate(date)) {
    throw fail(`incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`);
  }
  // Basalt serves every region, so the region is whatever the client signed for.
  if (service !== SERVICE) throw fail(`incorrect service "${service}". This endpoint belongs to "${SERVICE}".`);
  if (terminator !== TERMINATOR) throw fail(`incorrect terminal "${terminator}". This endpoint uses "${TERMINATOR}".`);
  return { accessKeyId, date, region, service };
}

function checkPayloadMode(declared: string): void {
  if (!SHA256_HEX.test(declared) && !PAYLOAD_MODES.has(declared)) {
    throw s3Error(
      'InvalidArgument',
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
      { ArgumentName: 'x-amz-content-sha256', ArgumentValue: declared },
    );
  }
}

/**
 * `host` must be signed, and so must every x-amz-* header (S3 tolerates an unsigned x-amz-content-sha256):
 * otherwise anyone holding a signed request could add, say, x-amz-copy-source to it.
 */
function checkHeadersSigned(headers: RequestHeaders, signedHeaders: readonly string[]): void {
  const unsigned: string[] = [];
  for (const name in headers) {
    if (!name.startsWith('x-amz-') || name === 'x-amz-content-sha256' || headers[name] === undefined) continue;
    if (!signedHeaders.includes(name)) unsigned.push(name);
  }
  const hostSigned = signedHeaders.includes('host');
  if (hostSigned && unsigned.length === 0) return;
  throw s3Error('AccessDenied', 'There were headers present in the request which were not signed', {
    HeadersNotSigned: [...(hostSigned ? [] : ['host']), ...unsigned.sort()].join(', '),
  });
}

function verifyClaim(req: SignedRequest, store: CredentialStore, claim: SignatureClaim): AuthResult {
  const { credential } = claim;
  const key = store.lookup(credential.accessKeyId);
  if (key === undefined) throw s3Error('InvalidAccessKeyId', undefined, { AWSAccessKeyId: credential.accessKeyId });
  const computed = computeSignature(key.secretAccessKey, credential, claim.amzDate, {
    method: req.method,
    canonicalUri: s3CanonicalUri(req.rawPath),
    canonicalQuery: claim.canonicalQuery,
    signedHeaders: claim.signedHeaders,
    headers: req.headers,
    payloadHash: claim.declaredPayloadHash,
  });
  if (!signaturesMatch(computed.signature, claim.signature)) {
    // S3 explains a mismatch with what it signed, so a client can diff it against its own canonical request.
    throw s3Error('SignatureDoesNotMatch', undefined, {
      AWSAccessKeyId: credential.accessKeyId,
      StringToSign: computed.stringToSign,
      SignatureProvided: claim.signature,
      StringToSignBytes: spacedHex(computed.stringToSign),
      CanonicalRequest: computed.canonicalRequest,
      CanonicalRequestBytes: spacedHex(computed.canonicalRequest),
    });
  }
  const declared = claim.declaredPayloadHash;
  const declaredDigest = SHA256_HEX.test(declared) ? declared.toLowerCase() : undefined;
  if (declaredDigest !== undefined && req.payloadHash !== undefined && declaredDigest !== req.payloadHash) {
    throw s3Error('XAmzContentSHA256Mismatch', undefined, {
      ClientComputedContentSHA256: declared,
      S3ComputedContentSHA256: req.payloadHash,
    });
  }
  const result: AuthResult = {
    accessKeyId: credential.accessKeyId,
    accountId: key.accountId,
    region: credential.region,
    service: SERVICE,
    signedPayload: declaredDigest !== undefined && req.payloadHash !== undefined,
    declaredPayloadHash: declared,
  };
  if (SIGNED_STREAMING_MODES.has(declared)) {
    result.chunkSigning = {
      signingKey: signingKey(key.secretAccessKey, credential).bytes,
      amzDate: claim.amzDate,
      scope: scopeString(credential),
      seedSignature: claim.signature,
      accessKeyId: credential.accessKeyId,
    };
  }
  return result;
}
