import { randomBytes } from 'node:crypto';

/** Random bytes are drawn in blocks: one system call per thousand request ids rather than one per request. */
const BLOCK = 64 * 1024;
let pool = randomBytes(BLOCK);
let offset = 0;

function take(length: number): Buffer {
  if (offset + length > pool.length) {
    pool = randomBytes(BLOCK);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + length);
  offset += length;
  return bytes;
}

const ALPHANUMERIC = /[^A-Z0-9]/g;
/** A random prefix per process and a counter make ids unique without fresh randomness per request. */
const DYNAMO_PREFIX = take(30).toString('base64').toUpperCase().replace(ALPHANUMERIC, '0').slice(0, 38);
let dynamoCounter = 0;

/** DynamoDB's request ids: 52 upper-case alphanumerics. */
export function dynamoRequestId(): string {
  dynamoCounter = (dynamoCounter + 1) % 36 ** 10;
  return DYNAMO_PREFIX + dynamoCounter.toString(36).toUpperCase().padStart(14, '0');
}

/** S3's request ids: 16 upper-case hex characters, and a longer base64 extended id (x-amz-id-2). */
export function s3RequestIds(): { requestId: string; hostId: string } {
  return {
    requestId: take(8).toString('hex').toUpperCase(),
    hostId: take(48).toString('base64'),
  };
}
