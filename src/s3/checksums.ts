import type { AwsError } from '../errors/aws-error';
import { s3Error } from '../errors/s3-errors';
import { headerValue, type RequestHeaders } from '../util/headers';
import { createDigest, type Digest, type DigestAlgorithm } from '../storage/digests';

/**
 * S3's additional checksums (flexible checksums) plus MD5, as streaming hashers. Every digest is big-endian
 * bytes, and S3 puts it on the wire as base64 (`x-amz-checksum-crc32: NSRBwg==`). Messages of the errors are
 * S3's as quoted by S3-compatible servers tested against it (OpenStack Swift's s3api, versitygw, minio).
 */

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
export type HashAlgorithm = ChecksumAlgorithm | 'MD5';

/** Digest size in bytes. */
export const DIGEST_LENGTH: Record<HashAlgorithm, number> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
  MD5: 16,
};

/** `x-amz-checksum-crc32` for `CRC32`. */
export const checksumHeaderName = (algorithm: ChecksumAlgorithm): string => `x-amz-checksum-${algorithm.toLowerCase()}`;

const BY_HEADER = new Map<string, ChecksumAlgorithm>(CHECKSUM_ALGORITHMS.map((a) => [checksumHeaderName(a), a]));

/** `x-amz-checksum-crc32` → `CRC32`; undefined for anything else (case-insensitive). */
export const algorithmFromHeaderName = (name: string): ChecksumAlgorithm | undefined =>
  BY_HEADER.get(name.trim().toLowerCase());

/** The blob store's name for an algorithm (storage/digests.ts, which computes them all). */
export const digestAlgorithm = (algorithm: HashAlgorithm): DigestAlgorithm => algorithm.toLowerCase() as DigestAlgorithm;

/** A streaming digest of an S3 algorithm: raw bytes, which S3 puts on the wire as base64. */
export const createHasher = (algorithm: HashAlgorithm): Digest => createDigest(digestAlgorithm(algorithm));

/** One-shot digest, base64 (the S3 wire form). */
export function checksumBase64(algorithm: HashAlgorithm, data: Uint8Array | readonly Uint8Array[]): string {
  const hasher = createHasher(algorithm);
  for (const part of data instanceof Uint8Array ? [data] : data) hasher.update(part);
  return hasher.digest().toString('base64');
}

// ---------------------------------------------------------------------------------------------------------
// What a request declares.

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The digest bytes of a base64 checksum value, or undefined unless it is canonical base64 of the right size. */
export function parseChecksumValue(algorithm: HashAlgorithm, value: string): Buffer | undefined {
  const trimmed = value.trim();
  if (!BASE64.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed, 'base64');
  return bytes.length === DIGEST_LENGTH[algorithm] ? bytes : undefined;
}

export interface DeclaredChecksum {
  algorithm: ChecksumAlgorithm;
  /** `x-amz-checksum-crc32`: the header that carries it, or the trailer that will. */
  name: string;
  /** `header`: the value is known now; `trailer`: it follows the aws-chunked body (x-amz-trailer). */
  location: 'header' | 'trailer';
  /** Base64 as sent (trimmed), for `location: 'header'`. */
  value?: string;
}

// x-amz-checksum-* headers that are not a checksum value.
const NOT_A_VALUE = new Set(['x-amz-checksum-algorithm', 'x-amz-checksum-type', 'x-amz-checksum-mode']);
const TRAILER_MODES = new Set([
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
]);

const invalidRequest = (message: string): AwsError => s3Error('InvalidRequest', message);
const MULTIPLE = 'Expecting a single x-amz-checksum- header';

export const malformedTrailer = (): AwsError => s3Error('MalformedTrailerError');

/**
 * The checksum a request declares: an `x-amz-checksum-<alg>` header, or one announced by `x-amz-trailer` to
 * follow an aws-chunked body; undefined when neither. Throws S3's InvalidRequest for more than one, an unknown
 * algorithm, a malformed value or an `x-amz-sdk-checksum-algorithm` that disagrees. With `payloadMode` (the
 * `x-amz-content-sha256` value), a trailer on a body that cannot carry one is MalformedTrailerError.
 */
export function checksumFromHeaders(
  headers: RequestHeaders,
  options: { payloadMode?: string } = {},
): DeclaredChecksum | undefined {
  const inHeaders: { name: string; algorithm: ChecksumAlgorithm; value: string }[] = [];
  for (const rawName in headers) {
    const name = rawName.toLowerCase();
    if (!name.startsWith('x-amz-checksum-') || NOT_A_VALUE.has(name) || headers[rawName] === undefined) continue;
    const algorithm = algorithmFromHeaderName(name);
    if (algorithm === undefined) throw invalidRequest('The algorithm type you specified in x-amz-checksum- header is invalid.');
    inHeaders.push({ name, algorithm, value: headerValue(headers, rawName)!.trim() });
  }
  if (inHeaders.length > 1) throw invalidRequest(`${MULTIPLE}. Multiple checksum Types are not allowed.`);

  const trailerHeader = headerValue(headers, 'x-amz-trailer')?.trim() ?? '';
  const trailers = trailerHeader === '' ? [] : trailerHeader.replace(/,$/, '').split(',').map((t) => t.trim().toLowerCase());
  if (trailers.some((t) => algorithmFromHeaderName(t) === undefined)) {
    throw invalidRequest('The value specified in the x-amz-trailer header is not supported');
  }
  if (trailers.length > 1) throw invalidRequest(`${MULTIPLE}. Multiple checksum Types are not allowed.`);
  if (inHeaders.length + trailers.length > 1) throw invalidRequest(MULTIPLE);

  let declared: DeclaredChecksum | undefined;
  const header = inHeaders[0];
  if (header !== undefined) {
    if (parseChecksumValue(header.algorithm, header.value) === undefined) {
      throw invalidRequest(`Value for ${header.name} header is invalid.`);
    }
    declared = { algorithm: header.algorithm, name: header.name, location: 'header', value: header.value };
  } else if (trailers[0] !== undefined) {
    declared = { algorithm: algorithmFromHeaderName(trailers[0])!, name: trailers[0], location: 'trailer' };
  }

  const sdkAlgorithm = headerValue(headers, 'x-amz-sdk-checksum-algorithm')?.trim();
  if (sdkAlgorithm) {
    if (declared === undefined) {
      throw invalidRequest(
        'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
      );
    }
    if (sdkAlgorithm.toUpperCase() !== declared.algorithm) {
      throw invalidRequest('Value for x-amz-sdk-checksum-algorithm header is invalid.');
    }
  }
  if (declared?.location === 'trailer' && options.payloadMode !== undefined && !TRAILER_MODES.has(options.payloadMode)) {
    throw malformedTrailer();
  }
  return declared;
}

/** S3's answer when a declared checksum is not the body's. */
export const checksumMismatch = (algorithm: ChecksumAlgorithm): AwsError =>
  s3Error('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`);

/** `crc32` / `CRC32` → `CRC32`; undefined for anything else. */
export function parseChecksumAlgorithm(value: string): ChecksumAlgorithm | undefined {
  const upper = value.trim().toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper) ? (upper as ChecksumAlgorithm) : undefined;
}

