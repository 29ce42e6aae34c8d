import * as crypto from 'node:crypto';
import { createHmac } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const TERMINATOR = 'aws4_request';
/** How far a request's time may be from the server's, either way, in both services. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** The scope a signature was made for: `<date>/<region>/<service>/aws4_request`. */
export interface CredentialScope {
  date: string;
  region: string;
  service: string;
}

// Deriving a signing key costs four HMACs; a client reuses one key for a whole day, so keep the recent ones.
// Keyed by the secret too, so a rotated secret never meets a stale key.
const SIGNING_KEY_CACHE_SIZE = 256;
const signingKeys = new Map<string, SigningKey>();
// The key of the last request, checked first: a client's scope strings come from one cached parse of its
// Authorization header, so comparing them is cheaper than building the map key.
let lastKey: (CredentialScope & { secret: string; key: SigningKey }) | undefined;

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

const sha256Hex: (data: string) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * A derived signing key, and HMAC-SHA256 under it from its precomputed pads (RFC 2104):
 * H((K ^ opad) || H((K ^ ipad) || m)), with one-shot hashing. The same bytes as createHmac at a fraction of
 * the cost, which matters as every request is signed under one of a few cached keys.
 */
export class SigningKey {
  private readonly ipad = Buffer.alloc(64, 0x36);
  private readonly outer = Buffer.alloc(96, 0x5c); // the opad-keyed block, then the inner digest

  /** `bytes` is a 32-byte HMAC output, under SHA-256's 64-byte block. */
  constructor(readonly bytes: Buffer) {
    for (let i = 0; i < bytes.length; i++) {
      this.ipad[i]! ^= bytes[i]!;
      this.outer[i]! ^= bytes[i]!;
    }
  }

  /** The lowercase hex HMAC of `message`. */
  sign(message: string): string {
    // One-shot hashing needs Node >= 20.12.
    if (typeof crypto.hash !== 'function') return hmac(this.bytes, message).toString('hex');
    const length = Buffer.byteLength(message, 'utf8');
    const inner = Buffer.allocUnsafe(64 + length);
    this.ipad.copy(inner, 0);
    inner.write(message, 64, length, 'utf8');
    // A 'binary' (latin1) string carries the digest's bytes one per character, and is cheaper to return than a Buffer.
    this.outer.write(crypto.hash('sha256', inner, 'binary'), 64, 'latin1');
    return crypto.hash('sha256', this.outer, 'hex');
  }
}

export function signingKey(secret: string, scope: CredentialScope): SigningKey {
  const last = lastKey;
  if (
    last !== undefined &&
    last.secret === secret &&
    last.date === scope.date &&
    last.region === scope.region &&
    last.service === scope.service
  ) {
    return last.key;
  }
  const cacheKey = `${secret}\n${scope.date}\n${scope.region}\n${scope.service}`;
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = new SigningKey(hmac(hmac(hmac(hmac(`AWS4${secret}`, scope.date), scope.region), scope.service), TERMINATOR));
    if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE) signingKeys.delete(signingKeys.keys().next().value!);
    signingKeys.set(cacheKey, key);
  }
  lastKey = { secret, date: scope.date, region: scope.region, service: scope.service, key };
  return key;
}

/** `<date>/<region>/<service>/aws4_request`, as the string to sign and aws-chunked chunk signatures carry it. */
export const scopeString = (scope: CredentialScope): string =>
  `${scope.date}/${scope.region}/${scope.service}/${TERMINATOR}`;

export const stringToSign = (amzDate: string, scope: CredentialScope, canonicalRequest: string): string =>
  `${ALGORITHM}\n${amzDate}\n${scopeString(scope)}\n${sha256Hex(canonicalRequest)}`;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `20240101T000000Z` to epoch milliseconds; undefined unless it is exactly that shape and a real instant.
 * Hand-rolled: it runs on every request, and a regex plus a Date round-trip showed up in profiles.
 */
export function parseAmzDate(value: string): number | undefined {
  const shaped = value.length === 16 && value[8] === 'T' && value[15] === 'Z';
  if (!shaped) return undefined;
  const digits = (from: number, to: number): number => {
    let n = 0;
    for (let i = from; i < to; i++) {
      const d = value.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return NaN;
      n = n * 10 + d;
    }
    return n;
  };
  const year = digits(0, 4);
  const month = digits(4, 6);
  const day = digits(6, 8);
  const hour = digits(9, 11);
  const minute = digits(11, 13);
  const second = digits(13, 15);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  // NaN (a non-digit) fails every comparison below.
  const valid = year >= 0 && monthDays !== undefined && day >= 1 && day <= monthDays;
  if (!(valid && hour < 24 && minute < 60 && second < 60)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** `yyyyMMdd` check for the credential scope's date. */
export const isScopeDate = (value: string): boolean => parseAmzDate(`${value}T000000Z`) !== undefined;

/** `20240101T000000Z`, the ISO 8601 basic format SigV4 signs. */
export const formatAmzDate = (ms: number): string =>
  new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** ISO 8601 to the second, as S3 prints `ServerTime` and `Expires`. */
export const formatIsoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The UTF-8 bytes of a string to sign in spaced hex, as S3's SignatureDoesNotMatch documents show them. */
export const spacedHex = (s: string): string => Buffer.from(s, 'utf8').toString('hex').replace(/(..)(?=.)/g, '$1 ');
