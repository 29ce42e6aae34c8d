/**
 * The CRCs S3 checksums use, as streaming digests: CRC32 (ISO-HDLC, what zlib computes), CRC32C (Castagnoli)
 * and CRC64/NVME. Each digest is the register's big-endian bytes, as S3 sends them (base64) on the wire.
 *
 * CRC32 is zlib's, native. The others are JavaScript, slicing-by-8: 8 tables of 256 entries fold 8 input
 * bytes per step. The input is read as 32-bit words through a view of the chunk's memory from its first
 * 4-byte boundary on, rather than assembled from four byte loads each.
 */
import { endianness } from 'node:os';
import * as zlib from 'node:zlib';

export interface Crc {
  update(chunk: Uint8Array): void;
  /** The CRC's bytes, big-endian. Call once. */
  digest(): Buffer;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** A CRC that folds input a byte, or 8 bytes, at a time; each call keeps the register in locals. */
interface Folding {
  bytes(data: Uint8Array, from: number, to: number): void;
  /** Whole 8-byte steps: `words` holds little-endian 32-bit words, an even number of them. */
  words(words: Uint32Array): void;
}

/** Feeds `data` to `crc`: bytes up to the first 4-byte boundary, then 8-byte steps over a view of it, then the rest. */
function feed(crc: Folding, data: Uint8Array): void {
  if (!LITTLE_ENDIAN) return crc.bytes(data, 0, data.length);
  const head = Math.min(data.length, (4 - (data.byteOffset % 4)) % 4);
  const steps = Math.floor((data.length - head) / 8);
  crc.bytes(data, 0, head);
  if (steps > 0) crc.words(new Uint32Array(data.buffer, data.byteOffset + head, steps * 2));
  crc.bytes(data, head + steps * 8, data.length);
}

// --- 32-bit reflected CRCs ---------------------------------------------------------------------------------

type Tables32 = [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];

function crc32Tables(reflectedPoly: number): Tables32 {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256)) as Tables32;
  const t0 = tables[0];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ reflectedPoly : c >>> 1;
    t0[n] = c >>> 0;
  }
  for (let s = 1; s < 8; s++) {
    const prev = tables[s - 1]!;
    const cur = tables[s]!;
    for (let n = 0; n < 256; n++) cur[n] = (prev[n]! >>> 8) ^ t0[prev[n]! & 0xff]!;
  }
  return tables;
}

/** A reflected 32-bit CRC register (kept inverted) over one polynomial's tables. */
class Crc32Register implements Folding {
  /** The register, inverted. */
  value = -1;
  constructor(private readonly t: Tables32) {}

  bytes(data: Uint8Array, from: number, to: number): void {
    const t0 = this.t[0];
    let c = this.value;
    for (let i = from; i < to; i++) c = t0[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
    this.value = c;
  }

  words(words: Uint32Array): void {
    const [t0, t1, t2, t3, t4, t5, t6, t7] = this.t;
    let c = this.value;
    for (let w = 0; w < words.length; w += 2) {
      const a = c ^ words[w]!;
      const b = words[w + 1]!;
      c =
        t7[a & 0xff]! ^ t6[(a >>> 8) & 0xff]! ^ t5[(a >>> 16) & 0xff]! ^ t4[a >>> 24]! ^
        t3[b & 0xff]! ^ t2[(b >>> 8) & 0xff]! ^ t1[(b >>> 16) & 0xff]! ^ t0[b >>> 24]!;
    }
    this.value = c;
  }
}

const bigEndian32 = (value: number): Buffer => {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
};

let crc32cTables: Tables32 | undefined;
let crc32IsoTables: Tables32 | undefined;

// zlib.crc32 appeared in Node 20.15 / 22.2; @types/node of this repo may predate it.
const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

export class Crc32 implements Crc {
  private crc = 0;
  private readonly fallback = nativeCrc32 === undefined ? new Crc32Register((crc32IsoTables ??= crc32Tables(0xedb88320))) : undefined;
  update(chunk: Uint8Array): void {
    if (this.fallback) feed(this.fallback, chunk);
    else this.crc = nativeCrc32!(chunk, this.crc);
  }
  digest(): Buffer {
    return bigEndian32(this.fallback ? this.fallback.value ^ -1 : this.crc);
  }
}

export class Crc32c implements Crc {
  private readonly register = new Crc32Register((crc32cTables ??= crc32Tables(0x82f63b78)));
  update(chunk: Uint8Array): void {
    feed(this.register, chunk);
  }
  digest(): Buffer {
    return bigEndian32(this.register.value ^ -1);
  }
}

// --- CRC-64/NVME -------------------------------------------------------------------------------------------
// Reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout all ones. The 64-bit register is kept as two
// uint32 halves (no BigInt on the hot path), and each table entry is split into low and high halves.

const CRC64_POLY_HI = 0x9a6c9329;
const CRC64_POLY_LO = 0xac4bc9b5;

interface Tables64 {
  lo: Tables32;
  hi: Tables32;
}

let crc64Tables: Tables64 | undefined;

function buildCrc64Tables(): Tables64 {
  const lo = Array.from({ length: 8 }, () => new Uint32Array(256)) as Tables32;
  const hi = Array.from({ length: 8 }, () => new Uint32Array(256)) as Tables32;
  for (let n = 0; n < 256; n++) {
    let l = n;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const lsb = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (lsb) {
        l = (l ^ CRC64_POLY_LO) >>> 0;
        h = (h ^ CRC64_POLY_HI) >>> 0;
      }
    }
    lo[0][n] = l;
    hi[0][n] = h;
  }
  // Table s: the CRC of byte n followed by s zero bytes = shift the previous entry by one byte.
  for (let s = 1; s < 8; s++) {
    for (let n = 0; n < 256; n++) {
      const pl = lo[s - 1]![n]!;
      const ph = hi[s - 1]![n]!;
      const idx = pl & 0xff;
      lo[s]![n] = (((pl >>> 8) | (ph << 24)) ^ lo[0][idx]!) >>> 0;
      hi[s]![n] = ((ph >>> 8) ^ hi[0][idx]!) >>> 0;
    }
  }
  return { lo, hi };
}

export class Crc64Nvme implements Crc, Folding {
  private readonly t = (crc64Tables ??= buildCrc64Tables());
  private lo = 0xffffffff;
  private hi = 0xffffffff;

  update(chunk: Uint8Array): void {
    feed(this, chunk);
  }

  bytes(data: Uint8Array, from: number, to: number): void {
    const l0 = this.t.lo[0];
    const h0 = this.t.hi[0];
    let lo = this.lo;
    let hi = this.hi;
    for (let i = from; i < to; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ l0[idx]!;
      hi = (hi >>> 8) ^ h0[idx]!;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  words(words: Uint32Array): void {
    const [l0, l1, l2, l3, l4, l5, l6, l7] = this.t.lo;
    const [h0, h1, h2, h3, h4, h5, h6, h7] = this.t.hi;
    let lo = this.lo;
    let hi = this.hi;
    for (let w = 0; w < words.length; w += 2) {
      // Little-endian: the first four bytes meet the low half of the register.
      const a = lo ^ words[w]!;
      const b = hi ^ words[w + 1]!;
      const a0 = a & 0xff, a1 = (a >>> 8) & 0xff, a2 = (a >>> 16) & 0xff, a3 = a >>> 24;
      const b0 = b & 0xff, b1 = (b >>> 8) & 0xff, b2 = (b >>> 16) & 0xff, b3 = b >>> 24;
      lo = l7[a0]! ^ l6[a1]! ^ l5[a2]! ^ l4[a3]! ^ l3[b0]! ^ l2[b1]! ^ l1[b2]! ^ l0[b3]!;
      hi = h7[a0]! ^ h6[a1]! ^ h5[a2]! ^ h4[a3]! ^ h3[b0]! ^ h2[b1]! ^ h1[b2]! ^ h0[b3]!;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  digest(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32BE((this.hi ^ 0xffffffff) >>> 0, 0);
    out.writeUInt32BE((this.lo ^ 0xffffffff) >>> 0, 4);
    return out;
  }
}
