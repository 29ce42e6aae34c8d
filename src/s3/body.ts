/**
 * Request bodies: the one seam that turns an HTTP request into the plain bytes of its payload, and the
 * integrity checks S3 makes while streaming them (x-amz-content-sha256, Content-MD5, x-amz-checksum-*).
 * A failed check deletes what was written: S3 never stores a body it could not verify.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { s3Error } from '../errors/s3-errors';
import type { BlobInfo } from '../storage/blob-store';
import { createDigest, type DigestAlgorithm } from '../storage/digests';
import { CHECKSUM_ALGORITHMS, DIGEST_LENGTH, checksumHeaderName, checksumMismatch, digestAlgorithm, parseChecksumAlgorithm, type ChecksumAlgorithm } from './checksums';
import { awsChunkedOptions } from './aws-chunked-options';
import { decodeAwsChunked } from './aws-chunked';
import { header, type S3Context, type S3Request } from './operation';
import { encryptingStream } from './sse-c';

export interface PlainBody {
  stream: Readable;
  /** Trailing headers of an aws-chunked body (x-amz-checksum-*), known once `stream` has ended. */
  trailers(): Record<string, string>;
}

/**
 * The payload as plain bytes: aws-chunked framing (STREAMING-* payload modes) is undone by the chunked
 * decoder, which also checks chunk signatures, the decoded length and a trailing checksum, failing the
 * stream with S3's error before it ends (so a blob written from it is never committed). With
 * `checksumByCaller` the decoder leaves the checksum's value to the caller (it still checks the trailer
 * arrives well formed).
 */
export function plainBody(req: S3Request, checksumByCaller = false): PlainBody {
  const options = awsChunkedOptions(req, req.headers);
  if (!options) return { stream: req.body, trailers: () => ({}) };
  if (checksumByCaller) options.computeChecksum = false;
  const decoder = decodeAwsChunked(options);
  req.body.on('error', (err) => decoder.destroy(err));
  req.body.on('aborted', () => decoder.destroy(s3Error('IncompleteBody', 'The request body terminated unexpectedly')));
  return { stream: req.body.pipe(decoder), trailers: () => decoder.result?.trailers ?? {} };
}

/** The Content-Encoding to store: S3 drops `aws-chunked`, which only describes the transfer. */
export function storedContentEncoding(req: S3Request): string | undefined {
  const raw = header(req, 'content-encoding');
  if (raw === undefined) return undefined;
  const kept = raw.split(',').map((s) => s.trim()).filter((s) => s !== '' && s.toLowerCase() !== 'aws-chunked');
  return kept.length ? kept.join(',') : undefined;
}

export interface ChecksumRequest {
  algorithm: ChecksumAlgorithm;
  /** The value the client sent (header or trailer); absent when only the algorithm was named. */
  expected?: string;
  /** The value arrives in a trailer. */
  trailer: boolean;
}

/**
 * Which additional checksum the request asks for: an x-amz-checksum-* header, an x-amz-trailer naming one,
 * or x-amz-sdk-checksum-algorithm alone. More than one value is InvalidRequest, as S3 answers.
 */
export function requestedChecksum(req: S3Request): ChecksumRequest | undefined {
  const present = CHECKSUM_ALGORITHMS.filter((a) => header(req, checksumHeaderName(a)) !== undefined);
  if (present.length > 1) throw s3Error('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const trailer = header(req, 'x-amz-trailer');
  const sdk = header(req, 'x-amz-sdk-checksum-algorithm');
  if (present.length === 1) {
    const algorithm = present[0]!;
    const value = header(req, checksumHeaderName(algorithm))!;
    validateChecksumValue(algorithm, value);
    return { algorithm, expected: value, trailer: false };
  }
  if (trailer !== undefined) {
    const m = /^x-amz-checksum-([a-z0-9]+)$/i.exec(trailer.trim());
    const algorithm = m ? parseChecksumAlgorithm(m[1]!) : undefined;
    if (!algorithm) throw s3Error('InvalidRequest', 'The value specified in the x-amz-trailer header is not supported');
    return { algorithm, trailer: true };
  }
  if (sdk !== undefined) {
    const algorithm = parseChecksumAlgorithm(sdk);
    if (!algorithm) throw s3Error('InvalidRequest', 'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]');
    // The SDK names an algorithm with its value in a header or trailer; naming one alone is S3's 400.
    throw s3Error('InvalidRequest', `x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.`);
  }
  return undefined;
}

export function validateChecksumValue(algorithm: ChecksumAlgorithm, value: string): void {
  const bytes = /^[A-Za-z0-9+/]*={0,2}$/.test(value) ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (bytes.length !== DIGEST_LENGTH[algorithm] || bytes.toString('base64') !== value) {
    throw s3Error('InvalidRequest', `Value for ${checksumHeaderName(algorithm)} header is invalid.`);
  }
}

/** Content-MD5 must be the base64 of 16 bytes; anything else is InvalidDigest before the body is read. */
export function requestedMd5(req: S3Request): string | undefined {
  const value = header(req, 'content-md5');
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== value.trim()) {
    throw s3Error('InvalidDigest', undefined, { 'Content-MD5': value });
  }
  return value.trim();
}

export interface IngestResult {
  blob: BlobInfo;
  /** MD5 of the payload (plaintext). */
  md5Hex: string;
  /** MD5 of the stored bytes: the ciphertext when `encrypt` was given (an SSE-C ETag), else md5Hex. */
  storedMd5Hex: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

/**
 * Writes `source` to a new blob and returns the `digests` of its bytes in BlobInfo. Unencrypted, the blob
 * store takes them (a file blob's on its digest threads: storage/digest-thread.ts). With `encrypt` the
 * blob holds the ciphertext under the customer's key, so the digests of the plaintext are taken here, and
 * `cipherMd5Hex` is the ciphertext's MD5 (SSE-C ETag).
 */
export async function writeHashedBlob(
  ctx: S3Context,
  source: Readable,
  digests: readonly DigestAlgorithm[],
  encrypt?: { key: Buffer; iv: string },
): Promise<{ blob: BlobInfo; cipherMd5Hex?: string }> {
  if (!encrypt) return { blob: await ctx.blobs.write(source, [], digests) };
  const local = digests.map((algorithm) => [algorithm, createDigest(algorithm)] as const);
  // A listener beside the cipher's pipe, not a Transform in front of it: one less stream hop per chunk.
  source.on('data', (chunk: Buffer) => {
    for (const [, digest] of local) digest.update(chunk);
  });
  const cipher = encryptingStream(encrypt.key, encrypt.iv);
  source.on('error', (err) => cipher.stream.destroy(err));
  const blob = await ctx.blobs.write(source.pipe(cipher.stream));
  blob.digests = new Map(local.map(([algorithm, digest]) => [algorithm, digest.digest()]));
  return { blob, cipherMd5Hex: cipher.md5Hex() };
}

export async function ingestBody(
  ctx: S3Context,
  req: S3Request,
  checksum: ChecksumRequest | undefined,
  encrypt?: { key: Buffer; iv: string },
): Promise<IngestResult> {
  const md5Expected = requestedMd5(req);
  // The blob store takes the declared checksum beside the other digests; the decoder need not.
  const body = plainBody(req, true);
  const declared = req.declaredPayloadHash;
  const verifySha256 = declared !== undefined && /^[0-9a-f]{64}$/i.test(declared);
  const checksumDigest = checksum && digestAlgorithm(checksum.algorithm);
  const wanted = new Set<DigestAlgorithm>(['md5']);
  if (verifySha256) wanted.add('sha256');
  if (checksumDigest) wanted.add(checksumDigest);
  const { blob, cipherMd5Hex } = await writeHashedBlob(ctx, body.stream, [...wanted], encrypt);
  try {
    if (verifySha256) {
      const computed = blob.digests.get('sha256')!.toString('hex');
      if (computed !== declared!.toLowerCase()) {
        throw s3Error('XAmzContentSHA256Mismatch', undefined, { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: computed });
      }
    }
    const md5Digest = blob.digests.get('md5')!;
    if (md5Expected !== undefined && md5Digest.toString('base64') !== md5Expected) {
      throw s3Error('BadDigest', undefined, { ExpectedDigest: Buffer.from(md5Expected, 'base64').toString('hex'), CalculatedDigest: md5Digest.toString('base64') });
    }
    let result: IngestResult['checksum'];
    if (checksum && checksumDigest) {
      const value = blob.digests.get(checksumDigest)!.toString('base64');
      const expected = checksum.trailer ? body.trailers()[checksumHeaderName(checksum.algorithm)] : checksum.expected;
      if (checksum.trailer && expected !== undefined) validateChecksumValue(checksum.algorithm, expected);
      if (expected !== undefined && expected !== value) {
        throw checksumMismatch(checksum.algorithm);
      }
      result = { algorithm: checksum.algorithm, value };
    }
    const md5Hex = md5Digest.toString('hex');
    return { blob, md5Hex, storedMd5Hex: cipherMd5Hex ?? md5Hex, checksum: result };
  } catch (err) {
    await ctx.blobs.delete(blob.id);
    throw err;
  }
}

/** Reads a small request body (an XML document) whole, checking x-amz-content-sha256 when it is a digest. */
export async function readSmallBody(req: S3Request, limit = 2 * 1024 * 1024): Promise<Buffer> {
  const body = plainBody(req);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body.stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw s3Error('MaxMessageLengthExceeded');
    chunks.push(chunk as Buffer);
  }
  const bytes = Buffer.concat(chunks);
  const declared = req.declaredPayloadHash;
  if (declared !== undefined && /^[0-9a-f]{64}$/i.test(declared)) {
    const computed = createHash('sha256').update(bytes).digest('hex');
    if (computed !== declared.toLowerCase()) {
      throw s3Error('XAmzContentSHA256Mismatch', undefined, { ClientComputedContentSHA256: declared, S3ComputedContentSHA256: computed });
    }
  }
  return bytes;
}
