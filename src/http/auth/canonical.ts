/**
 * The canonical request of Signature Version 4: the one string both sides hash, so every byte here must agree
 * with what the SDKs build (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
 */
import type { RequestHeaders } from '../../util/headers';

export interface CanonicalRequestParts {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  /** Lowercase header names in the order the client listed them in SignedHeaders. */
  signedHeaders: readonly string[];
  headers: RequestHeaders;
  payloadHash: string;
}

/** One query parameter, decoded (to read it) and re-encoded (to sign it). */
export interface QueryParam {
  name: string;
  value: string;
  encodedName: string;
  encodedValue: string;
}

// RFC 3986 unreserved characters are the only bytes SigV4 leaves unencoded.
const UNRESERVED = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~') UNRESERVED[c.charCodeAt(0)] = 1;
const ENCODED_BYTE = Array.from({ length: 256 }, (_, b) =>
  b < 128 && UNRESERVED[b] ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
);

const isUnreserved = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || !UNRESERVED[c]) return false;
  }
  return true;
};

const hexValue = (c: number): number =>
  c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;

/**
 * Percent-decodes bytewise, so escapes of invalid UTF-8 survive re-encoding unchanged. A `%` not followed by
 * two hex digits is kept as a literal `%` (clients never send one; whatever consumes the request rejects it).
 */
function percentDecode(raw: string, plusIsSpace: boolean): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const high = c === 0x25 ? hexValue(raw.charCodeAt(i + 1)) : -1;
    const low = high >= 0 ? hexValue(raw.charCodeAt(i + 2)) : -1;
    if (low >= 0) {
      bytes.push(high * 16 + low);
      i += 2;
    } else if (c === 0x2b && plusIsSpace) {
      bytes.push(0x20);
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      const char = String.fromCodePoint(raw.codePointAt(i)!);
      for (const b of Buffer.from(char, 'utf8')) bytes.push(b);
      i += char.length - 1;
    }
  }
  return Buffer.from(bytes);
}

const encodeBytes = (bytes: Buffer): string => {
  let out = '';
  for (const b of bytes) out += ENCODED_BYTE[b];
  return out;
};

/** SigV4's UriEncode of a literal string (the SDK's `escapeUri`): every byte but the unreserved ones escaped. */
const encodeLiteral = (s: string): string => (isUnreserved(s) ? s : encodeBytes(Buffer.from(s, 'utf8')));

/** Decodes one path segment or query component and encodes it the canonical way (uppercase hex, nothing extra). */
function normalizeEncoding(raw: string, plusIsSpace: boolean): { decoded: Buffer | string; encoded: string } {
  if (isUnreserved(raw)) return { decoded: raw, encoded: raw };
  const decoded = percentDecode(raw, plusIsSpace);
  return { decoded, encoded: encodeBytes(decoded) };
}

/**
 * S3 signs the path encoded once, without normalisation: `/a//./b` stays as it is, and each segment is the
 * canonical encoding of its bytes, so `%7e`, `~` and `%7E` all sign as `~` (what the SDKs send) while an
 * encoded slash inside a segment stays `%2F`.
 */
export function s3CanonicalUri(rawPath: string): string {
  if (rawPath === '') return '/';
  return rawPath
    .split('/')
    .map((segment) => normalizeEncoding(segment, false).encoded)
    .join('/');
}

/**
 * Every other service normalises the path (empty and `.` segments dropped, `..` pops) and then encodes the
 * already-encoded path once more, so `%20` signs as `%2520`; this mirrors the SDK signer's `uriEscapePath`.
 */
export function normalizedCanonicalUri(rawPath: string): string {
  if (rawPath === '/') return rawPath; // every DynamoDB request
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(encodeLiteral(segment));
  }
  const leading = rawPath.startsWith('/') ? '/' : '';
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `${leading}${segments.join('/')}${trailing}`;
}

/** Splits the raw query (`a=1&b&c=x+y`) into parameters; `+` means a space, as in form encoding. */
export function parseQuery(rawQuery: string): QueryParam[] {
  const params: QueryParam[] = [];
  if (rawQuery === '') return params;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = normalizeEncoding(eq < 0 ? pair : pair.slice(0, eq), true);
    const value = normalizeEncoding(eq < 0 ? '' : pair.slice(eq + 1), true);
    params.push({
      name: name.decoded.toString(),
      value: value.decoded.toString(),
      encodedName: name.encoded,
      encodedValue: value.encoded,
    });
  }
  return params;
}

/**
 * Parameters sorted by encoded name, then encoded value (byte order; everything is ASCII by now). `exclude` is
 * the presigned URL's own signature; a second X-Amz-Signature would be an ordinary (unsigned) parameter.
 */
export function canonicalQueryString(params: readonly QueryParam[], exclude?: QueryParam): string {
  if (params.length === 0) return '';
  const kept = params.filter((p) => p !== exclude);
  kept.sort((a, b) =>
    a.encodedName !== b.encodedName
      ? a.encodedName < b.encodedName ? -1 : 1
      : a.encodedValue < b.encodedValue ? -1 : a.encodedValue > b.encodedValue ? 1 : 0,
  );
  return kept.map((p) => `${p.encodedName}=${p.encodedValue}`).join('&');
}

/** Trimmed, with inner runs of whitespace collapsed to one space, as the SDK signer does. */
const trimHeader = (value: string): string => (isTrimmed(value) ? value : value.trim().replace(/\s+/g, ' '));

/**
 * Whether `trimHeader` would leave the value as it is: no whitespace but single spaces between other
 * characters. Checked by character (every signed header of every request passes here); anything that might
 * be whitespace to `\s` beyond ASCII goes the regex way.
 */
function isTrimmed(value: string): boolean {
  const last = value.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = value.charCodeAt(i);
    if (c === 32) {
      if (i === 0 || i === last || value.charCodeAt(i + 1) === 32) return false;
    } else if ((c >= 9 && c <= 13) || c >= 127) {
      return false;
    }
  }
  return true;
}

const canonicalHeaderValue = (value: string | string[] | undefined): string => {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.map(trimHeader).join(',') : trimHeader(value);
};

export function canonicalRequest(parts: CanonicalRequestParts): string {
  let headerBlock = '';
  for (const name of parts.signedHeaders) headerBlock += `${name}:${canonicalHeaderValue(parts.headers[name])}\n`;
  const signedHeaders = parts.signedHeaders.join(';');
  return `${parts.method}\n${parts.canonicalUri}\n${parts.canonicalQuery}\n${headerBlock}\n${signedHeaders}\n${parts.payloadHash}`;
}
