/**
 * The memory a file blob's bytes pass through on their way to disk (file-sink.ts): a few fixed slots that
 * the body is copied into, each then written to the file and hashed by the digest threads (digest-thread.ts)
 * straight from the same bytes. The memory is shared with those threads, and it is page-aligned, as direct
 * I/O (O_DIRECT) needs: a WebAssembly memory is the one allocation Node hands out on a page boundary.
 *
 * Why not the page cache: on a virtual machine whose memory the host takes back once the guest frees it,
 * every page of a new file the guest has not touched lately costs a host fault, about 370 MB/s here, so a
 * large upload written through the page cache is paced by that rather than by the disk. Direct writes from
 * a few reused slots touch no new memory at all.
 */

/** One slot: a direct write's unit, and what the digest threads are handed at a time. */
export const SLOT_BYTES = 256 * 1024;
/** Slots per ring: one being filled while the others are written and hashed. */
const SLOTS = 4;
const WASM_PAGE = 64 * 1024;

// The one WebAssembly API used here; the ES2022 and Node type libraries do not declare the global.
declare const WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => { buffer: SharedArrayBuffer } };

export class SlotRing {
  readonly memory: SharedArrayBuffer;
  readonly bytes: Buffer;
  readonly slots = SLOTS;

  constructor() {
    const pages = (SLOTS * SLOT_BYTES) / WASM_PAGE;
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer;
    this.bytes = Buffer.from(this.memory);
  }

  /** Where slot `index` starts in `bytes`. */
  start(index: number): number {
    return index * SLOT_BYTES;
  }
}

/**
 * Rings no upload uses. They are all kept: a ring dropped here would live on until every digest thread that
 * saw it collects its garbage, which an idle thread may never do. So the rings' memory (1 MiB each) grows to
 * the most file uploads that ever ran at once, and stays.
 */
const idle: SlotRing[] = [];

/** A ring for one upload: a kept one if any is free. Give it back with `returnRing` once nothing uses it. */
export function takeRing(): SlotRing {
  return idle.pop() ?? new SlotRing();
}

export function returnRing(ring: SlotRing): void {
  idle.push(ring);
}
