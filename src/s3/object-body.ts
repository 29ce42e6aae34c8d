/**
 * Reading an object's body: one blob, or the ordered part blobs of a completed multipart upload read in
 * sequence (a range touches only the parts it overlaps). Nothing is ever copied to assemble an object.
 * `readObject` gives a stream (copies, checksums, SSE-C); `openObject` a body that GetObject writes into
 * its response through reused buffers.
 */
import { Readable, type Writable } from 'node:stream';
import type { BlobReader, ByteRange } from '../storage/blob-store';
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

/** A range of a blob's bytes, decrypted when the object is SSE-C (`iv` set; `key` the verified key). */
async function readBlob(ctx: S3Context, blobId: string, range: ByteRange, iv: string | undefined, key: Buffer | undefined): Promise<Readable> {
  const raw = await ctx.blobs.read(blobId, range);
  if (iv === undefined) return raw;
  if (!key) {
    raw.destroy();
    throw new Error('an SSE-C body read without its key');
  }
  const plain = decryptingStream(key, iv, range.start);
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
 * The blob ranges that make up the object's bytes (or `range` of them), in order. Ranges are explicit even
 * for a whole blob: the record knows its size, so opening it needs no fstat.
 */
function piecesOf(obj: Pick<ObjectRecord, 'blobId' | 'size' | 'parts' | 'ssec'>, range: ByteRange | undefined): { blobId: string; range: ByteRange; iv?: string }[] {
  const iv = (p: { iv?: string }): string | undefined => (obj.ssec === undefined ? undefined : p.iv);
  const start = range?.start ?? 0;
  const end = range?.end ?? obj.size - 1;
  if (!obj.parts) return obj.size === 0 ? [] : [{ blobId: obj.blobId, range: { start, end }, iv: obj.ssec?.iv }];
  const offsets = partOffsets(obj);
  return obj.parts.flatMap((p, i) => {
    const o = offsets[i]!;
    if (p.size === 0 || o.end < start || o.start > end) return [];
    return [{ blobId: p.blobId, range: { start: Math.max(start, o.start) - o.start, end: Math.min(end, o.end) - o.start }, iv: iv(p) }];
  });
}

/**
 * The body (or `range` of it). The first blob is opened before this resolves, so a missing blob (a
 * concurrent overwrite deleted it) rejects here with ENOENT rather than failing mid-response. An SSE-C
 * object (`obj.ssec`) needs the customer's `key`, already verified against the record.
 */
export async function readObject(ctx: S3Context, obj: Pick<ObjectRecord, 'blobId' | 'size' | 'parts' | 'ssec'>, range?: ByteRange, key?: Buffer): Promise<Readable> {
  const pieces = piecesOf(obj, range);
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

/**
 * A plainly stored body (not SSE-C) that writes itself into a response through reused buffers
 * (BlobReader), blob after blob. Made by `openObject`, which has opened the first blob already.
 */
export class ObjectBody {
  private current: BlobReader | undefined;

  constructor(
    private readonly ctx: S3Context,
    private readonly pieces: readonly { blobId: string; range: ByteRange }[],
    first: BlobReader | undefined,
  ) {
    this.current = first;
  }

  /** Writes the whole body to `out` (see BlobReader.writeTo for what `out` must do). */
  async writeTo(out: Writable): Promise<void> {
    for (let i = 0; i < this.pieces.length; i++) {
      const reader = (this.current ??= await this.ctx.blobs.open(this.pieces[i]!.blobId, this.pieces[i]!.range));
      try {
        await reader.writeTo(out);
      } finally {
        this.current = undefined;
      }
    }
  }

  /** Releases the opened blob when the body is not written (a HEAD, or an answer abandoned). */
  destroy(): void {
    this.current?.close();
    this.current = undefined;
  }
}

/** Like `readObject`, for a body that is not SSE-C, to be written into a response: ENOENT rejects here. */
export async function openObject(ctx: S3Context, obj: Pick<ObjectRecord, 'blobId' | 'size' | 'parts'>, range?: ByteRange): Promise<ObjectBody> {
  const pieces = piecesOf(obj, range);
  const first = pieces.length === 0 ? undefined : await ctx.blobs.open(pieces[0]!.blobId, pieces[0]!.range);
  return new ObjectBody(ctx, pieces, first);
}
