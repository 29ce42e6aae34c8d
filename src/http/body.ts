import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** Reads a whole request body, refusing more than `limit` bytes (before and after gzip decoding). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers['content-length']);
    // An oversized body is still drained (not kept), so the client reads the answer rather than a reset.
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLargeError());
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** Undoes `Content-Encoding: gzip`, bounded so a small bomb cannot expand past `limit`. */
export function decodeContent(body: Buffer, encoding: string | undefined, limit: number): Promise<Buffer> {
  if (!encoding || encoding === 'identity' || body.length === 0) return Promise.resolve(body);
  if (encoding !== 'gzip') return Promise.reject(new Error(`unsupported content encoding ${encoding}`));
  return new Promise((resolve, reject) => {
    gunzip(body, { maxOutputLength: limit }, (err, out) => (err ? reject(err) : resolve(out)));
  });
}
