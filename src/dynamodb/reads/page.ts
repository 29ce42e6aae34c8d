/**
 * One page of a Query or Scan, streamed from storage in bounded batches: entries are read in key order
 * (or reverse) from a range, optionally only those of one parallel-scan segment, until Limit entries were
 * evaluated or 1 MB of them (item sizes before any filter, as DynamoDB counts), peeking one entry further so
 * that LastEvaluatedKey is only given when something follows.
 */
import type { ReadView } from '../../storage/engine';
import type { Item } from '../values/attribute-value';
import { itemSize } from '../values/item-size';

/** DynamoDB's page size limit. */
export const PAGE_BYTES = 1024 * 1024;
const BATCH = 128;
const ZERO = Buffer.from([0]);

export interface Segmenting {
  segment: number;
  total: number;
  /** Byte offset of the partition key component in every key of the range. */
  offset: number;
}

/** Stable hash of the partition key component starting at `offset` (its escaped bytes up to the terminator). */
export function segmentOf(key: Buffer, offset: number, total: number): number {
  let h = 0x811c9dc5;
  for (let i = offset + 1; i < key.length; i++) {
    const byte = key[i]!;
    if (byte === 0 && key[i + 1] !== 0xff) break;
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % total;
}

/** `start` moved past an ExclusiveStartKey's storage key, when that key is not before it already. */
export function startAfter(start: Buffer, key: Buffer): Buffer {
  const after = Buffer.concat([key, ZERO]);
  return after.compare(start) > 0 ? after : start;
}

export interface PageOptions {
  start: Buffer;
  end: Buffer;
  reverse?: boolean;
  limit?: number;
  segment?: Segmenting;
  /** Called with each evaluated item; returns whether it is kept. */
  accept: (item: Item, value: Buffer, key: Buffer) => boolean;
}

export interface PageResult {
  scannedCount: number;
  /** Sum of the evaluated items' sizes. */
  scannedBytes: number;
  /** The last evaluated item, when the page stopped before the end of the range. */
  lastItem?: Item;
}

export async function readPage(view: ReadView, options: PageOptions): Promise<PageResult> {
  let start = options.start;
  let end = options.end;
  const reverse = options.reverse === true;
  const limit = options.limit;
  const segment = options.segment;
  let scannedCount = 0;
  let scannedBytes = 0;
  let lastItem: Item | undefined;
  if (Buffer.compare(start, end) >= 0) return { scannedCount, scannedBytes };
  for (;;) {
    const want = limit !== undefined && !segment ? Math.min(BATCH, limit - scannedCount + 1) : BATCH;
    const batch = await view.scan({ start, end, reverse, limit: want });
    for (const entry of batch) {
      if (segment && segmentOf(entry.key, segment.offset, segment.total) !== segment.segment) continue;
      if ((limit !== undefined && scannedCount >= limit) || scannedBytes >= PAGE_BYTES) {
        return lastItem ? { scannedCount, scannedBytes, lastItem } : { scannedCount, scannedBytes };
      }
      const item = JSON.parse(entry.value.toString('utf8')) as Item;
      scannedCount++;
      scannedBytes += itemSize(item);
      lastItem = item;
      options.accept(item, entry.value, entry.key);
    }
    if (batch.length < want) return { scannedCount, scannedBytes };
    const last = batch[batch.length - 1]!.key;
    if (reverse) end = last;
    else start = Buffer.concat([last, ZERO]);
  }
}
