import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { StorageOpenError } from './engine';
import { runEngineSuite, seededRandom } from './engine-suite';
import { FORMAT_VERSION, openSqliteEngine } from './sqlite-engine';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempStorePath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'basalt-sqlite-'));
  tempDirs.push(dir);
  return path.join(dir, 'basalt.db');
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

runEngineSuite('sqlite on disk', () => openSqliteEngine({ path: tempStorePath() }));
runEngineSuite('sqlite in memory', () => openSqliteEngine({ memory: true }));

describe('sqlite engine: opening', () => {
  test('disk stores run in WAL mode with synchronous=FULL and hold the store lock', async () => {
    const file = tempStorePath();
    const engine = openSqliteEngine({ path: file });
    try {
      // pragma() runs on the commit worker's write connection.
      assert.equal(engine.pragma('journal_mode'), 'wal');
      assert.equal(engine.pragma('synchronous'), 2); // FULL
      // Not EXCLUSIVE: the main thread's read connection shares the file with the worker's.
      assert.equal(engine.pragma('locking_mode'), 'normal');
      assert.ok(fs.existsSync(`${file}-lock`));
      assert.equal(engine.info.name, 'sqlite');
    } finally {
      await engine.close();
    }
    assert.ok(!fs.existsSync(`${file}-lock`));
  });

  test('a lock file left by a dead process is taken over', async () => {
    const file = tempStorePath();
    // An unlocked leftover, as after kill -9.
    const leftover = new Database(`${file}-lock`);
    leftover.close();
    const engine = openSqliteEngine({ path: file });
    assert.throws(() => openSqliteEngine({ path: file }), /in use by another Basalt process/);
    await engine.close();
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['basalt.db']);
  });

  test('memory stores report their location', async () => {
    const engine = openSqliteEngine({ memory: true });
    assert.deepEqual(engine.info, { name: 'sqlite', location: 'memory' });
    await engine.close();
  });

  test('reopening after close keeps the data; close is idempotent', async () => {
    const file = tempStorePath();
    const first = openSqliteEngine({ path: file });
    await first.transact((tx) => {
      tx.put(b('a'), b('1'));
      tx.put(b('b'), b('2'));
    });
    await first.close();
    await first.close();
    const second = openSqliteEngine({ path: file });
    try {
      assert.deepEqual(await second.getMany([b('a'), b('b')]), [b('1'), b('2')]);
    } finally {
      await second.close();
    }
    // The WAL was checkpointed into the main file.
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['basalt.db']);
  });

  test('missing parent directories are created', async () => {
    const file = path.join(path.dirname(tempStorePath()), 'nested', 'deeper', 'basalt.db');
    const engine = openSqliteEngine({ path: file });
    await engine.close();
    assert.ok(fs.existsSync(file));
  });

  test('a second opener is refused while the store is open, then admitted after close', async () => {
    const file = tempStorePath();
    const first = openSqliteEngine({ path: file });
    await first.transact((tx) => tx.put(b('k'), b('v')));
    assert.throws(() => openSqliteEngine({ path: file }), (err: Error) => {
      assert.ok(err instanceof StorageOpenError);
      assert.match(err.message, /data directory .* is in use by another Basalt process/);
      return true;
    });
    // The failed attempt must not have disturbed the first engine.
    await first.transact((tx) => tx.put(b('k2'), b('v2')));
    await first.close();

    // Reopened without writing anything: the lock is still taken at open.
    const reopened = openSqliteEngine({ path: file });
    assert.throws(() => openSqliteEngine({ path: file }), StorageOpenError);
    assert.deepEqual(await reopened.getMany([b('k'), b('k2')]), [b('v'), b('v2')]);
    await reopened.close();
  });

  test('a store with another format version is refused and left untouched', async () => {
    const file = tempStorePath();
    const engine = openSqliteEngine({ path: file });
    await engine.transact((tx) => tx.put(b('keep'), b('me')));
    await engine.close();

    const raw = new Database(file);
    raw.prepare("UPDATE basalt_meta SET value = ? WHERE name = 'format_version'").run(FORMAT_VERSION + 1);
    raw.close();
    const before = sha256(file);

    assert.throws(() => openSqliteEngine({ path: file }), (err: Error) => {
      assert.ok(err instanceof StorageOpenError);
      assert.match(err.message, new RegExp(`format version ${FORMAT_VERSION + 1} .* reads version ${FORMAT_VERSION}`));
      assert.ok(!err.message.includes('\n'));
      return true;
    });
    assert.equal(sha256(file), before);
    const check = new Database(file, { readonly: true });
    assert.deepEqual(check.prepare('SELECT key, value FROM kv').all(), [{ key: b('keep'), value: b('me') }]);
    assert.equal(check.prepare("SELECT value FROM basalt_meta WHERE name = 'format_version'").pluck().get(), FORMAT_VERSION + 1);
    check.close();
  });

  test('a file that is not SQLite is refused and left untouched', () => {
    const file = tempStorePath();
    fs.writeFileSync(file, crypto.randomBytes(8192));
    const before = sha256(file);
    assert.throws(() => openSqliteEngine({ path: file }), (err: Error) => {
      assert.ok(err instanceof StorageOpenError);
      assert.match(err.message, /not a Basalt store/);
      return true;
    });
    assert.equal(sha256(file), before);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['basalt.db']);
  });

  test('an SQLite database that is not a Basalt store is refused and left untouched', () => {
    const file = tempStorePath();
    const foreign = new Database(file);
    foreign.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello')");
    foreign.close();
    const before = sha256(file);
    assert.throws(() => openSqliteEngine({ path: file }), /not a Basalt store/);
    assert.equal(sha256(file), before);
  });

  test('an empty existing file is initialised', async () => {
    const file = tempStorePath();
    fs.writeFileSync(file, '');
    const engine = openSqliteEngine({ path: file });
    await engine.transact((tx) => tx.put(b('a'), b('1')));
    await engine.close();
    const again = openSqliteEngine({ path: file });
    assert.deepEqual(await again.get(b('a')), b('1'));
    await again.close();
  });

  test('a directory as the store path is refused', () => {
    const dir = path.dirname(tempStorePath());
    assert.throws(() => openSqliteEngine({ path: dir }), StorageOpenError);
  });
});

describe('sqlite engine: checkpoint thread', () => {
  /** The write connection's own checkpoint size: 10,000 frames alone, 100,000 beside the checkpoint thread. */
  const inlineCheckpoint = (engine: ReturnType<typeof openSqliteEngine>) => engine.pragma('wal_autocheckpoint');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const key = (n: number) => b(`k/${String(n).padStart(6, '0')}`);

  test('a burst of writes starts it, it copies the WAL back while writes go on, and it ends once they stop', { timeout: 30_000 }, async () => {
    const file = tempStorePath();
    const idleMs = 500;
    // Pauses shorter than idleMs, so the thread ends within the sleep below whatever it was doing.
    const engine = openSqliteEngine({ path: file, checkpoints: { burstKeys: 10_000, idleMs, pauseMs: 100 } });
    try {
      const write = (from: number, count: number) =>
        engine.transact((tx) => {
          for (let n = from; n < from + count; n++) tx.put(key(n), Buffer.alloc(100, n % 251));
        });
      await write(0, 100);
      assert.equal(inlineCheckpoint(engine), 10_000);
      const fileBefore = fs.statSync(file).size;
      // 12,000 keys with no pause: a burst.
      await Promise.all(Array.from({ length: 120 }, (_, i) => write(100 + i * 100, 100)));
      let n = 12_100;
      // The commit worker sees the thread at its first commit after the thread started.
      for (let waited = 0; inlineCheckpoint(engine) !== 100_000; waited += 20) {
        assert.ok(waited < 5000, 'the checkpoint thread did not start');
        await write(n++, 1);
        await sleep(20);
      }
      await write(n++, 1);
      // Nothing but the thread checkpoints a WAL this small, so a larger file is its work.
      for (let waited = 0; fs.statSync(file).size <= fileBefore; waited += 20) {
        assert.ok(waited < 5000, 'the WAL was not copied back while the engine was open');
        await sleep(20);
      }
      // A pause longer than idleMs ends it; the next commit puts the write connection's checkpoint back.
      await sleep(idleMs * 3);
      await write(n++, 1);
      assert.equal(inlineCheckpoint(engine), 10_000);
      const rows = await engine.scan({ start: b('k/'), end: b('k0') });
      assert.equal(rows.length, n);
      assert.deepEqual(rows.at(-1)?.key, key(n - 1));
    } finally {
      await engine.close();
    }
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['basalt.db']);
  });

  test('once writes stop, the WAL file is emptied, after a burst and after a few writes; writes go on after it', { timeout: 30_000 }, async () => {
    const file = tempStorePath();
    const walSize = () => fs.statSync(`${file}-wal`).size;
    const engine = openSqliteEngine({ path: file, checkpoints: { restartFrames: 100, burstKeys: 1000, idleMs: 500, pauseMs: 50, truncateMs: 800 } });
    const write = (from: number, count: number) =>
      engine.transact((tx) => {
        for (let n = from; n < from + count; n++) tx.put(key(n), Buffer.alloc(500, n % 251));
      });
    /** The thread's own wait for a restart is 5 s: emptied sooner, no wait held it up. */
    const emptied = async (what: string) => {
      for (let waited = 0; walSize() > 0; waited += 20) {
        assert.ok(waited < 4000, `the WAL still holds ${walSize()} bytes ${what}`);
        await sleep(20);
      }
    };
    try {
      await Promise.all(Array.from({ length: 20 }, (_, i) => write(i * 100, 100)));
      let n = 2000;
      for (let waited = 0; inlineCheckpoint(engine) !== 100_000; waited += 20) {
        assert.ok(waited < 5000, 'the checkpoint thread did not start');
        await write(n++, 1);
        await sleep(20);
      }
      // A last commit of more than restartFrames frames: the thread asks for a restart after it, and with no
      // commit to come, the commit worker must see to it when it empties the WAL.
      await write(n, 1000);
      n += 1000;
      assert.ok(walSize() > 400_000, `the burst left only ${walSize()} bytes of WAL`);
      await emptied('after the burst');
      // A few writes, with no checkpoint thread.
      await write(n, 10);
      assert.ok(walSize() > 0);
      await emptied('after a few writes');
      await write(n + 10, 1);
      const rows = await engine.scan({ start: b('k/'), end: b('k0') });
      assert.equal(rows.length, n + 11);
      assert.deepEqual(rows[n]?.value, Buffer.alloc(500, n % 251));
    } finally {
      await engine.close();
    }
  });

  test('under writes that never pause, the WAL still starts over once it holds restartFrames', { timeout: 60_000 }, async () => {
    const file = tempStorePath();
    const restartFrames = 500;
    // Checkpoints 50 ms apart: the WAL can outgrow restartFrames by a pause's commits, and this bounds it tightly.
    const engine = openSqliteEngine({ path: file, checkpoints: { restartFrames, burstKeys: 100, pauseMs: 50 } });
    const keys = 2000;
    const written = new Map<number, number>();
    try {
      // 16 writers, one transaction after another, each rewriting 5 of 2,000 keys with a page-sized value:
      // commits follow each other with no gap in which a checkpoint could catch up by itself.
      let left = 2400;
      const random = seededRandom(7);
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (left-- > 0) {
            const picked = Array.from({ length: 5 }, () => Math.floor(random() * keys));
            const stamp = left;
            await engine.transact((tx) => {
              for (const n of picked) tx.put(key(n), Buffer.alloc(3000, stamp % 251));
            });
            for (const n of picked) written.set(n, stamp % 251);
          }
        }),
      );
      // Frames are a page (4 KiB) and a 24-byte header, after the WAL's 32-byte header. Never started over,
      // this WAL grew to about 23,000 frames; started over at 500, to 3,100-3,800 (what is committed while
      // the thread catches up comes on top).
      const walFrames = (fs.statSync(`${file}-wal`).size - 32) / (4096 + 24);
      assert.ok(walFrames < restartFrames * 12, `the WAL grew to ${walFrames} frames`);
      for (const [n, fill] of written) assert.equal((await engine.get(key(n)))?.[0], fill);
    } finally {
      await engine.close();
    }
  });
});

describe('sqlite engine: group commit', () => {
  test('queued transactions are committed together and settle after the commit', async () => {
    const engine = openSqliteEngine({ path: tempStorePath() });
    try {
      let started = 0;
      const startedWhenSettled: number[] = [];
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          engine
            .transact((tx) => {
              started++;
              tx.put(b(`k${i}`), b('v'));
            })
            .then(() => startedWhenSettled.push(started)),
        ),
      );
      // All 100 were queued before the executor ran, so all ran before any settled.
      assert.deepEqual(startedWhenSettled, Array(100).fill(100));
    } finally {
      await engine.close();
    }
  });

  test('concurrent transactions in one batch see each other in queue order', async () => {
    // The SQLite engine runs callbacks one at a time, so a shared model updated inside the callbacks
    // is exact even when the transactions are launched together and share a batch.
    const engine = openSqliteEngine({ memory: true });
    try {
      const rand = seededRandom(5);
      const model = new Map<string, string>();
      const keys = Array.from({ length: 12 }, (_, i) => `key${String(i).padStart(2, '0')}`);
      const view = () => [...model].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
      const jobs = Array.from({ length: 300 }, (_, t) =>
        engine.transact(async (tx) => {
          const local = new Map(model);
          for (let op = 0; op < 6; op++) {
            const key = keys[Math.floor(rand() * keys.length)]!;
            const r = rand();
            if (r < 0.5) {
              tx.put(b(key), b(`t${t}`));
              local.set(key, `t${t}`);
            } else if (r < 0.7) {
              tx.delete(b(key));
              local.delete(key);
            } else if (r < 0.8) {
              const end = keys[Math.floor(rand() * keys.length)]!;
              tx.deleteRange(b(key), b(end));
              for (const k of [...local.keys()]) if (k >= key && k < end) local.delete(k);
            } else {
              const reverse = rand() < 0.5;
              const rows = await tx.scan({ reverse });
              const expected = [...local].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
              if (reverse) expected.reverse();
              assert.deepEqual(rows.map((kv) => `${kv.key}=${kv.value}`), expected);
            }
          }
          if (rand() < 0.25) throw new Error('planned');
          model.clear();
          for (const [k, v] of local) model.set(k, v);
        }),
      );
      const results = await Promise.allSettled(jobs);
      for (const result of results) {
        if (result.status === 'rejected') assert.equal((result.reason as Error).message, 'planned');
      }
      const rows = await engine.scan({});
      assert.deepEqual(rows.map((kv) => `${kv.key}=${kv.value}`), view());
    } finally {
      await engine.close();
    }
  });

  test('a failed commit rejects the whole batch and applies none of it', async () => {
    const engine = openSqliteEngine({ path: tempStorePath() });
    try {
      await engine.transact((tx) => tx.put(b('before'), b('x')));
      // Cap the file at its current size, so the batch's big values cannot be written.
      const pages = engine.pragma('page_count') as number;
      engine.pragma(`max_page_count = ${pages + 2}`);
      const results = await Promise.allSettled([
        engine.transact((tx) => tx.put(b('small'), b('1'))),
        ...Array.from({ length: 5 }, (_, i) => engine.transact((tx) => tx.put(b(`big${i}`), Buffer.alloc(100_000, i)))),
        engine.transact(() => 'read only'),
      ]);
      for (const result of results) {
        assert.equal(result.status, 'rejected');
        assert.match(String((result as PromiseRejectedResult).reason), /full/i);
      }
      assert.deepEqual((await engine.scan({})).map((kv) => kv.key.toString()), ['before']);
      // The engine keeps working once there is room again.
      engine.pragma('max_page_count = 1073741823');
      await engine.transact((tx) => tx.put(b('after'), b('y')));
      assert.deepEqual((await engine.scan({})).map((kv) => kv.key.toString()), ['after', 'before']);
    } finally {
      await engine.close();
    }
  });
});

describe('sqlite engine: pipelined commits in the worker', () => {
  /** Holds the store's write lock from an outside connection, so the worker's next commit waits for it. */
  function blockWriter(file: string): () => void {
    const blocker = new Database(file, { timeout: 5000 });
    blocker.prepare('BEGIN IMMEDIATE').run();
    return () => {
      blocker.prepare('ROLLBACK').run();
      blocker.close();
    };
  }

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  test('later transactions see in-flight writes; callers settle in order, only once durable', async () => {
    const file = tempStorePath();
    const engine = openSqliteEngine({ path: file });
    try {
      await engine.transact((tx) => tx.put(b('k'), b('0')));
      const release = blockWriter(file);
      const settled: string[] = [];
      const first = engine.transact((tx) => tx.put(b('k'), b('1'))).then(() => settled.push('first'));
      await sleep(20); // the first batch is with the worker, waiting for the lock
      let seen: string | undefined;
      const second = engine
        .transact(async (tx) => {
          seen = (await tx.get(b('k')))?.toString();
          tx.put(b('k'), b('2'));
          tx.put(b('other'), b('x'));
        })
        .then(() => settled.push('second'));
      const readOnly = engine.transact(async (tx) => (await tx.get(b('other')))?.toString()).then((value) => {
        settled.push('read only');
        return value;
      });
      // Timers keep firing while the worker waits: the event loop is not blocked.
      const started = Date.now();
      await sleep(100);
      assert.ok(Date.now() - started < 1000);
      assert.equal(seen, '1');
      assert.deepEqual(settled, []);
      // Reads outside transactions see committed state only.
      assert.deepEqual(await engine.get(b('k')), b('0'));
      assert.equal(await engine.get(b('other')), undefined);
      release();
      await Promise.all([first, second]);
      assert.equal(await readOnly, 'x');
      assert.deepEqual(settled, ['first', 'second', 'read only']);
      assert.deepEqual(await engine.getMany([b('k'), b('other')]), [b('2'), b('x')]);
    } finally {
      await engine.close();
    }
  });

  test('a batch reads from one snapshot, and reads outside transactions still see every commit reported meanwhile', async () => {
    const file = tempStorePath();
    const engine = openSqliteEngine({ path: file });
    try {
      await engine.transact((tx) => tx.put(b('k'), b('0')));
      const release = blockWriter(file);
      const first = engine.transact((tx) => tx.put(b('k'), b('1')));
      await sleep(20); // the first batch is with the worker, waiting for the lock
      let resume!: () => void;
      const paused = new Promise<void>((resolve) => (resume = resolve));
      const seen: (string | undefined)[] = [];
      const second = engine.transact(async (tx) => {
        // This batch's snapshot starts here, before the first batch commits; its layer answers for k.
        seen.push((await tx.get(b('k')))?.toString(), (await tx.get(b('unwritten')))?.toString());
        await paused;
        seen.push((await tx.get(b('k')))?.toString());
        tx.put(b('k'), b('2'));
      });
      try {
        release();
        await first;
        // Reported durable while the second batch still holds its snapshot: every read outside it sees the commit.
        assert.deepEqual(await engine.get(b('k')), b('1'));
        assert.deepEqual(await engine.getMany([b('k'), b('unwritten')]), [b('1'), undefined]);
        assert.equal(await engine.getDecoded(b('k'), (value) => value.toString()), '1');
        assert.deepEqual(await engine.scan({ start: b('k'), limit: 1 }), [{ key: b('k'), value: b('1') }]);
      } finally {
        resume();
        await second;
      }
      assert.deepEqual(seen, ['1', undefined, '1']);
      assert.deepEqual(await engine.get(b('k')), b('2'));
    } finally {
      await engine.close();
    }
  });

  test('a failed commit also fails the in-flight batches after it, and the engine goes on', async () => {
    const file = tempStorePath();
    const engine = openSqliteEngine({ path: file });
    try {
      await engine.transact((tx) => tx.put(b('before'), b('x')));
      const pages = engine.pragma('page_count') as number;
      engine.pragma(`max_page_count = ${pages + 2}`);
      const release = blockWriter(file);
      // Three batches, queued at the worker behind the lock: the first cannot be written.
      const big = engine.transact((tx) => tx.put(b('big'), Buffer.alloc(100_000, 1)));
      await sleep(20);
      const reader = engine.transact(async (tx) => {
        assert.equal((await tx.get(b('big')))?.length, 100_000); // reads the doomed batch's write
        tx.put(b('copy'), b('of big'));
      });
      await sleep(20);
      const unrelated = engine.transact((tx) => tx.put(b('unrelated'), b('y')));
      await sleep(20);
      release();
      const results = await Promise.allSettled([big, reader, unrelated]);
      assert.equal(results[0].status, 'rejected');
      assert.match(String((results[0] as PromiseRejectedResult).reason), /full/i);
      for (const result of results.slice(1)) {
        assert.equal(result.status, 'rejected');
        assert.match(String((result as PromiseRejectedResult).reason), /earlier transaction .* failed to commit/);
      }
      assert.deepEqual((await engine.scan({})).map((kv) => kv.key.toString()), ['before']);
      // Later transactions no longer see the failed writes, and commit.
      await engine.transact(async (tx) => {
        assert.equal(await tx.get(b('big')), undefined);
        tx.put(b('after'), b('z'));
      });
      assert.deepEqual((await engine.scan({})).map((kv) => kv.key.toString()), ['after', 'before']);
    } finally {
      await engine.close();
    }
  });

  test('many concurrent writers and readers agree with the committed state', async () => {
    const engine = openSqliteEngine({ path: tempStorePath() });
    try {
      const counters = Array.from({ length: 4 }, (_, i) => b(`counter${i}`));
      await engine.transact((tx) => counters.forEach((key) => tx.put(key, b('0'))));
      let stop = false;
      const readers = (async () => {
        let last = 0;
        while (!stop) {
          // Every transaction bumps all counters together: a snapshot sees them equal, never going back.
          const values = (await engine.getMany(counters)).map((v) => Number(v!.toString()));
          assert.ok(values.every((v) => v === values[0]), `torn snapshot ${values}`);
          assert.ok(values[0]! >= last);
          last = values[0]!;
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const n = 600;
      await Promise.all(
        Array.from({ length: n }, async () => {
          await engine.transact(async (tx) => {
            const values = await tx.getMany(counters);
            await new Promise((resolve) => setImmediate(resolve));
            counters.forEach((key, i) => tx.put(key, b(String(Number(values[i]!.toString()) + 1))));
          });
        }),
      );
      stop = true;
      await readers;
      assert.deepEqual(await engine.getMany(counters), counters.map(() => b(String(n))));
    } finally {
      await engine.close();
    }
  });
});

describe('sqlite engine: decoded values and packed scans', () => {
  test('getDecoded decodes once, sees a transaction its own writes, and forgets a key once a commit rewrites it', async () => {
    const engine = openSqliteEngine({ path: tempStorePath() });
    try {
      let decodes = 0;
      const decode = (value: Buffer): string => {
        decodes++;
        return value.toString('utf8');
      };
      await engine.transact((tx) => tx.put(b('k'), b('one')));
      assert.equal(await engine.getDecoded(b('k'), decode), 'one');
      assert.equal(await engine.getDecoded(b('k'), decode), 'one');
      assert.equal(await engine.getDecoded(b('absent'), decode), undefined);
      assert.equal(decodes, 1);
      const seen = await engine.transact(async (tx) => {
        tx.put(b('k'), b('two'));
        return tx.getDecoded!(b('k'), decode);
      });
      assert.equal(seen, 'two');
      assert.equal(await engine.getDecoded(b('k'), decode), 'two');
      await engine.transact((tx) => tx.deleteRange(b('a'), b('z')));
      assert.equal(await engine.getDecoded(b('k'), decode), undefined);
    } finally {
      await engine.close();
    }
  });

  test('getDecoded keeps no value over 64 KiB, and stays right when its byte bound makes it start over', async () => {
    const engine = openSqliteEngine({ path: tempStorePath() });
    try {
      let decodes = 0;
      const decode = (value: Buffer): number => {
        decodes++;
        return value.length;
      };
      await engine.transact((tx) => tx.put(b('big'), Buffer.alloc(64 * 1024 + 1)));
      assert.equal(await engine.getDecoded(b('big'), decode), 64 * 1024 + 1);
      assert.equal(await engine.getDecoded(b('big'), decode), 64 * 1024 + 1);
      assert.equal(decodes, 2);
      // 200 values of 60 KiB pass the 8 MiB bound: every read still answers the committed value.
      const size = (i: number): number => 60 * 1024 + i;
      await engine.transact((tx) => {
        for (let i = 0; i < 200; i++) tx.put(b(`v${i}`), Buffer.alloc(size(i)));
      });
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 200; i++) assert.equal(await engine.getDecoded(b(`v${i}`), decode), size(i));
      }
      await engine.transact((tx) => tx.put(b('v7'), Buffer.alloc(3)));
      assert.equal(await engine.getDecoded(b('v7'), decode), 3);
    } finally {
      await engine.close();
    }
  });

  test('scans of many rows (packed into one blob) return every key and value intact, both ways, whatever the limit', async () => {
    const engine = openSqliteEngine({ path: tempStorePath() });
    try {
      const random = seededRandom(7);
      const rows = new Map<string, Buffer>();
      await engine.transact((tx) => {
        for (let i = 0; i < 300; i++) {
          const key = Buffer.from([0, ...crypto.randomBytes(1 + Math.floor(random() * 6)), i & 0xff, 0, 0xff]);
          const value = Buffer.from(Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256)));
          tx.put(key, value);
          rows.set(key.toString('hex'), value);
        }
      });
      const sorted = [...rows.keys()].sort();
      // Over a hundred distinct (range, limit) pairs: the first statements are kept with their limit written
      // in, the others run with it as a parameter, and all must answer alike.
      const limits = [3, 100, 1000, ...Array.from({ length: 30 }, (_, i) => 4 + i)];
      for (const [reverse, end] of [[false, Buffer.from([1])], [true, Buffer.from([1])], [false, undefined], [true, undefined]] as const) {
        for (const limit of limits) {
          const got = await engine.scan({ start: Buffer.alloc(0), end, reverse, limit });
          const want = (reverse ? [...sorted].reverse() : sorted).slice(0, limit);
          assert.deepEqual(got.map((r) => r.key.toString('hex')), want);
          for (const r of got) assert.ok(r.value.equals(rows.get(r.key.toString('hex'))!));
        }
      }
    } finally {
      await engine.close();
    }
  });
});
