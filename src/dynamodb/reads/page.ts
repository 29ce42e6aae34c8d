/**
 * One page of a Query or Scan, streamed from storage in bounded batches: entries are read in key order
 * (or reverse) from a range, optionally only those of one parallel-scan segment, until Limit entries were
 * evaluated or 1 MB of them (item sizes before any filter, as DynamoDB counts), peeking one entry further so
 * that LastEvaluatedKey is only given when something follows. A page whose items are returned as stored
 * (no filter, no projection) is read without parsing them: their sizes come from the stored JSON, and only
 * when needed. An item's stored JSON is never shorter than its DynamoDB size (names and values appear in it
 * whole, with quotes, type tags and base64 around them), so while the JSON read so far is under 1 MB the
 * page is too, and items are sized only near the limit or when the consumed capacity is asked for.
 */
import { keyAfter, type ReadView } from '../../storage/engine';
import { decodeItem } from '../items/storage';
import type { Item } from '../values/attribute-value';
import { itemSize } from '../values/item-size';
import { storedItemSize } from '../values/stored-size';

/** DynamoDB's page size limit. */
export const PAGE_BYTES = 1024 * 1024;
/**
 * Entries read per storage scan: a first batch sized for a typical Query, then larger ones for a page that
 * goes on (a 1 MB page holds thousands of small items, and each scan has a fixed cost). The SQLite engine
 * packs up to 1024 rows into one blob.
 */
const FIRST_BATCH = 128;
const NEXT_BATCH = 1024;

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
  const after = keyAfter(key);
  return after.compare(start) > 0 ? after : start;
}

export interface PageOptions {
  start: Buffer;
  end: Buffer;
  reverse?: boolean;
  limit?: number;
  segment?: Segmenting;
  /** Called with each evaluated item. */
  accept?: (item: Item) => void;
  /** Instead of `accept`: called with each evaluated entry's stored JSON, which is not parsed. */
  acceptStored?: (value: Buffer) => void;
}

export interface PageResult {
  scannedCount: number;
  /** Sum of the evaluated items' sizes (measured when asked). */
  scannedBytes(): number;
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
  let sized = 0; // sizes of the evaluated items, but for those still in `unsized`
  let unsized: Buffer[] = []; // stored JSON of evaluated items not sized yet
  let unsizedBytes = 0; // their JSON's length, at least their size
  const scannedBytes = (): number => {
    for (const value of unsized) sized += storedItemSize(value);
    unsized = [];
    unsizedBytes = 0;
    return sized;
  };
  const full = (): boolean => sized + unsizedBytes >= PAGE_BYTES && scannedBytes() >= PAGE_BYTES;
  let last: Buffer | undefined; // the last evaluated entry's value
  const { accept, acceptStored } = options;
  const result = (): PageResult => (last ? { scannedCount, scannedBytes, lastItem: decodeItem(last) } : { scannedCount, scannedBytes });
  if (Buffer.compare(start, end) >= 0) return { scannedCount, scannedBytes };
  for (let batchSize = FIRST_BATCH; ; batchSize = NEXT_BATCH) {
    const want = limit !== undefined && !segment ? Math.min(batchSize, limit - scannedCount + 1) : batchSize;
    const batch = await view.scan({ start, end, reverse, limit: want });
    for (const entry of batch) {
      if (segment && segmentOf(entry.key, segment.offset, segment.total) !== segment.segment) continue;
      if ((limit !== undefined && scannedCount >= limit) || full()) return result();
      scannedCount++;
      last = entry.value;
      if (acceptStored) {
        unsized.push(entry.value);
        unsizedBytes += entry.value.length;
        acceptStored(entry.value);
      } else {
        const item = decodeItem(entry.value);
        sized += itemSize(item);
        accept?.(item);
      }
    }
    if (batch.length < want) return { scannedCount, scannedBytes };
    const lastKey = batch[batch.length - 1]!.key;
    if (reverse) end = lastKey;
    else start = keyAfter(lastKey);
  }
}
