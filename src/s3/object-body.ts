/**
 * Reading an object's body: one blob, or the ordered part blobs of a completed multipart upload read in
 * sequence (a range touches only the parts it overlaps). Nothing is ever copied to assemble an object.
 */
import { Readable } from 'node:stream';
import type { ByteRange } from '../storage/blob-store';
import type { S3Context } from './operation';
import type { ObjectRecord } from './records';
import { decryptingStream } from './sse-c';

/** The parts' [start, end] byte offsets in the object. */
export function partOffsets(obj: Pick<ObjectRecord, 'parts'>): { start: number; end: number }[] {
  let at = 0;
  return (obj.parts ?? []).map((p) => {
    const start = at;
    at += p.size;
    return { start, end: at - 1 };
  });
}

/** A blob's bytes (or a range), decrypted when the object is SSE-C (`iv` set; `key` the verified key). */
async function readBlob(ctx: S3Context, blobId: string, range: ByteRange | undefined, iv: string | undefined, key: Buffer | undefined): Promise<Readable> {
  const raw = await ctx.blobs.read(blobId, range);
  if (iv === undefined) return raw;
  if (!key) {
    raw.destroy();
    throw new Error('an SSE-C body read without its key');
  }
  const plain = decryptingStream(key, iv, range?.start ?? 0);
  raw.on('error', (err) => plain.destroy(err));
  plain.on('close', () => raw.destroy());
  return raw.pipe(plain);
}

/** Bodies up to this size are read with one call into one buffer rather than streamed. */
const SMALL_BODY = 64 * 1024;

/**
 * The body (or `range` of it) in one buffer when it is small and stored plainly in one blob (the common
 * small GET: one open, one read, one close); undefined when it should be streamed with `readObject`.
 * Rejects with ENOENT like `readObject`.
 */
export async function readSmallObject(ctx: S3Context, obj: Pick<ObjectRecord, 'blobId' | 'size' | 'parts' | 'ssec'>, range?: ByteRange): Promise<Buffer | undefined> {
  if (obj.parts || obj.ssec !== undefined) return undefined;
  const wanted = range ?? { start: 0, end: obj.size - 1 };
  const length = wanted.end - wanted.start + 1;
  if (length > SMALL_BODY) return undefined;
  return length <= 0 ? Buffer.alloc(0) : ctx.blobs.readBytes(obj.blobId, wanted);
}

/**
 * The body (or `range` of it). The first blob is opened before this resolves, so a missing blob (a
 * concurrent overwrite deleted it) rejects here with ENOENT rather than failing mid-response. An SSE-C
 * object (`obj.ssec`) needs the customer's `key`, already verified against the record.
 */
export async function readObject(ctx: S3Context, obj: Pick<ObjectRecord, 'blobId' | 'size' | 'parts' | 'ssec'>, range?: ByteRange, key?: Buffer): Promise<Readable> {
  const encrypted = obj.ssec !== undefined;
  if (!obj.parts) {
    if (obj.size === 0) return Readable.from([]);
    return readBlob(ctx, obj.blobId, range, encrypted ? obj.ssec!.iv : undefined, key);
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? obj.size - 1;
  const pieces: { blobId: string; range: ByteRange; iv?: string }[] = [];
  const offsets = partOffsets(obj);
  obj.parts.forEach((p, i) => {
    const o = offsets[i]!;
    if (p.size === 0 || o.end < start || o.start > end) return;
    pieces.push({ blobId: p.blobId, range: { start: Math.max(start, o.start) - o.start, end: Math.min(end, o.end) - o.start }, iv: encrypted ? p.iv : undefined });
  });
  if (pieces.length === 0) return Readable.from([]);
  const open = (i: number): Promise<Readable> => readBlob(ctx, pieces[i]!.blobId, pieces[i]!.range, pieces[i]!.iv, key);
  const first = await open(0);
  if (pieces.length === 1) return first;
  async function* sequence(): AsyncGenerator<Buffer> {
    let current: Readable | undefined = first;
    try {
      for (let i = 0; i < pieces.length; i++) {
        current = i === 0 ? first : await open(i);
        for await (const chunk of current) yield chunk as Buffer;
      }
    } finally {
      current?.destroy();
      if (current !== first) first.destroy();
    }
  }
  return Readable.from(sequence(), { objectMode: false });
}
