/**
 * Buffered writes of not-yet-committed transactions, and reads that see committed state through them.
 *
 * A `WriteLayer` holds point writes (a value, or `null` for a delete) and range deletes. Layers stack:
 * a transaction's own layer sits on the batch layer (earlier transactions of the same group commit),
 * which sits on the committed store. A lookup asks each layer top-down; the first layer with an opinion
 * wins. Within one layer, a point entry always reflects the latest write for its key: `deleteRange`
 * turns the layer's entries inside the range into tombstones, so an entry found is final, and the
 * layer's ranges only matter for keys it has no entry for.
 */

import type { KeyValue } from './engine';

/** The smallest key: an omitted scan start means this (start is inclusive). */
export const EMPTY_KEY = Buffer.alloc(0);

export interface OverlayEntry {
  readonly key: Buffer;
  /** `null` marks a delete. */
  value: Buffer | null;
}

export interface KeyRange {
  readonly start: Buffer;
  readonly end: Buffer;
}

/** Synchronous reads of the committed state underneath the layers. */
export interface CommittedSource {
  get(key: Buffer): Buffer | undefined;
  /** Rows in [start, end) (end `undefined` = unbounded) in key order, or reverse; `limit` < 0 = all. */
  scan(start: Buffer, end: Buffer | undefined, reverse: boolean, limit: number): KeyValue[];
}

/**
 * Map key for a binary key. latin1 maps each byte to one UTF-16 unit, so it is a bijection that is
 * cheaper to build than hex, and string comparison of two ids is memcmp order of the keys.
 */
export function keyId(key: Buffer): string {
  return key.toString('latin1');
}

function inRange(key: Buffer, start: Buffer, end: Buffer | undefined): boolean {
  return Buffer.compare(key, start) >= 0 && (end === undefined || Buffer.compare(key, end) < 0);
}

export class WriteLayer {
  readonly entries = new Map<string, OverlayEntry>();
  readonly ranges: KeyRange[] = [];

  get isEmpty(): boolean {
    return this.entries.size === 0 && this.ranges.length === 0;
  }

  /** `value === null` records a delete. */
  set(key: Buffer, value: Buffer | null, id: string = keyId(key)): void {
    const entry = this.entries.get(id);
    if (entry !== undefined) entry.value = value;
    else this.entries.set(id, { key, value });
  }

  deleteRange(start: Buffer, end: Buffer): void {
    if (Buffer.compare(start, end) >= 0) return;
    for (const entry of this.entries.values()) {
      if (entry.value !== null && inRange(entry.key, start, end)) entry.value = null;
    }
    this.ranges.push({ start, end });
  }

  /** A value, `null` if this layer deleted the key, `undefined` if this layer does not know it. */
  lookup(id: string, key: Buffer): Buffer | null | undefined {
    const entry = this.entries.get(id);
    if (entry !== undefined) return entry.value;
    for (const range of this.ranges) {
      if (inRange(key, range.start, range.end)) return null;
    }
    return undefined;
  }

  /** Applies `upper` (a later layer) on top of this one; `upper` must not be used afterwards. */
  absorb(upper: WriteLayer): void {
    // Ranges first: every entry of `upper` is already final with respect to its own ranges.
    for (const range of upper.ranges) this.deleteRange(range.start, range.end);
    for (const [id, entry] of upper.entries) this.entries.set(id, entry);
  }

  clear(): void {
    this.entries.clear();
    this.ranges.length = 0;
  }
}

/** Layers are ordered top (most recent) first. */
export function readThrough(layers: readonly WriteLayer[], source: CommittedSource, key: Buffer): Buffer | undefined {
  const id = keyId(key);
  for (const layer of layers) {
    const found = layer.lookup(id, key);
    if (found !== undefined) return found ?? undefined;
  }
  return source.get(key);
}

/**
 * [start, end) minus the union of `ranges`, as ascending disjoint intervals. Committed rows inside a
 * deleted range are invisible, so the store is only asked about what is left.
 */
function visibleIntervals(start: Buffer, end: Buffer | undefined, ranges: KeyRange[]): { start: Buffer; end: Buffer | undefined }[] {
  if (ranges.length === 0) return [{ start, end }];
  const sorted = ranges.slice().sort((a, b) => Buffer.compare(a.start, b.start));
  const out: { start: Buffer; end: Buffer | undefined }[] = [];
  let cursor = start;
  for (const range of sorted) {
    if (end !== undefined && Buffer.compare(range.start, end) >= 0) break;
    if (Buffer.compare(range.end, cursor) <= 0) continue;
    if (Buffer.compare(range.start, cursor) > 0) out.push({ start: cursor, end: range.start });
    cursor = range.end;
  }
  if (end === undefined || Buffer.compare(cursor, end) < 0) out.push({ start: cursor, end });
  return out;
}

/**
 * An ordered scan of committed state seen through `layers`. Overlay entries replace or hide committed
 * rows with the same key; committed rows inside any layer's deleted ranges are skipped.
 */
export function scanThrough(
  layers: readonly WriteLayer[],
  source: CommittedSource,
  start: Buffer,
  end: Buffer | undefined,
  reverse: boolean,
  limit: number,
): KeyValue[] {
  if (limit === 0) return [];
  // Effective overlay state of every key some layer wrote inside the bounds.
  const overlay: OverlayEntry[] = [];
  const ranges: KeyRange[] = [];
  const seen = new Set<string>();
  for (const layer of layers) {
    for (const range of layer.ranges) ranges.push(range);
    for (const [id, entry] of layer.entries) {
      if (seen.has(id) || !inRange(entry.key, start, end)) continue;
      seen.add(id);
      let value: Buffer | null | undefined;
      for (const l of layers) {
        value = l.lookup(id, entry.key);
        if (value !== undefined) break;
      }
      overlay.push({ key: entry.key, value: value ?? null });
    }
  }
  const order = reverse ? -1 : 1;
  overlay.sort((a, b) => order * Buffer.compare(a.key, b.key));
  const intervals = visibleIntervals(start, end, ranges);
  if (reverse) intervals.reverse();

  const out: KeyValue[] = [];
  const full = (): boolean => limit >= 0 && out.length >= limit;
  let next = 0;
  for (const interval of intervals) {
    // Each overlay entry can hide or replace at most one committed row, so this many rows suffice.
    const want = limit < 0 ? -1 : limit - out.length + overlay.length - next;
    for (const row of source.scan(interval.start, interval.end, reverse, want)) {
      let cmp = 1;
      while (next < overlay.length) {
        const entry = overlay[next]!;
        cmp = order * Buffer.compare(entry.key, row.key);
        if (cmp > 0) break;
        next++;
        if (entry.value !== null) {
          out.push({ key: entry.key, value: entry.value });
          if (full()) return out;
        }
        if (cmp === 0) break;
      }
      if (cmp !== 0) {
        out.push(row);
        if (full()) return out;
      }
    }
  }
  for (; next < overlay.length; next++) {
    const entry = overlay[next]!;
    if (entry.value !== null) {
      out.push({ key: entry.key, value: entry.value });
      if (full()) return out;
    }
  }
  return out;
}
