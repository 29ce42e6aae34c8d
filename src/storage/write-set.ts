/**
 * A batch's write set packed for the trip to the commit worker: every key and value copied into one
 * fresh ArrayBuffer, with their lengths in a second one. Both are transferred (moved, not cloned), so
 * one message carries the whole batch whatever the Buffers it came from: small Buffers from Node's
 * shared pool, or slices of a large request body, are copied once here rather than structured-cloned
 * with their whole backing store.
 *
 * Layout, in order: for each range, its start and end; then for each entry, its key and its value.
 * `lengths` holds two numbers per range or entry; a value length of -1 marks a delete.
 */

import type { WriteLayer } from './overlay';

export interface EncodedWriteSet {
  ranges: number;
  entries: number;
  lengths: Int32Array;
  data: Uint8Array;
}

const DELETE = -1;

export function encodeWriteSet(layer: WriteLayer): { writeSet: EncodedWriteSet; transfer: ArrayBuffer[] } {
  const ranges = layer.ranges.length;
  const entries = layer.entries.size;
  const lengths = new Int32Array(2 * (ranges + entries));
  let total = 0;
  let i = 0;
  for (const range of layer.ranges) {
    lengths[i++] = range.start.length;
    lengths[i++] = range.end.length;
    total += range.start.length + range.end.length;
  }
  for (const entry of layer.entries.values()) {
    lengths[i++] = entry.key.length;
    lengths[i++] = entry.value === null ? DELETE : entry.value.length;
    total += entry.key.length + (entry.value?.length ?? 0);
  }
  // allocUnsafeSlow: a Buffer of its own (never the shared pool), so its ArrayBuffer can be transferred.
  const data = Buffer.allocUnsafeSlow(total);
  let offset = 0;
  for (const range of layer.ranges) {
    offset += range.start.copy(data, offset);
    offset += range.end.copy(data, offset);
  }
  for (const entry of layer.entries.values()) {
    offset += entry.key.copy(data, offset);
    if (entry.value !== null) offset += entry.value.copy(data, offset);
  }
  return { writeSet: { ranges, entries, lengths, data }, transfer: [lengths.buffer, data.buffer] };
}

export interface WriteSetVisitor {
  deleteRange(start: Buffer, end: Buffer): void;
  /** `value === null` is a delete. */
  entry(key: Buffer, value: Buffer | null): void;
}

/** Replays a write set: ranges first, then entries (an entry is already final, see overlay.ts). */
export function replayWriteSet(writeSet: EncodedWriteSet, visitor: WriteSetVisitor): void {
  const { lengths } = writeSet;
  // Received as a plain Uint8Array; Buffer views of it cost no copy.
  const data = Buffer.from(writeSet.data.buffer, writeSet.data.byteOffset, writeSet.data.byteLength);
  let offset = 0;
  const take = (length: number): Buffer => data.subarray(offset, (offset += length));
  let i = 0;
  for (let r = 0; r < writeSet.ranges; r++) {
    const start = take(lengths[i++]!);
    visitor.deleteRange(start, take(lengths[i++]!));
  }
  for (let e = 0; e < writeSet.entries; e++) {
    const key = take(lengths[i++]!);
    const valueLength = lengths[i++]!;
    visitor.entry(key, valueLength === DELETE ? null : take(valueLength));
  }
}

/** Visits a layer's writes in the same order as `replayWriteSet`. */
export function visitLayer(layer: WriteLayer, visitor: WriteSetVisitor): void {
  for (const range of layer.ranges) visitor.deleteRange(range.start, range.end);
  for (const entry of layer.entries.values()) visitor.entry(entry.key, entry.value);
}
