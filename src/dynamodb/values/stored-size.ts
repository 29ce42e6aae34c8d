/**
 * DynamoDB's size of a stored item (or index entry) read straight from its stored JSON, without building the
 * item: a Query or Scan page that returns items as stored needs only their sizes (the 1 MB page, capacity),
 * and parsing them costs more than the rest of the read. Gives exactly `itemSize(JSON.parse(json))` for
 * the JSON that `JSON.stringify` makes of an item (the stored form); whitespace between tokens is skipped.
 */
import { base64ByteLength } from './attribute-value';
import { numberSize } from './item-size';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** One pass over one JSON text; `pos` is the next byte to read. */
class Reader {
  pos = 0;
  private nextBackslash = -1;
  constructor(private readonly json: Buffer) {}

  private skipSpace(): number {
    const json = this.json;
    let c = json[this.pos]!;
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = json[++this.pos]!;
    return c;
  }

  private expect(byte: number): void {
    if (this.skipSpace() !== byte) throw new Error(`stored item JSON: expected "${String.fromCharCode(byte)}" at ${this.pos}`);
    this.pos++;
  }

  /** After an element: true if another follows (its comma consumed), false at the closing `close` (consumed). */
  private more(close: number): boolean {
    const c = this.skipSpace();
    this.pos++;
    if (c === COMMA) return true;
    if (c === close) return false;
    throw new Error(`stored item JSON: unexpected byte at ${this.pos - 1}`);
  }

  /** Whether the list or map just opened is empty (its closing byte consumed if so). */
  private empty(close: number): boolean {
    if (this.skipSpace() !== close) return false;
    this.pos++;
    return true;
  }

  /** UTF-8 bytes of the string starting here (escapes decoded), as Buffer.byteLength counts them. */
  stringBytes(): number {
    this.expect(QUOTE);
    const json = this.json;
    const start = this.pos;
    const end = json.indexOf(QUOTE, start);
    // Most strings have no escape: their bytes are the raw UTF-8 bytes between the quotes. The next
    // backslash is remembered, so a long item is searched for one only once.
    if (this.nextBackslash < start) this.nextBackslash = json.indexOf(BACKSLASH, start) >>> 0; // none: 2^32 - 1
    if (this.nextBackslash > end) {
      this.pos = end + 1;
      return end - start;
    }
    let bytes = 0;
    for (;;) {
      const c = json[this.pos++]!;
      if (c === QUOTE) return bytes;
      if (c !== BACKSLASH) {
        bytes++; // raw UTF-8 bytes count as they are
        continue;
      }
      if (json[this.pos++] !== 0x75) {
        bytes++; // \" \\ \/ \b \f \n \r \t
        continue;
      }
      const unit = this.hex4();
      if (unit < 0x80) bytes += 1;
      else if (unit < 0x800) bytes += 2;
      else if (unit >= 0xd800 && unit < 0xdc00 && json[this.pos] === BACKSLASH && json[this.pos + 1] === 0x75) {
        const low = parseInt(json.toString('latin1', this.pos + 2, this.pos + 6), 16);
        if (low >= 0xdc00 && low < 0xe000) {
          this.pos += 6;
          bytes += 4; // an escaped surrogate pair: one 4-byte character
        } else bytes += 3; // a lone surrogate is written as U+FFFD
      } else bytes += 3;
    }
  }

  private hex4(): number {
    const unit = parseInt(this.json.toString('latin1', this.pos, this.pos + 4), 16);
    this.pos += 4;
    return unit;
  }

  /** The string starting here, for the short ASCII values (type tags, numbers, base64). */
  private ascii(): string {
    this.expect(QUOTE);
    const end = this.json.indexOf(QUOTE, this.pos);
    const text = this.json.toString('latin1', this.pos, end);
    this.pos = end + 1;
    return text;
  }

  /** A value's type tag, read without building a string (there are only ten). */
  private tag(): string {
    this.expect(QUOTE);
    const json = this.json;
    const p = this.pos;
    const a = json[p]!;
    const b = json[p + 1]!;
    if (b === QUOTE) {
      this.pos = p + 2;
      return a === 0x53 ? 'S' : a === 0x4e ? 'N' : a === 0x42 ? 'B' : a === 0x4c ? 'L' : a === 0x4d ? 'M' : '?';
    }
    if (json[p + 2] === QUOTE) {
      this.pos = p + 3;
      return b !== 0x53 ? '?' : a === 0x53 ? 'SS' : a === 0x4e ? 'NS' : a === 0x42 ? 'BS' : '?';
    }
    this.pos = p + 5;
    return a === 0x42 ? 'BOOL' : a === 0x4e ? 'NULL' : '?';
  }

  /** numberSize of the number starting here; plain integers, the common case, without building a string. */
  private number(): number {
    this.expect(QUOTE);
    const json = this.json;
    const start = this.pos;
    const end = json.indexOf(QUOTE, start);
    this.pos = end + 1;
    const negative = json[start] === 0x2d;
    let first = -1;
    let last = -1;
    for (let i = negative ? start + 1 : start; i < end; i++) {
      const c = json[i]!;
      if (c < 0x30 || c > 0x39) return numberSize(json.toString('latin1', start, end)); // a point or an exponent
      if (c !== 0x30) {
        if (first < 0) first = i;
        last = i;
      }
    }
    if (first < 0) return 1; // zero
    // As numberSizeOf: the significant digits pair up by place value; `point` digits precede the decimal point.
    const count = last - first + 1;
    const point = end - first;
    return 1 + Math.floor((point - 1) / 2) - Math.floor((point - count) / 2) + 1 + (negative ? 1 : 0);
  }

  private literal(): void {
    const c = this.skipSpace();
    this.pos += c === 0x66 ? 5 : 4; // false, or true / null
  }

  /** An attribute map (`{"name":{...},...}`): the sum of its names and values, and how many there were. */
  attributes(perElement: number): number {
    this.expect(0x7b);
    if (this.empty(CLOSE_BRACE)) return 0;
    let size = 0;
    do {
      size += perElement + this.stringBytes();
      this.expect(0x3a);
      size += this.value();
    } while (this.more(CLOSE_BRACE));
    return size;
  }

  /** One attribute value, `{"T":...}`. */
  value(): number {
    this.expect(0x7b);
    const type = this.tag();
    this.expect(0x3a);
    let size: number;
    switch (type) {
      case 'S':
        size = this.stringBytes();
        break;
      case 'N':
        size = this.number();
        break;
      case 'B':
        size = base64ByteLength(this.ascii());
        break;
      case 'BOOL':
      case 'NULL':
        this.literal();
        size = 1;
        break;
      case 'SS':
      case 'NS':
      case 'BS':
        size = this.set(type);
        break;
      case 'L':
        size = 3;
        this.expect(0x5b);
        if (!this.empty(CLOSE_BRACKET)) {
          do size += 1 + this.value();
          while (this.more(CLOSE_BRACKET));
        }
        break;
      case 'M':
        size = 3 + this.attributes(1);
        break;
      default:
        throw new Error(`stored item JSON: unknown type ${type}`);
    }
    this.expect(CLOSE_BRACE);
    return size;
  }

  private set(type: 'SS' | 'NS' | 'BS'): number {
    this.expect(0x5b);
    let size = 0;
    if (this.empty(CLOSE_BRACKET)) return size;
    do size += type === 'SS' ? this.stringBytes() : type === 'NS' ? this.number() : base64ByteLength(this.ascii());
    while (this.more(CLOSE_BRACKET));
    return size;
  }
}

/** The item's size as DynamoDB counts it (values/item-size.ts), from its stored JSON. */
export function storedItemSize(json: Buffer): number {
  return new Reader(json).attributes(0);
}
