import { createHash, createHmac, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { AwsError } from '../errors/aws-error';
import { s3Error } from '../errors/s3-errors';
import { signaturesMatch } from '../util/signatures';
import {
  algorithmFromHeaderName,
  checksumMismatch,
  createHasher,
  malformedTrailer,
  parseChecksumValue,
  type ChecksumAlgorithm,
  type DeclaredChecksum,
} from './checksums';
import type { Digest } from '../storage/digests';

/**
 * Decoder of `Content-Encoding: aws-chunked` request bodies (SigV4 streaming uploads):
 *
 *     <hex size>[;chunk-signature=<64 hex>]\r\n<size bytes>\r\n ... 0[;chunk-signature=<sig>]\r\n
 *     [<trailer name>:<value>\r\n ...][x-amz-trailer-signature:<sig>\r\n]\r\n
 *
 * It scans only the framing (native indexOf for line ends); payload bytes pass through as zero-copy slices of
 * the input buffers, hashed by native code (SHA-256 of signed chunks, zlib CRC32) or the table-driven CRCs.
 * Memory is constant: at most one partial header/trailer line is held.
 *
 * Every failure is S3's AwsError, emitted as the stream's error BEFORE its end: the payload of a signed chunk
 * is passed on before its signature is checked, so a consumer must commit what it stored only on 'end'
 * (e.g. write to a temporary file, rename on 'end'), never on the data seen so far.
 */

/** What verifying the chunk (and trailer) signatures of a signed aws-chunked body needs. */
export interface ChunkSigningContext {
  /** The derived SigV4 key of the request's scope (not the secret). */
  signingKey: Buffer;
  /** ISO 8601 basic time the request was signed with, e.g. `20130524T000000Z`. */
  amzDate: string;
  /** `20130524/us-east-1/s3/aws4_request`. */
  scope: string;
  /** The request's own signature (Authorization header or X-Amz-Signature): the first chunk chains from it. */
  seedSignature: string;
  accessKeyId: string;
}

export type AwsChunkedMode =
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'
  | 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

export const AWS_CHUNKED_MODES: readonly AwsChunkedMode[] = [
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
];

export interface AwsChunkedOptions {
  /** The request's `x-amz-content-sha256`. */
  mode: AwsChunkedMode;
  /** `x-amz-decoded-content-length`: the payload size; any other total is IncompleteBody. */
  decodedContentLength: number;
  /** Required for the two signed modes (AuthResult.chunkSigning); ignored for the unsigned one. */
  signing?: ChunkSigningContext;
  /** What `checksumFromHeaders` found: a header value or a trailer; checked at the end (BadDigest). */
  checksum?: DeclaredChecksum;
  /**
   * False when the caller digests the payload itself (a blob store, off the main thread) and compares:
   * the decoder then checks only that the declared value arrives and is well formed.
   */
  computeChecksum?: boolean;
  /** Every chunk but the last must be at least this big (S3: 8192), else InvalidChunkSizeError. */
  minChunkSize?: number;
}

export interface AwsChunkedResult {
  /** Payload bytes decoded (= decodedContentLength). */
  decodedLength: number;
  /** The declared checksum, verified against the payload (unless the caller computes it: `computeChecksum`). */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  /** Trailing headers as received (lowercase names), `x-amz-trailer-signature` excluded. */
  trailers: Record<string, string>;
}

export const S3_MIN_CHUNK_SIZE = 8192;
const MAX_HEADER_LINE = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';
const CHUNK_SIGNATURE = 'chunk-signature=';
const HEX_SIZE = /^[0-9a-fA-F]{1,16}$/;
const CR = 0x0d;
const LF = 0x0a;

const terminated = (): AwsError => s3Error('IncompleteBody', 'The request body terminated unexpectedly');
const lengthMismatch = (expected: number, provided: number): AwsError =>
  s3Error('IncompleteBody', undefined, { NumberBytesExpected: expected, NumberBytesProvided: provided });
const spacedHex = (s: string): string => Buffer.from(s, 'utf8').toString('hex').replace(/(..)(?=.)/g, '$1 ');

const enum State {
  Header,
  Data,
  DataCr,
  DataLf,
  Trailer,
  Done,
}

export class AwsChunkedDecoder extends Transform {
  /** Set just before the stream ends successfully. */
  result?: AwsChunkedResult;

  private readonly signed: boolean;
  private readonly signing?: ChunkSigningContext;
  private readonly minChunkSize: number;
  /** The declared checksum's, when this decoder computes it. */
  private readonly hasher: Digest | undefined;
  private state = State.Header;
  /** Partial header or trailer line carried over from the previous input buffer. */
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private chunkNumber = 0;
  private previousChunkSize = -1;
  private chunkRemaining = 0;
  private chunkHash?: Hash;
  private chunkSignature = '';
  private previousSignature: string;
  private decoded = 0;
  private trailerBytes = 0;
  private readonly trailerLines: { name: string; value: string; raw: string }[] = [];

  constructor(private readonly options: AwsChunkedOptions) {
    super();
    this.signed = options.mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
    if (this.signed && options.signing === undefined) throw new Error(`${options.mode} needs the signing context`);
    this.signing = options.signing;
    this.previousSignature = options.signing?.seedSignature ?? '';
    this.minChunkSize = options.minChunkSize ?? S3_MIN_CHUNK_SIZE;
    if (options.checksum !== undefined && options.computeChecksum !== false) this.hasher = createHasher(options.checksum.algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.finish();
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  private consume(buf: Buffer): void {
    let pos = 0;
    const end = buf.length;
    while (pos < end) {
      switch (this.state) {
        case State.Header:
        case State.Trailer: {
          const lf = buf.indexOf(LF, pos);
          const limit = this.state === State.Header ? MAX_HEADER_LINE : MAX_TRAILER_BYTES - this.trailerBytes;
          if (lf < 0) {
            this.pending.push(buf.subarray(pos));
            this.pendingLength += end - pos;
            if (this.pendingLength > limit) throw this.state === State.Header ? terminated() : malformedTrailer();
            return;
          }
          let line = buf.subarray(pos, lf + 1);
          if (this.pendingLength > 0) {
            line = Buffer.concat([...this.pending, line]);
            this.pending = [];
            this.pendingLength = 0;
          }
          if (line.length > limit) throw this.state === State.Header ? terminated() : malformedTrailer();
          pos = lf + 1;
          // Every line ends in CRLF.
          if (line.length < 2 || line[line.length - 2] !== CR) throw this.state === State.Header ? terminated() : malformedTrailer();
          const text = line.toString('latin1', 0, line.length - 2);
          if (this.state === State.Header) this.chunkHeader(text);
          else this.trailerLine(text, line.length);
          break;
        }
        case State.Data: {
          const n = Math.min(this.chunkRemaining, end - pos);
          const data = buf.subarray(pos, pos + n);
          pos += n;
          this.chunkRemaining -= n;
          this.decoded += n;
          this.chunkHash?.update(data);
          this.hasher?.update(data);
          this.push(data);
          if (this.chunkRemaining === 0) {
            if (this.signed) this.verifyChunk(this.chunkHash!.digest('hex'));
            this.chunkHash = undefined;
            this.state = State.DataCr;
          }
          break;
        }
        case State.DataCr:
          if (buf[pos++] !== CR) throw terminated();
          this.state = State.DataLf;
          break;
        case State.DataLf:
          if (buf[pos++] !== LF) throw terminated();
          this.state = State.Header;
          break;
        case State.Done:
          // Nothing may follow the blank line that closes the body.
          throw terminated();
      }
    }
  }

  private chunkHeader(line: string): void {
    this.chunkNumber++;
    const semicolon = line.indexOf(';');
    const sizeText = semicolon < 0 ? line : line.slice(0, semicolon);
    if (!HEX_SIZE.test(sizeText)) throw terminated();
    const size = parseInt(sizeText, 16);
    if (size > 0 && this.previousChunkSize >= 0 && this.previousChunkSize < this.minChunkSize) {
      throw s3Error('InvalidChunkSizeError', undefined, { Chunk: this.chunkNumber, BadChunkSize: this.previousChunkSize });
    }
    this.previousChunkSize = size;
    const expected = this.options.decodedContentLength;
    if (size > expected - this.decoded) throw lengthMismatch(expected, this.decoded + size);
    if (this.signed) {
      const extension = semicolon < 0 ? '' : line.slice(semicolon + 1);
      if (extension === '') throw terminated();
      if (!extension.startsWith(CHUNK_SIGNATURE)) throw this.signatureMismatch('', extension, 'AWS4-HMAC-SHA256-PAYLOAD');
      this.chunkSignature = extension.slice(CHUNK_SIGNATURE.length).trim();
      if (this.chunkSignature === '' || this.chunkSignature.includes(';')) throw terminated();
    }
    if (size === 0) {
      if (this.signed) this.verifyChunk(EMPTY_SHA256);
      this.state = State.Trailer;
      return;
    }
    this.chunkRemaining = size;
    if (this.signed) this.chunkHash = createHash('sha256');
    this.state = State.Data;
  }

  private trailerLine(text: string, rawLength: number): void {
    this.trailerBytes += rawLength;
    if (text === '') {
      this.state = State.Done;
      return;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) throw malformedTrailer();
    this.trailerLines.push({ name: text.slice(0, colon).trim().toLowerCase(), value: text.slice(colon + 1).trim(), raw: text });
  }

  private hmacHex(toSign: string): string {
    return createHmac('sha256', this.signing!.signingKey).update(toSign, 'utf8').digest('hex');
  }

  private verifyChunk(payloadHashHex: string): void {
    const { amzDate, scope } = this.signing!;
    const toSign = `AWS4-HMAC-SHA256-PAYLOAD\n${amzDate}\n${scope}\n${this.previousSignature}\n${EMPTY_SHA256}\n${payloadHashHex}`;
    const expected = this.hmacHex(toSign);
    if (!signaturesMatch(expected, this.chunkSignature.toLowerCase())) {
      throw this.signatureMismatch(toSign, this.chunkSignature);
    }
    this.previousSignature = expected;
  }

  private signatureMismatch(toSign: string, provided: string, algorithm?: string): AwsError {
    return s3Error('SignatureDoesNotMatch', undefined, {
      AWSAccessKeyId: this.signing?.accessKeyId,
      StringToSign: toSign || algorithm,
      SignatureProvided: provided,
      StringToSignBytes: spacedHex(toSign || algorithm || ''),
    });
  }

  private finish(): void {
    // The stream may end right after the last trailer line (or the final chunk) without the closing blank line.
    if (this.state !== State.Done && !(this.state === State.Trailer && this.pendingLength === 0)) {
      const expected = this.options.decodedContentLength;
      throw this.decoded < expected && this.state !== State.Trailer ? lengthMismatch(expected, this.decoded) : terminated();
    }
    const expected = this.options.decodedContentLength;
    if (this.decoded !== expected) throw lengthMismatch(expected, this.decoded);

    const { checksum } = this.options;
    const wantTrailer = checksum?.location === 'trailer' ? checksum.name : undefined;
    const signedTrailer = this.options.mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
    const trailers: Record<string, string> = {};
    let trailerSignature: string | undefined;
    const signedLines: string[] = [];
    for (const line of this.trailerLines) {
      if (line.name === TRAILER_SIGNATURE && signedTrailer && trailerSignature === undefined) {
        trailerSignature = line.value;
        continue;
      }
      if (line.name !== wantTrailer || line.name in trailers) throw malformedTrailer();
      trailers[line.name] = line.value;
      signedLines.push(`${line.raw}\n`);
    }
    if (signedTrailer) {
      if (trailerSignature === undefined || this.trailerLines.length === 1) throw terminated();
      const { amzDate, scope } = this.signing!;
      const trailerHash = createHash('sha256').update(signedLines.join(''), 'latin1').digest('hex');
      const toSign = `AWS4-HMAC-SHA256-TRAILER\n${amzDate}\n${scope}\n${this.previousSignature}\n${trailerHash}`;
      if (!signaturesMatch(this.hmacHex(toSign), trailerSignature.toLowerCase())) {
        throw this.signatureMismatch(toSign, trailerSignature);
      }
    }
    if (wantTrailer !== undefined && !(wantTrailer in trailers)) throw malformedTrailer();

    let verified: AwsChunkedResult['checksum'];
    if (checksum !== undefined) {
      const declared = checksum.location === 'header' ? checksum.value! : trailers[checksum.name]!;
      const declaredBytes = parseChecksumValue(checksum.algorithm, declared);
      if (declaredBytes === undefined) {
        throw s3Error('InvalidRequest', `Value for ${checksum.name} ${checksum.location === 'trailer' ? 'trailing ' : ''}header is invalid.`);
      }
      if (this.hasher !== undefined) {
        const computed = this.hasher.digest();
        if (!declaredBytes.equals(computed)) throw checksumMismatch(checksum.algorithm);
        verified = { algorithm: checksum.algorithm, value: computed.toString('base64') };
      }
    }
    this.result = { decodedLength: this.decoded, checksum: verified, trailers };
  }
}

/**
 * The decoder of an aws-chunked body: pipe the request into it and read the payload out. On success,
 * `decoder.result` holds the verified checksum and the digests before 'end' is emitted; on failure the
 * stream errors with S3's AwsError.
 */
export const decodeAwsChunked = (options: AwsChunkedOptions): AwsChunkedDecoder => new AwsChunkedDecoder(options);

/** Whether an `x-amz-content-sha256` value announces an aws-chunked body this decoder handles. */
export const isAwsChunkedMode = (value: string | undefined): value is AwsChunkedMode =>
  value !== undefined && (AWS_CHUNKED_MODES as readonly string[]).includes(value);

/** The Content-Encoding to store: the request's, less `aws-chunked` (undefined if nothing is left). */
export function storedContentEncoding(contentEncoding: string | undefined): string | undefined {
  if (contentEncoding === undefined) return undefined;
  const rest = contentEncoding
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked');
  return rest.length === 0 ? undefined : rest.join(', ');
}

/** `x-amz-checksum-crc32` → `CRC32` for trailer names; re-exported for handlers. */
export { algorithmFromHeaderName };
