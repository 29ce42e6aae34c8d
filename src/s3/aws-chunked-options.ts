import { s3Error } from '../errors/s3-errors';
import { headerValue, type RequestHeaders } from '../util/headers';
import { isAwsChunkedMode, type AwsChunkedOptions, type ChunkSigningContext } from './aws-chunked';
import { checksumFromHeaders } from './checksums';

/** What the decoder needs of a request's authentication: its declared payload mode and chunk signing key. */
export interface PayloadAuth {
  /** The signed `x-amz-content-sha256`. */
  declaredPayloadHash?: string;
  chunkSigning?: ChunkSigningContext;
}

const DECIMAL = /^\d{1,16}$/;

/**
 * What the aws-chunked decoder needs for this request, or undefined when its body is not aws-chunked
 * (`x-amz-content-sha256` is a digest, UNSIGNED-PAYLOAD or absent). Throws S3's errors for a streaming request
 * that cannot be decoded: checksum header problems (InvalidRequest / MalformedTrailerError, see
 * `checksumFromHeaders`), no or a malformed `x-amz-decoded-content-length`, SigV4a (ECDSA) streaming.
 */
export function awsChunkedOptions(auth: PayloadAuth | 'anonymous', headers: RequestHeaders): AwsChunkedOptions | undefined {
  const mode = auth === 'anonymous' ? headerValue(headers, 'x-amz-content-sha256') : auth.declaredPayloadHash;
  if (mode === undefined || !mode.startsWith('STREAMING-')) return undefined;
  if (!isAwsChunkedMode(mode)) {
    throw s3Error('NotImplemented', undefined, { Header: 'x-amz-content-sha256' });
  }
  const checksum = checksumFromHeaders(headers, { payloadMode: mode });
  const decodedText = headerValue(headers, 'x-amz-decoded-content-length')?.trim();
  if (decodedText === undefined) throw s3Error('MissingContentLength');
  if (!DECIMAL.test(decodedText) || !Number.isSafeInteger(Number(decodedText))) {
    throw s3Error('InvalidArgument', undefined, {
      ArgumentName: 'x-amz-decoded-content-length',
      ArgumentValue: decodedText,
    });
  }
  const signing = auth === 'anonymous' ? undefined : auth.chunkSigning;
  if (mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' && signing === undefined) {
    // Chunk signatures chain from a request signature, and an anonymous request has none.
    throw s3Error('AccessDenied');
  }
  return { mode, decodedContentLength: Number(decodedText), signing, checksum };
}
