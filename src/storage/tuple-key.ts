/**
 * Order-preserving encoding of key tuples into one binary key, so that comparing encoded keys byte-wise
 * orders tuples component by component. A component is 0x01, its bytes with 0x00 escaped as 0x00 0xFF,
 * then 0x00. A shorter tuple sorts before every tuple it prefixes, and every extension of a prefix
 * continues with 0x01, so [prefix, prefix + 0x02) holds exactly the extensions.
 */

export type KeyPart = string | Buffer;

const START = 0x01;
const END = 0x00;
const ESCAPE = 0xff;

export function encodeKey(parts: readonly KeyPart[]): Buffer {
  return extendKey(EMPTY, parts);
}

const EMPTY = Buffer.alloc(0);

/** `encodeKey([...prefixParts, ...parts])` given `prefix = encodeKey(prefixParts)`, without re-encoding it. */
export function extendKey(prefix: Buffer, parts: readonly KeyPart[]): Buffer {
  // Sized first, then written in runs between zero bytes: keys are built on every request.
  const bytes = parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part));
  let size = prefix.length;
  for (const b of bytes) {
    size += b.length + 2;
    for (let zero = b.indexOf(END); zero >= 0; zero = b.indexOf(END, zero + 1)) size++;
  }
  const out = Buffer.allocUnsafe(size);
  let at = prefix.copy(out, 0);
  for (const b of bytes) {
    out[at++] = START;
    let from = 0;
    for (let zero = b.indexOf(END); zero >= 0; zero = b.indexOf(END, from)) {
      at += b.copy(out, at, from, zero + 1);
      out[at++] = ESCAPE;
      from = zero + 1;
    }
    at += b.copy(out, at, from);
    out[at++] = END;
  }
  return out;
}

export function decodeKey(key: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let i = 0;
  while (i < key.length) {
    if (key[i] !== START) throw new Error('malformed tuple key');
    i++;
    const bytes: number[] = [];
    for (;;) {
      if (i >= key.length) throw new Error('malformed tuple key: unterminated component');
      const byte = key[i++]!;
      if (byte !== END) {
        bytes.push(byte);
      } else if (key[i] === ESCAPE) {
        bytes.push(END);
        i++;
      } else {
        break;
      }
    }
    parts.push(Buffer.from(bytes));
  }
  return parts;
}

/** The range [start, end) holding every key whose tuple extends `parts`. */
export function prefixRange(parts: readonly KeyPart[]): { start: Buffer; end: Buffer } {
  return encodedPrefixRange(encodeKey(parts));
}

/** `prefixRange` of an already encoded prefix. */
export function encodedPrefixRange(prefix: Buffer): { start: Buffer; end: Buffer } {
  return { start: prefix, end: Buffer.concat([prefix, Buffer.from([START + 1])]) };
}
