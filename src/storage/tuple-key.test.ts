import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKey, encodeKey, extendKey, prefixRange } from './tuple-key';

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bytes drawn mostly from the edge values the escaping has to get right. */
function randomPart(rand: () => number): Buffer {
  const alphabet = [0x00, 0x00, 0x01, 0x02, 0x61, 0xfe, 0xff, 0xff];
  const length = Math.floor(rand() * 5);
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    bytes[i] = rand() < 0.85 ? alphabet[Math.floor(rand() * alphabet.length)]! : Math.floor(rand() * 256);
  }
  return bytes;
}

function randomTuple(rand: () => number): Buffer[] {
  const n = Math.floor(rand() * 4);
  return Array.from({ length: n }, () => randomPart(rand));
}

/** Tuple order: component-wise memcmp, a proper prefix first. */
function compareTuples(a: readonly Buffer[], b: readonly Buffer[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = Buffer.compare(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return Math.sign(a.length - b.length);
}

function isPrefix(prefix: readonly Buffer[], tuple: readonly Buffer[]): boolean {
  return prefix.length <= tuple.length && prefix.every((part, i) => part.equals(tuple[i]!));
}

test('byte order of encoded keys equals tuple order', () => {
  const rand = rng(1);
  for (let i = 0; i < 20000; i++) {
    const a = randomTuple(rand);
    // Often derive b from a so shared prefixes and near-equal components are common.
    const b = rand() < 0.5 ? randomTuple(rand) : [...a.slice(0, Math.floor(rand() * (a.length + 1))), ...randomTuple(rand)];
    assert.equal(Math.sign(Buffer.compare(encodeKey(a), encodeKey(b))), compareTuples(a, b), `${a.map((p) => p.toString('hex'))} vs ${b.map((p) => p.toString('hex'))}`);
  }
});

test('sorting encoded keys sorts the tuples', () => {
  const rand = rng(2);
  const tuples = Array.from({ length: 2000 }, () => randomTuple(rand));
  const byKey = tuples.map((t) => ({ t, k: encodeKey(t) })).sort((x, y) => Buffer.compare(x.k, y.k)).map((x) => x.t);
  const byTuple = tuples.slice().sort(compareTuples);
  assert.deepEqual(byKey, byTuple);
});

test('decode inverts encode', () => {
  const rand = rng(3);
  for (let i = 0; i < 5000; i++) {
    const tuple = randomTuple(rand);
    assert.deepEqual(decodeKey(encodeKey(tuple)), tuple);
  }
  assert.deepEqual(decodeKey(encodeKey(['héllo', Buffer.from([0, 0xff, 0])])), [Buffer.from('héllo', 'utf8'), Buffer.from([0, 0xff, 0])]);
  assert.deepEqual(decodeKey(encodeKey([])), []);
  assert.deepEqual(decodeKey(encodeKey([''])), [Buffer.alloc(0)]);
});

test('decode rejects malformed keys', () => {
  assert.throws(() => decodeKey(Buffer.from([0x02, 0x00])), /malformed/);
  assert.throws(() => decodeKey(Buffer.from([0x01, 0x61])), /unterminated/);
});

test('strings encode as their UTF-8 bytes', () => {
  assert.deepEqual(encodeKey(['a\u00e9']), encodeKey([Buffer.from('a\u00e9', 'utf8')]));
});

test('prefixRange holds exactly the extensions of the prefix', () => {
  const rand = rng(4);
  for (let i = 0; i < 300; i++) {
    const prefix = randomTuple(rand);
    const { start, end } = prefixRange(prefix);
    for (let j = 0; j < 30; j++) {
      const tuple = rand() < 0.5 ? [...prefix, ...randomTuple(rand)] : randomTuple(rand);
      const key = encodeKey(tuple);
      const inside = Buffer.compare(key, start) >= 0 && Buffer.compare(key, end) < 0;
      assert.equal(inside, isPrefix(prefix, tuple));
    }
  }
});

test('extendKey continues an encoded prefix exactly as encodeKey of the whole tuple', () => {
  const rand = rng(11);
  for (let i = 0; i < 2000; i++) {
    const head = randomTuple(rand);
    const tail = [...randomTuple(rand), 'text\u0000é'];
    assert.deepEqual(extendKey(encodeKey(head), tail), encodeKey([...head, ...tail]));
  }
});
