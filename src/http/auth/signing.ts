import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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
const signingKeys = new Map<string, Buffer>();

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

const sha256Hex = (data: string): string => createHash('sha256').update(data).digest('hex');

export function signingKey(secret: string, scope: CredentialScope): Buffer {
  const cacheKey = `${secret}\n${scope.date}\n${scope.region}\n${scope.service}`;
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, scope.date), scope.region), scope.service), TERMINATOR);
    if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE) signingKeys.delete(signingKeys.keys().next().value!);
    signingKeys.set(cacheKey, key);
  }
  return key;
}

const scopeString = (scope: CredentialScope): string =>
  `${scope.date}/${scope.region}/${scope.service}/${TERMINATOR}`;

export const stringToSign = (amzDate: string, scope: CredentialScope, canonicalRequest: string): string =>
  `${ALGORITHM}\n${amzDate}\n${scopeString(scope)}\n${sha256Hex(canonicalRequest)}`;

export const signature = (key: Buffer, toSign: string): string => hmac(key, toSign).toString('hex');

/** Constant-time for equal lengths; a length difference is no secret (every valid signature has 64 chars). */
export function signaturesMatch(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

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
