/**
 * SSE-C: server-side encryption with a customer-provided key (x-amz-server-side-encryption-customer-*).
 *
 * The stored bytes are AES-256-CTR ciphertext under the customer's key, with a random 16-byte initial
 * counter block per blob (kept in the record: `ssec.iv` for a single-blob object, `iv` on each part of a
 * multipart one). CTR keeps ciphertext offsets equal to plaintext offsets, so a Range read decrypts only
 * the bytes it sends, starting the keystream at the block that holds its first byte.
 *
 * The key itself is never stored: only a random salt, HMAC-SHA256(salt, key) to check the keys of later
 * requests, and the key's MD5 that S3 echoes back. Like S3, the ETag of an SSE-C object is not the MD5 of
 * its data: Basalt uses the MD5 of the stored ciphertext.
 *
 * S3 refuses SSE-C over plain HTTP; Basalt follows that unless it listens on a loopback address only, where
 * the key never leaves the machine (S3Context.plainSseC).
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Transform } from 'node:stream';
import { s3Error } from '../errors/s3-errors';
import { header, type S3Context, type S3Request } from './operation';

export const SSEC_ALGORITHM = 'AES256';

/** What a record keeps to recognize the customer's key later; never the key. */
export interface CustomerKeyVerifier {
  /** base64 MD5 of the key, echoed as x-amz-server-side-encryption-customer-key-MD5. */
  keyMd5: string;
  /** base64 random salt and base64 HMAC-SHA256(salt, key). */
  salt: string;
  hmac: string;
}

export interface CustomerKey {
  key: Buffer;
  keyMd5: string;
}

type Prefix = 'x-amz-server-side-encryption-customer-' | 'x-amz-copy-source-server-side-encryption-customer-';
const TARGET: Prefix = 'x-amz-server-side-encryption-customer-';
const SOURCE: Prefix = 'x-amz-copy-source-server-side-encryption-customer-';

const invalidArgument = (message: string, value?: string) =>
  s3Error('InvalidArgument', message, { ArgumentName: 'x-amz-server-side-encryption', ArgumentValue: value ?? 'null' });

/** Whether the request carries any SSE-C header for the target object. */
export function hasCustomerHeaders(req: S3Request, prefix: Prefix = TARGET): boolean {
  return ['algorithm', 'key', 'key-md5'].some((name) => header(req, `${prefix}${name}`) !== undefined);
}

/**
 * The key an SSE-C request names (with `prefix`: the target's headers, or the copy source's), validated as
 * S3 does; undefined when the request has none of the headers. `write` requests must carry the key's MD5
 * and a key of the right length; reads (GET/HEAD/copy source) need no MD5, and a key of the wrong length
 * there simply fails verification (403), as in S3.
 */
function parseCustomerKey(ctx: S3Context, req: S3Request, prefix: Prefix, write: boolean): CustomerKey | undefined {
  const algorithm = header(req, `${prefix}algorithm`);
  const rawKey = header(req, `${prefix}key`);
  const md5 = header(req, `${prefix}key-md5`);
  if (algorithm === undefined && rawKey === undefined && md5 === undefined) return undefined;
  if (!ctx.plainSseC) {
    throw s3Error('InvalidRequest', 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.');
  }
  if (algorithm === undefined) {
    throw invalidArgument('Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.');
  }
  if (rawKey === undefined || rawKey === '') {
    throw invalidArgument('Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.');
  }
  if (algorithm !== SSEC_ALGORITHM) {
    throw s3Error('InvalidEncryptionAlgorithmError', 'The Encryption request you specified is not valid. Supported value: AES256.', {
      ArgumentName: 'x-amz-server-side-encryption',
      ArgumentValue: algorithm,
    });
  }
  const key = Buffer.from(rawKey, 'base64');
  const keyMd5 = createHash('md5').update(key).digest('base64');
  if (md5 === undefined) {
    if (write) {
      throw invalidArgument('Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.');
    }
  } else if (md5 !== keyMd5) {
    throw invalidArgument('The calculated MD5 hash of the key did not match the hash that was provided.');
  }
  if (write && key.length !== 32) throw invalidArgument('The secret key was invalid for the specified algorithm.');
  return { key, keyMd5 };
}

/** The target key of a write (PutObject, CreateMultipartUpload, UploadPart, CopyObject's destination). */
export function writeKey(ctx: S3Context, req: S3Request): CustomerKey | undefined {
  return parseCustomerKey(ctx, req, TARGET, true);
}

export function newVerifier(key: CustomerKey): CustomerKeyVerifier {
  const salt = randomBytes(16);
  return { keyMd5: key.keyMd5, salt: salt.toString('base64'), hmac: createHmac('sha256', salt).update(key.key).digest('base64') };
}

export function keyMatches(verifier: CustomerKeyVerifier, key: CustomerKey): boolean {
  if (key.key.length !== 32) return false;
  const expected = Buffer.from(verifier.hmac, 'base64');
  const actual = createHmac('sha256', Buffer.from(verifier.salt, 'base64')).update(key.key).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * The key a read of an existing object must present (GET/HEAD with the target headers, a copy source
 * with the x-amz-copy-source-* ones): S3's 400 when the object needs a key and none came, or one came for
 * an object without SSE-C, and 403 for a key that is not the object's.
 */
export function readKey(ctx: S3Context, req: S3Request, verifier: CustomerKeyVerifier | undefined, source = false): CustomerKey | undefined {
  const key = parseCustomerKey(ctx, req, source ? SOURCE : TARGET, false);
  if (!verifier) {
    if (key) throw s3Error('InvalidRequest', 'The encryption parameters are not applicable to this object.');
    return undefined;
  }
  if (!key) {
    throw s3Error('InvalidRequest', 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
  }
  if (!keyMatches(verifier, key)) {
    throw s3Error('AccessDenied', 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.');
  }
  return key;
}

/** The SSE-C headers S3 echoes on writes, GET and HEAD. */
export function customerHeaders(verifier: Pick<CustomerKeyVerifier, 'keyMd5'> | undefined): Record<string, string> {
  if (!verifier) return {};
  return {
    'x-amz-server-side-encryption-customer-algorithm': SSEC_ALGORITHM,
    'x-amz-server-side-encryption-customer-key-md5': verifier.keyMd5,
  };
}

export const newIv = (): string => randomBytes(16).toString('base64');

/** The counter block for byte `offset` of a CTR stream that starts at `iv` (128-bit big-endian add). */
function counterAt(iv: Buffer, offset: number): Buffer {
  const value = (BigInt(`0x${iv.toString('hex')}`) + BigInt(Math.floor(offset / 16))) & ((1n << 128n) - 1n);
  return Buffer.from(value.toString(16).padStart(32, '0'), 'hex');
}

/** Encrypts a blob's bytes; `md5Hex()` is the MD5 of the ciphertext (the SSE-C ETag) once it has ended. */
export function encryptingStream(key: Buffer, iv: string): { stream: Transform; md5Hex(): string } {
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.from(iv, 'base64'));
  const md5 = createHash('md5');
  let digest: string | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _e, done) {
      const out = cipher.update(chunk);
      md5.update(out);
      done(null, out);
    },
    flush(done) {
      const out = cipher.final();
      md5.update(out);
      done(null, out.length ? out : undefined);
    },
  });
  return { stream, md5Hex: () => (digest ??= md5.digest('hex')) };
}

/** Decrypts the bytes of a blob that start at `offset` in it. */
export function decryptingStream(key: Buffer, iv: string, offset: number): Transform {
  const decipher = createDecipheriv('aes-256-ctr', key, counterAt(Buffer.from(iv, 'base64'), offset));
  // The keystream of the bytes before `offset` in its block is discarded.
  if (offset % 16 > 0) decipher.update(Buffer.alloc(offset % 16));
  return new Transform({
    transform(chunk: Buffer, _e, done) {
      done(null, decipher.update(chunk));
    },
    flush(done) {
      const out = decipher.final();
      done(null, out.length ? out : undefined);
    },
  });
}
