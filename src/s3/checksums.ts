import { createHash, type Hash } from 'node:crypto';
import * as zlib from 'node:zlib';
import type { AwsError } from '../errors/aws-error';
import { s3Error } from '../errors/s3-errors';
import { headerValue, type RequestHeaders } from '../http/auth/canonical';

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

export interface Hasher {
  readonly algorithm: HashAlgorithm;
  update(chunk: Uint8Array): void;
  /** Raw digest bytes (big-endian for the CRCs). Call once. */
  digest(): Buffer;
}

/** `x-amz-checksum-crc32` for `CRC32`. */
export const checksumHeaderName = (algorithm: ChecksumAlgorithm): string => `x-amz-checksum-${algorithm.toLowerCase()}`;

const BY_HEADER = new Map<string, ChecksumAlgorithm>(CHECKSUM_ALGORITHMS.map((a) => [checksumHeaderName(a), a]));

/** `x-amz-checksum-crc32` → `CRC32`; undefined for anything else (case-insensitive). */
export const algorithmFromHeaderName = (name: string): ChecksumAlgorithm | undefined =>
  BY_HEADER.get(name.trim().toLowerCase());

// ---------------------------------------------------------------------------------------------------------
// CRC32 (ISO-HDLC, what zlib computes): native.

// zlib.crc32 appeared in Node 20.15 / 22.2; @types/node of this repo may predate it.
const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

class Crc32Hasher implements Hasher {
  readonly algorithm = 'CRC32' as const;
  private crc = 0;
  update(chunk: Uint8Array): void {
    this.crc = nativeCrc32 !== undefined ? nativeCrc32(chunk, this.crc) : crc32Js(chunk, this.crc);
  }
  digest(): Buffer {
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(this.crc >>> 0, 0);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------
// 32-bit reflected CRCs in JavaScript: slicing-by-8 tables, 8 bytes per step.

function crc32Tables(reflectedPoly: number): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  const t0 = tables[0]!;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ reflectedPoly : c >>> 1;
    t0[n] = c >>> 0;
  }
  for (let s = 1; s < 8; s++) {
    const prev = tables[s - 1]!;
    const cur = tables[s]!;
    for (let n = 0; n < 256; n++) cur[n] = (prev[n]! >>> 8) ^ t0[prev[n]! & 0xff]!;
  }
  return tables;
}

/** Runs the reflected CRC register `crc` (already inverted) over `data`. */
function crc32Update(tables: Uint32Array[], crc: number, data: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = tables as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let c = crc;
  let i = 0;
  const n = data.length;
  const end8 = n - (n % 8);
  while (i < end8) {
    const a = c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    const b = data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24);
    c =
      t7[a & 0xff]! ^ t6[(a >>> 8) & 0xff]! ^ t5[(a >>> 16) & 0xff]! ^ t4[a >>> 24]! ^
      t3[b & 0xff]! ^ t2[(b >>> 8) & 0xff]! ^ t1[(b >>> 16) & 0xff]! ^ t0[b >>> 24]!;
    i += 8;
  }
  while (i < n) c = t0[(c ^ data[i++]!) & 0xff]! ^ (c >>> 8);
  return c;
}

let crc32cTables: Uint32Array[] | undefined;
let crc32IsoTables: Uint32Array[] | undefined;

const crc32Js = (data: Uint8Array, value: number): number => {
  crc32IsoTables ??= crc32Tables(0xedb88320);
  return (crc32Update(crc32IsoTables, ~value, data) ^ -1) >>> 0;
};

class Crc32cHasher implements Hasher {
  readonly algorithm = 'CRC32C' as const;
  private readonly tables = (crc32cTables ??= crc32Tables(0x82f63b78));
  private crc = -1;
  update(chunk: Uint8Array): void {
    this.crc = crc32Update(this.tables, this.crc, chunk);
  }
  digest(): Buffer {
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE((this.crc ^ -1) >>> 0, 0);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------
// CRC-64/NVME: reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout all ones. The 64-bit register is
// kept as two uint32 halves (no BigInt on the hot path); 8 tables of 256 entries, each split into low and
// high halves, let one step fold in 8 input bytes.

const CRC64_POLY_HI = 0x9a6c9329;
const CRC64_POLY_LO = 0xac4bc9b5;

interface Crc64Tables {
  lo: Uint32Array[];
  hi: Uint32Array[];
}

let crc64Tables: Crc64Tables | undefined;

function buildCrc64Tables(): Crc64Tables {
  const lo = Array.from({ length: 8 }, () => new Uint32Array(256));
  const hi = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let l = n;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const lsb = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (lsb) {
        l = (l ^ CRC64_POLY_LO) >>> 0;
        h = (h ^ CRC64_POLY_HI) >>> 0;
      }
    }
    lo[0]![n] = l;
    hi[0]![n] = h;
  }
  // Table s: the CRC of byte n followed by s zero bytes = shift the previous entry by one byte.
  for (let s = 1; s < 8; s++) {
    for (let n = 0; n < 256; n++) {
      const pl = lo[s - 1]![n]!;
      const ph = hi[s - 1]![n]!;
      const idx = pl & 0xff;
      lo[s]![n] = (((pl >>> 8) | (ph << 24)) ^ lo[0]![idx]!) >>> 0;
      hi[s]![n] = ((ph >>> 8) ^ hi[0]![idx]!) >>> 0;
    }
  }
  return { lo, hi };
}

class Crc64NvmeHasher implements Hasher {
  readonly algorithm = 'CRC64NVME' as const;
  private readonly t = (crc64Tables ??= buildCrc64Tables());
  private lo = 0xffffffff;
  private hi = 0xffffffff;

  update(data: Uint8Array): void {
    const [l0, l1, l2, l3, l4, l5, l6, l7] = this.t.lo as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    const [h0, h1, h2, h3, h4, h5, h6, h7] = this.t.hi as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    let lo = this.lo;
    let hi = this.hi;
    let i = 0;
    const n = data.length;
    const end8 = n - (n % 8);
    while (i < end8) {
      // Little-endian: the first four bytes meet the low half of the register.
      const a = lo ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
      const b = hi ^ (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24));
      const a0 = a & 0xff, a1 = (a >>> 8) & 0xff, a2 = (a >>> 16) & 0xff, a3 = a >>> 24;
      const b0 = b & 0xff, b1 = (b >>> 8) & 0xff, b2 = (b >>> 16) & 0xff, b3 = b >>> 24;
      lo = l7[a0]! ^ l6[a1]! ^ l5[a2]! ^ l4[a3]! ^ l3[b0]! ^ l2[b1]! ^ l1[b2]! ^ l0[b3]!;
      hi = h7[a0]! ^ h6[a1]! ^ h5[a2]! ^ h4[a3]! ^ h3[b0]! ^ h2[b1]! ^ h1[b2]! ^ h0[b3]!;
      i += 8;
    }
    while (i < n) {
      const idx = (lo ^ data[i++]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ l0[idx]!;
      hi = (hi >>> 8) ^ h0[idx]!;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  digest(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32BE((this.hi ^ 0xffffffff) >>> 0, 0);
    out.writeUInt32BE((this.lo ^ 0xffffffff) >>> 0, 4);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------
// SHA-1, SHA-256, MD5: node's crypto.

class NodeHasher implements Hasher {
  private readonly hash: Hash;
  constructor(readonly algorithm: 'SHA1' | 'SHA256' | 'MD5') {
    this.hash = createHash(algorithm === 'SHA1' ? 'sha1' : algorithm === 'SHA256' ? 'sha256' : 'md5');
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }
  digest(): Buffer {
    return this.hash.digest();
  }
}

export function createHasher(algorithm: HashAlgorithm): Hasher {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32Hasher();
    case 'CRC32C':
      return new Crc32cHasher();
    case 'CRC64NVME':
      return new Crc64NvmeHasher();
    case 'SHA1':
    case 'SHA256':
    case 'MD5':
      return new NodeHasher(algorithm);
  }
}

/** One-shot digest, base64 (the S3 wire form). */
export function checksumBase64(algorithm: HashAlgorithm, data: Uint8Array | readonly Uint8Array[]): string {
  const hasher = createHasher(algorithm);
  for (const part of data instanceof Uint8Array ? [data] : data) hasher.update(part);
  return hasher.digest().toString('base64');
}

/** Feeds every chunk to several hashers at once; digests come out base64 by algorithm. */
export class MultiHasher {
  private readonly hashers: Hasher[];
  constructor(algorithms: Iterable<HashAlgorithm>) {
    this.hashers = [...new Set(algorithms)].map(createHasher);
  }
  update(chunk: Uint8Array): void {
    for (const h of this.hashers) h.update(chunk);
  }
  digests(): Partial<Record<HashAlgorithm, string>> {
    const out: Partial<Record<HashAlgorithm, string>> = {};
    for (const h of this.hashers) out[h.algorithm] = h.digest().toString('base64');
    return out;
  }
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

// ---------------------------------------------------------------------------------------------------------
// The names an earlier draft of this module exported, kept so code written against it still builds.

/** Digest lengths in bytes of the five checksum algorithms. */
export const CHECKSUM_BYTES: Record<ChecksumAlgorithm, number> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
};

export const checksumHeader = checksumHeaderName;

/** `crc32` / `CRC32` → `CRC32`; undefined for anything else. */
export function parseChecksumAlgorithm(value: string): ChecksumAlgorithm | undefined {
  const upper = value.trim().toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(upper) ? (upper as ChecksumAlgorithm) : undefined;
}

/** A hasher whose digest is already base64. */
export function newChecksum(algorithm: ChecksumAlgorithm): { update(chunk: Uint8Array): void; digest(): string } {
  const hasher = createHasher(algorithm);
  return { update: (chunk) => hasher.update(chunk), digest: () => hasher.digest().toString('base64') };
}
