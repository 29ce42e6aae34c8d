import type { ChunkSigningContext } from '../../s3/aws-chunked';
import { headerValue, type RequestHeaders } from '../../util/headers';
import { canonicalRequest, type CanonicalRequestParts } from './canonical';
import { formatAmzDate, parseAmzDate, signingKey, stringToSign, type CredentialScope } from './signing';

export type SignedService = 'dynamodb' | 's3';

export interface SignedRequest {
  method: string;
  /** The path exactly as received, before any decoding. */
  rawPath: string;
  /** Everything after `?`, as received. */
  rawQuery: string;
  /** Node's `IncomingMessage.headers` (lowercase names). */
  headers: RequestHeaders;
  /**
   * Hex SHA-256 of the body when the caller buffered it (DynamoDB always does). S3 streams, leaves this out,
   * and the declared `x-amz-content-sha256` is signed instead and checked by the S3 layer.
   */
  payloadHash?: string;
  /** S3: the bucket a virtual-hosted request named in its Host header (SigV2 signs it as part of the path). */
  hostBucket?: string;
}

export interface VerifyOptions {
  service: SignedService;
  /** Server clock in epoch milliseconds; defaults to `Date.now()`. */
  now?: number;
}

/** Who signed the request, and for which scope. */
export interface AuthResult {
  accessKeyId: string;
  accountId: string;
  region: string;
  service: SignedService;
  /**
   * True when the body is already proven to be what was signed. When false, `declaredPayloadHash` says what
   * is left to the S3 layer: a hex SHA-256 it must compare with the streamed body (XAmzContentSHA256Mismatch),
   * `UNSIGNED-PAYLOAD` (nothing to check) or a `STREAMING-*` mode (aws-chunked body, chunk signatures unchecked).
   */
  signedPayload: boolean;
  declaredPayloadHash?: string;
  /**
   * Only for the signed aws-chunked modes (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`): what the body's
   * chunk signatures chain from. See `s3/aws-chunked-options.ts`.
   */
  chunkSigning?: ChunkSigningContext;
}

/** S3 only: no Authorization header and no signature in the query; the S3 layer decides if that is allowed. */
export type Anonymous = 'anonymous';

export interface RequestTime {
  /** The header value as sent, for error messages. */
  raw: string;
  /** Absent when `raw` is no date; `amzDate` is the ISO 8601 basic form the string to sign carries. */
  instant?: { ms: number; amzDate: string };
}

const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** `X-Amz-Date`, else `Date` (ISO 8601 basic or RFC 1123); undefined when the request has neither. */
export function requestTime(headers: RequestHeaders): RequestTime | undefined {
  const amzDate = headerValue(headers, 'x-amz-date');
  const raw = amzDate ?? headerValue(headers, 'date');
  if (raw === undefined) return undefined;
  const basic = parseAmzDate(raw);
  if (basic !== undefined) return { raw, instant: { ms: basic, amzDate: raw } };
  const http = amzDate === undefined && HTTP_DATE.test(raw) ? Date.parse(raw) : NaN;
  return Number.isNaN(http) ? { raw } : { raw, instant: { ms: http, amzDate: formatAmzDate(http) } };
}

export interface ComputedSignature {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

export function computeSignature(
  secret: string,
  scope: CredentialScope,
  amzDate: string,
  parts: CanonicalRequestParts,
): ComputedSignature {
  const canonical = canonicalRequest(parts);
  const toSign = stringToSign(amzDate, scope, canonical);
  return { canonicalRequest: canonical, stringToSign: toSign, signature: signingKey(secret, scope).sign(toSign) };
}
