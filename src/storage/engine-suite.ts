/**
 * The behaviour every StorageEngine must have. An engine's test file calls `runEngineSuite` with a
 * function that opens a fresh, empty engine; each test opens its own and closes it.
 */

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { keyAfter, type KeyValue, type ScanOptions, type StorageEngine, type Transaction } from './engine';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');
const hex = (key: Buffer): string => key.toString('hex');

/** Deterministic PRNG so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Short keys over edge bytes, so prefixes, 0x00 and 0xFF collide often. */
function randomKey(rand: () => number): Buffer {
  const alphabet = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];
  const length = Math.floor(rand() * 4);
  const key = Buffer.alloc(length);
  for (let i = 0; i < length; i++) key[i] = alphabet[Math.floor(rand() * alphabet.length)]!;
  return key;
}

/** A sorted-map model of the store, keyed by hex. */
class Model {
  readonly map = new Map<string, Buffer>();

  clone(): Model {
    const copy = new Model();
    for (const [k, v] of this.map) copy.map.set(k, v);
    return copy;
  }

  put(key: Buffer, value: Buffer): void {
    this.map.set(hex(key), value);
  }

  delete(key: Buffer): void {
    this.map.delete(hex(key));
  }

  deleteRange(start: Buffer, end: Buffer): void {
    for (const kv of this.scan({ start, end })) this.map.delete(hex(kv.key));
  }

  get(key: Buffer): Buffer | undefined {
    return this.map.get(hex(key));
  }

  scan(options: ScanOptions): KeyValue[] {
    let rows = [...this.map]
      .map(([k, value]) => ({ key: Buffer.from(k, 'hex'), value }))
      .filter((kv) => (!options.start || Buffer.compare(kv.key, options.start) >= 0) && (!options.end || Buffer.compare(kv.key, options.end) < 0))
      .sort((x, y) => Buffer.compare(x.key, y.key));
    if (options.reverse) rows.reverse();
    if (options.limit !== undefined) rows = rows.slice(0, options.limit);
    return rows;
  }
}

function randomScan(rand: () => number): ScanOptions {
  const options: ScanOptions = {};
  if (rand() < 0.6) options.start = randomKey(rand);
  if (rand() < 0.6) options.end = randomKey(rand);
  if (rand() < 0.5) options.reverse = true;
  if (rand() < 0.5) options.limit = Math.floor(rand() * 6);
  return options;
}

function describeScan(options: ScanOptions): string {
  return JSON.stringify({ ...options, start: options.start && hex(options.start), end: options.end && hex(options.end) });
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function putAll(engine: StorageEngine, entries: [Buffer, Buffer][]): Promise<void> {
  await engine.transact((tx) => {
    for (const [k, v] of entries) tx.put(k, v);
  });
}

export function runEngineSuite(name: string, open: () => Promise<StorageEngine> | StorageEngine): void {
  /** Runs `body` on a fresh engine and always closes it. */
  const withEngine = (body: (engine: StorageEngine) => Promise<void>) => async () => {
    const engine = await open();
    try {
      await body(engine);
    } finally {
      await engine.close().catch(() => undefined);
    }
  };

  describe(`storage engine: ${name}`, () => {
    test(
      'get, put and delete single keys',
      withEngine(async (engine) => {
        assert.equal(await engine.get(b('missing')), undefined);
        await putAll(engine, [[b('a'), b('1')]]);
        assert.deepEqual(await engine.get(b('a')), b('1'));
        await putAll(engine, [[b('a'), b('2')]]);
        assert.deepEqual(await engine.get(b('a')), b('2'));
        await engine.transact((tx) => tx.delete(b('a')));
        assert.equal(await engine.get(b('a')), undefined);
        // Deleting a missing key is not an error.
        await engine.transact((tx) => tx.delete(b('never')));
      }),
    );

    test(
      'empty keys, empty values, binary and large values',
      withEngine(async (engine) => {
        const big = Buffer.alloc(1 << 20, 0xab);
        const binary = Buffer.from([0x00, 0xff, 0x00, 0x00, 0x7f]);
        await putAll(engine, [
          [Buffer.alloc(0), b('empty key')],
          [b('empty value'), Buffer.alloc(0)],
          [binary, binary],
          [b('big'), big],
        ]);
        assert.deepEqual(await engine.get(Buffer.alloc(0)), b('empty key'));
        assert.deepEqual(await engine.get(b('empty value')), Buffer.alloc(0));
        assert.deepEqual(await engine.get(binary), binary);
        assert.deepEqual(await engine.get(b('big')), big);
        const all = await engine.scan({});
        assert.deepEqual(all[0]!.key, Buffer.alloc(0));
        assert.equal(all.length, 4);
      }),
    );

    test(
      'getMany answers in the order asked, with duplicates and misses',
      withEngine(async (engine) => {
        await putAll(engine, [
          [b('a'), b('1')],
          [b('b'), b('2')],
        ]);
        assert.deepEqual(await engine.getMany([]), []);
        assert.deepEqual(await engine.getMany([b('b'), b('x'), b('a'), b('b')]), [b('2'), undefined, b('1'), b('2')]);
      }),
    );

    test(
      'getMany reads one snapshot while transactions commit',
      withEngine(async (engine) => {
        // Every transaction sets both keys to the same value; a snapshot never sees them differ.
        await putAll(engine, [
          [b('x'), b('0')],
          [b('y'), b('0')],
        ]);
        let writing = true;
        const writers = Array.from({ length: 200 }, (_, i) =>
          engine.transact(async (tx) => {
            tx.put(b('x'), b(String(i + 1)));
            await tick();
            tx.put(b('y'), b(String(i + 1)));
          }),
        );
        const reader = (async () => {
          let reads = 0;
          while (writing || reads < 10) {
            const [x, y] = await engine.getMany([b('x'), b('y')]);
            assert.deepEqual(x, y);
            reads++;
            await tick();
          }
        })();
        await Promise.all(writers);
        writing = false;
        await reader;
      }),
    );

    test(
      'scan orders keys as unsigned bytes, prefixes first',
      withEngine(async (engine) => {
        const keys = [
          [],
          [0x00],
          [0x00, 0x00],
          [0x00, 0xff],
          [0x01],
          [0x7f],
          [0x80],
          [0xfe, 0xff],
          [0xff],
          [0xff, 0x00],
          [0xff, 0xff],
          [0xff, 0xff, 0xff],
        ].map((bytes) => Buffer.from(bytes));
        const shuffled = keys.slice().sort(() => Math.random() - 0.5);
        await putAll(engine, shuffled.map((k) => [k, Buffer.from(hex(k))]));
        const forward = await engine.scan({});
        assert.deepEqual(forward.map((kv) => hex(kv.key)), keys.map(hex));
        assert.deepEqual(forward.map((kv) => kv.value.toString()), keys.map(hex));
        const backward = await engine.scan({ reverse: true });
        assert.deepEqual(backward.map((kv) => hex(kv.key)), keys.map(hex).reverse());
        // Bounds on the edges: [0x00, 0xff) and [0xff, ∞).
        const middle = await engine.scan({ start: Buffer.from([0x00]), end: Buffer.from([0xff]) });
        assert.deepEqual(middle.map((kv) => hex(kv.key)), ['00', '0000', '00ff', '01', '7f', '80', 'feff']);
        const top = await engine.scan({ start: Buffer.from([0xff]), reverse: true, limit: 2 });
        assert.deepEqual(top.map((kv) => hex(kv.key)), ['ffffff', 'ffff']);
      }),
    );

    test(
      'scan bounds, reverse and limit agree with a model',
      withEngine(async (engine) => {
        const rand = seededRandom(11);
        const model = new Model();
        const entries: [Buffer, Buffer][] = [];
        for (let i = 0; i < 300; i++) {
          const key = randomKey(rand);
          const value = b(`v${i}`);
          entries.push([key, value]);
          model.put(key, value);
        }
        await putAll(engine, entries);
        for (let i = 0; i < 400; i++) {
          const options = randomScan(rand);
          assert.deepEqual(await engine.scan(options), model.scan(options), describeScan(options));
        }
        assert.deepEqual(await engine.scan({ limit: 0 }), []);
        assert.deepEqual(await engine.scan({ start: b('b'), end: b('a') }), []);
        await assert.rejects(engine.scan({ limit: -1 }), RangeError);
        await assert.rejects(engine.scan({ limit: 1.5 }), RangeError);
      }),
    );

    test(
      'scan paginates forward and backward from the last key',
      withEngine(async (engine) => {
        const entries: [Buffer, Buffer][] = [];
        for (let i = 0; i < 100; i++) entries.push([b(`k${String(i).padStart(3, '0')}`), b(String(i))]);
        entries.push([b('k050\u0000'), b('after k050')]); // the successor of k050 itself
        await putAll(engine, entries);
        const bounds = { start: b('k010'), end: b('k090') };
        const all = await engine.scan(bounds);

        const forward: KeyValue[] = [];
        let start = bounds.start;
        for (;;) {
          const page = await engine.scan({ start, end: bounds.end, limit: 7 });
          forward.push(...page);
          if (page.length < 7) break;
          // The smallest key after the last one is the last key plus a 0x00 byte.
          start = keyAfter(page[page.length - 1]!.key);
        }
        assert.deepEqual(forward, all);

        const backward: KeyValue[] = [];
        let end = bounds.end;
        for (;;) {
          const page = await engine.scan({ start: bounds.start, end, reverse: true, limit: 7 });
          backward.push(...page);
          if (page.length < 7) break;
          end = page[page.length - 1]!.key; // end is exclusive
        }
        assert.deepEqual(backward, all.slice().reverse());
      }),
    );

    test(
      'a transaction returns its callback value',
      withEngine(async (engine) => {
        assert.equal(await engine.transact(() => 42), 42);
        assert.deepEqual(await engine.transact(async () => ({ ok: true })), { ok: true });
      }),
    );

    test(
      'a throwing transaction applies nothing',
      withEngine(async (engine) => {
        await putAll(engine, [
          [b('a'), b('1')],
          [b('b'), b('2')],
          [b('c'), b('3')],
        ]);
        const before = await engine.scan({});
        const boom = new Error('boom');
        await assert.rejects(
          engine.transact((tx) => {
            tx.put(b('a'), b('changed'));
            tx.put(b('new'), b('x'));
            tx.delete(b('b'));
            tx.deleteRange(b('c'), b('d'));
            throw boom;
          }),
          (err) => err === boom,
        );
        await assert.rejects(
          engine.transact(async (tx) => {
            tx.put(b('a'), b('changed'));
            await tick();
            tx.deleteRange(b('a'), b('z'));
            throw boom;
          }),
          (err) => err === boom,
        );
        assert.deepEqual(await engine.scan({}), before);
      }),
    );

    test(
      'reads inside a transaction see its own writes',
      withEngine(async (engine) => {
        await putAll(
          engine,
          ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [b(k), b(`old ${k}`)]),
        );
        await engine.transact(async (tx) => {
          tx.put(b('b'), b('new b'));
          tx.put(b('bb'), b('new bb'));
          tx.delete(b('c'));
          assert.deepEqual(await tx.get(b('b')), b('new b'));
          assert.equal(await tx.get(b('c')), undefined);
          assert.deepEqual(await tx.getMany([b('a'), b('bb'), b('c')]), [b('old a'), b('new bb'), undefined]);
          const keys = async (options: ScanOptions) => (await tx.scan(options)).map((kv) => kv.key.toString());
          assert.deepEqual(await keys({}), ['a', 'b', 'bb', 'd', 'e', 'f']);
          assert.deepEqual((await tx.scan({ start: b('b'), limit: 2 })).map((kv) => kv.value.toString()), ['new b', 'new bb']);
          // Range delete, then a put inside the range: only the later put survives.
          tx.deleteRange(b('bb'), b('e'));
          tx.put(b('d'), b('new d'));
          assert.equal(await tx.get(b('bb')), undefined);
          assert.deepEqual(await tx.get(b('d')), b('new d'));
          assert.deepEqual(await keys({}), ['a', 'b', 'd', 'e', 'f']);
          assert.deepEqual(await keys({ reverse: true }), ['f', 'e', 'd', 'b', 'a']);
          assert.deepEqual(await keys({ reverse: true, limit: 3 }), ['f', 'e', 'd']);
          assert.deepEqual(await keys({ start: b('b'), end: b('e'), reverse: true, limit: 2 }), ['d', 'b']);
          // A put, then a range delete over it.
          tx.put(b('x'), b('new x'));
          tx.deleteRange(b('e'), b('z'));
          assert.deepEqual(await keys({}), ['a', 'b', 'd']);
        });
        const committed = await engine.scan({});
        assert.deepEqual(
          committed.map((kv) => `${kv.key}=${kv.value}`),
          ['a=old a', 'b=new b', 'd=new d'],
        );
      }),
    );

    test(
      'transactions with random operations agree with a model',
      withEngine(async (engine) => {
        const rand = seededRandom(7);
        let model = new Model();
        for (let round = 0; round < 60; round++) {
          const fail = rand() < 0.2;
          const next = await engine
            .transact(async (tx: Transaction) => {
              const m = model.clone();
              for (let op = 0; op < 25; op++) {
                const r = rand();
                if (r < 0.3) {
                  const key = randomKey(rand);
                  const value = b(`r${round}o${op}`);
                  tx.put(key, value);
                  m.put(key, value);
                } else if (r < 0.4) {
                  const key = randomKey(rand);
                  tx.delete(key);
                  m.delete(key);
                } else if (r < 0.47) {
                  const start = randomKey(rand);
                  const end = randomKey(rand);
                  tx.deleteRange(start, end);
                  m.deleteRange(start, end);
                } else if (r < 0.6) {
                  const key = randomKey(rand);
                  assert.deepEqual(await tx.get(key), m.get(key));
                } else if (r < 0.7) {
                  const keys = [randomKey(rand), randomKey(rand), randomKey(rand)];
                  assert.deepEqual(await tx.getMany(keys), keys.map((k) => m.get(k)));
                } else {
                  const options = randomScan(rand);
                  assert.deepEqual(await tx.scan(options), m.scan(options), `round ${round} op ${op} ${describeScan(options)}`);
                }
              }
              if (fail) throw new Error('planned failure');
              return m;
            })
            .catch((err: Error) => {
              if (err.message !== 'planned failure') throw err;
              return model;
            });
          model = next;
          assert.deepEqual(await engine.scan({}), model.scan({}), `after round ${round}`);
        }
      }),
    );

    test(
      'concurrent read-increment-write transactions lose no update',
      withEngine(async (engine) => {
        const n = 200;
        await putAll(engine, [[b('counter'), b('0')]]);
        await Promise.all(
          Array.from({ length: n }, () =>
            engine.transact(async (tx) => {
              const value = Number((await tx.get(b('counter')))!.toString());
              await tick(); // give other transactions every chance to interleave
              tx.put(b('counter'), b(String(value + 1)));
            }),
          ),
        );
        assert.deepEqual(await engine.get(b('counter')), b(String(n)));
      }),
    );

    test(
      'concurrent transfers keep the total and always see it',
      withEngine(async (engine) => {
        const accounts = Array.from({ length: 5 }, (_, i) => b(`acct${i}`));
        await putAll(engine, accounts.map((k) => [k, b('100')]));
        const rand = seededRandom(3);
        await Promise.all(
          Array.from({ length: 150 }, () => {
            const from = accounts[Math.floor(rand() * accounts.length)]!;
            const to = accounts[Math.floor(rand() * accounts.length)]!;
            const amount = Math.floor(rand() * 20);
            return engine.transact(async (tx) => {
              const rows = await tx.scan({ start: b('acct'), end: b('acct~') });
              assert.equal(rows.reduce((sum, kv) => sum + Number(kv.value.toString()), 0), 500);
              const [a] = await tx.getMany([from]);
              await tick();
              tx.put(from, b(String(Number(a!.toString()) - amount)));
              const c = await tx.get(to);
              tx.put(to, b(String(Number(c!.toString()) + amount)));
            });
          }),
        );
        const values = await engine.getMany(accounts);
        assert.equal(values.reduce((sum, v) => sum + Number(v!.toString()), 0), 500);
      }),
    );

    test(
      'a failing transaction does not disturb the ones committed with it',
      withEngine(async (engine) => {
        // Launched together so a group-committing engine runs them in one batch.
        const results = await Promise.allSettled(
          Array.from({ length: 40 }, (_, i) =>
            engine.transact(async (tx) => {
              // Never sees the failed ones' writes: each key is written only by its own transaction.
              assert.equal(await tx.get(b(`shared${i}`)), undefined);
              if (i % 2 === 1) {
                tx.put(b(`shared${i + 1}`), b('leak'));
                tx.deleteRange(b('k'), b('l'));
                tx.put(b(`k${i}`), b('odd'));
                throw new Error(`fail ${i}`);
              }
              tx.put(b(`k${i}`), b('even'));
              return i;
            }),
          ),
        );
        results.forEach((result, i) => assert.equal(result.status, i % 2 === 0 ? 'fulfilled' : 'rejected'));
        const rows = await engine.scan({});
        assert.deepEqual(
          rows.map((kv) => kv.key.toString()).sort(),
          Array.from({ length: 20 }, (_, i) => `k${i * 2}`).sort(),
        );
      }),
    );

    test(
      'a transaction resolves only once its writes are committed',
      withEngine(async (engine) => {
        await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            engine
              .transact((tx) => tx.put(b(`key${i}`), b(`value${i}`)))
              .then(async () => {
                assert.deepEqual(await engine.get(b(`key${i}`)), b(`value${i}`));
              }),
          ),
        );
      }),
    );

    test(
      'using a transaction after its callback returned throws',
      withEngine(async (engine) => {
        let leaked: Transaction | undefined;
        await engine.transact((tx) => {
          leaked = tx;
        });
        assert.throws(() => leaked!.put(b('late'), b('x')));
        assert.equal(await engine.get(b('late')), undefined);
      }),
    );

    test(
      'close waits for queued transactions, then everything rejects',
      withEngine(async (engine) => {
        const settled: boolean[] = [];
        const pending = Array.from({ length: 50 }, (_, i) =>
          engine
            .transact(async (tx) => {
              await tick();
              tx.put(b(`k${i}`), b('v'));
            })
            .then(() => {
              settled[i] = true;
            }),
        );
        await engine.close();
        assert.equal(settled.filter(Boolean).length, 50);
        await Promise.all(pending);
        await assert.rejects(engine.get(b('k1')), /closed/);
        await assert.rejects(engine.getMany([b('k1')]), /closed/);
        await assert.rejects(engine.scan({}), /closed/);
        await assert.rejects(engine.transact(() => undefined), /closed/);
      }),
    );
  });
}
