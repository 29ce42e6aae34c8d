/**
 * A strict parser for the head of an HTTP/1.1 request, for the DynamoDB fast path (connections.ts). It
 * accepts only the plain form every AWS SDK sends; anything else (obsolete line folding, a repeated header,
 * an unusual character, another HTTP version) is `unsupported`, and the connection goes to node:http, whose
 * parser gives such requests the standard treatment. Pure, so it is table-tested on its own. It scans
 * character codes rather than splitting and matching: it runs on every DynamoDB request.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface RequestHead {
  method: string;
  /** The request target as sent (path and query). */
  url: string;
  /** Lower-case names; every name appears once (a repeat makes the head unsupported). */
  headers: IncomingHttpHeaders;
  /** Offset just past the blank line that ends the head. */
  end: number;
}

/** node:http's default limit on the size of a request head. */
export const MAX_HEAD_BYTES = 16 * 1024;

const SP = 32;
const HTAB = 9;
/** RFC 9110 token characters (header names, methods). */
const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TOKEN[c.charCodeAt(0)] = 1;
const isToken = (c: number): boolean => c < 128 && TOKEN[c] === 1;
/** Visible ASCII, space and tab (so no bare CR or LF); bytes from 0x80 up are read as latin1, as node:http does. */
const isValueChar = (c: number): boolean => c === HTAB || (c >= SP && c !== 127);

/**
 * Parses the head starting at `from`. `incomplete`: no blank line yet within MAX_HEAD_BYTES (read more);
 * `unsupported`: not something the fast path takes (node:http decides what it is).
 */
export function parseRequestHead(buf: Buffer, from: number): RequestHead | 'incomplete' | 'unsupported' {
  const blank = buf.indexOf('\r\n\r\n', from, 'latin1');
  if (blank < 0) return buf.length - from >= MAX_HEAD_BYTES ? 'unsupported' : 'incomplete';
  if (blank - from > MAX_HEAD_BYTES) return 'unsupported';
  const text = buf.toString('latin1', from, blank);
  const length = text.length;

  // Request line: METHOD SP TARGET SP HTTP/1.1
  let lineEnd = text.indexOf('\r\n');
  if (lineEnd < 0) lineEnd = length;
  let at = 0;
  while (at < lineEnd && isToken(text.charCodeAt(at))) at++;
  if (at === 0 || text.charCodeAt(at) !== SP) return 'unsupported';
  const method = text.slice(0, at);
  const targetStart = ++at;
  while (at < lineEnd && text.charCodeAt(at) > SP && text.charCodeAt(at) < 127) at++;
  if (at === targetStart || at + 9 !== lineEnd || text.charCodeAt(at) !== SP || !text.startsWith('HTTP/1.1', at + 1)) return 'unsupported';
  const url = text.slice(targetStart, at);

  const headers: IncomingHttpHeaders = {};
  for (let line = lineEnd + 2; line < length; line = lineEnd + 2) {
    lineEnd = text.indexOf('\r\n', line);
    if (lineEnd < 0) lineEnd = length;
    let colon = line;
    let lower = true;
    for (let c = text.charCodeAt(colon); colon < lineEnd && isToken(c); c = text.charCodeAt(++colon)) {
      if (c >= 65 && c <= 90) lower = false;
    }
    if (colon === line || colon === lineEnd || text.charCodeAt(colon) !== 58) return 'unsupported';
    let start = colon + 1;
    let end = lineEnd;
    while (start < end && (text.charCodeAt(start) === SP || text.charCodeAt(start) === HTAB)) start++;
    while (end > start && (text.charCodeAt(end - 1) === SP || text.charCodeAt(end - 1) === HTAB)) end--;
    for (let i = start; i < end; i++) if (!isValueChar(text.charCodeAt(i))) return 'unsupported';
    const name = lower ? text.slice(line, colon) : text.slice(line, colon).toLowerCase();
    if (headers[name] !== undefined) return 'unsupported';
    headers[name] = text.slice(start, end);
  }
  return { method, url, headers, end: blank + 4 };
}
