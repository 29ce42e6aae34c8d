/**
 * A strict parser for the head of an HTTP/1.1 request, for the DynamoDB fast path (connections.ts). It
 * accepts only the plain form every AWS SDK sends; anything else (obsolete line folding, a repeated header,
 * an unusual character, another HTTP version) is `unsupported`, and the connection goes to node:http, whose
 * parser gives such requests the standard treatment. Pure, so it is table-tested on its own.
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

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, space and tab (so no bare CR or LF); bytes from 0x80 up are read as latin1, as node:http does. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const REQUEST_TARGET = /^[\x21-\x7e]+$/;

/**
 * Parses the head starting at `from`. `incomplete`: no blank line yet within MAX_HEAD_BYTES (read more);
 * `unsupported`: not something the fast path takes (node:http decides what it is).
 */
export function parseRequestHead(buf: Buffer, from: number): RequestHead | 'incomplete' | 'unsupported' {
  const blank = buf.indexOf('\r\n\r\n', from, 'latin1');
  if (blank < 0) return buf.length - from >= MAX_HEAD_BYTES ? 'unsupported' : 'incomplete';
  if (blank - from > MAX_HEAD_BYTES) return 'unsupported';
  const text = buf.toString('latin1', from, blank);
  const lines = text.split('\r\n');
  const requestLine = lines[0]!.split(' ');
  if (requestLine.length !== 3 || requestLine[2] !== 'HTTP/1.1') return 'unsupported';
  const [method, url] = requestLine as [string, string];
  if (!TCHAR.test(method) || !REQUEST_TARGET.test(url)) return 'unsupported';
  const headers: IncomingHttpHeaders = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) return 'unsupported';
    const name = line.slice(0, colon);
    if (!TCHAR.test(name)) return 'unsupported';
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (!FIELD_VALUE.test(value)) return 'unsupported';
    const key = name.toLowerCase();
    if (headers[key] !== undefined) return 'unsupported';
    headers[key] = value;
  }
  return { method, url, headers, end: blank + 4 };
}
