/**
 * Reading an object's body: one blob, or the ordered part blobs of a completed multipart upload read in
 * sequence (a range touches only the parts it overlaps). Nothing is ever copied to assemble an object.
 */
import { Readable } from 'node:stream';
import type { ByteRange } from '../storage/blob-store';
import type { S3Context } from './operation';
import type { ObjectRecord } from './records';

/** The parts' [start, end] byte offsets in the object. */
export function partOffsets(obj: Pick<ObjectRecord, 'parts'>): { start: number; end: number }[] {
  let at = 0;
  return (obj.parts ?? []).map((p) => {
    const start = at;
    at += p.size;
    return { start, end: at - 1 };
  });
}

/**
 * The body (or `range` of it). The first blob is opened before this resolves, so a missing blob (a
 * concurrent overwrite deleted it) rejects here with ENOENT rather than failing mid-response.
 */
export async function readObject(ctx: S3Context, obj: ObjectRecord, range?: ByteRange): Promise<Readable> {
  if (!obj.parts) {
    if (obj.size === 0) return Readable.from([]);
    return ctx.blobs.read(obj.blobId, range);
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? obj.size - 1;
  const pieces: { blobId: string; range: ByteRange }[] = [];
  const offsets = partOffsets(obj);
  obj.parts.forEach((p, i) => {
    const o = offsets[i]!;
    if (p.size === 0 || o.end < start || o.start > end) return;
    pieces.push({ blobId: p.blobId, range: { start: Math.max(start, o.start) - o.start, end: Math.min(end, o.end) - o.start } });
  });
  if (pieces.length === 0) return Readable.from([]);
  const first = await ctx.blobs.read(pieces[0]!.blobId, pieces[0]!.range);
  if (pieces.length === 1) return first;
  async function* sequence(): AsyncGenerator<Buffer> {
    let current: Readable | undefined = first;
    try {
      for (let i = 0; i < pieces.length; i++) {
        current = i === 0 ? first : await ctx.blobs.read(pieces[i]!.blobId, pieces[i]!.range);
        for await (const chunk of current) yield chunk as Buffer;
      }
    } finally {
      current?.destroy();
      if (current !== first) first.destroy();
    }
  }
  return Readable.from(sequence(), { objectMode: false });
}
