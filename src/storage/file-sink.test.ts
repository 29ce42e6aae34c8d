import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { FileBlobStore } from './blob-store';
import { FileSink, takesDirectWrites, type SlotConsumer } from './file-sink';
import { SLOT_BYTES, takeRing, returnRing } from './slot-ring';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'basalt-sink-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `bytes` in pieces of random sizes up to `max`, each arriving on a later turn of the event loop. */
function trickle(bytes: Buffer, max: number): Readable {
  return Readable.from(
    (async function* () {
      for (let at = 0; at < bytes.length; ) {
        await new Promise((resolve) => setImmediate(resolve));
        const n = 1 + Math.floor(Math.random() * max);
        yield bytes.subarray(at, (at += n));
      }
    })(),
  );
}

// Around a block (4096), a slot, and past the ring's slots, so every slot is refilled.
const SIZES = [0, 1, 4095, 4096, 4097, SLOT_BYTES - 1, SLOT_BYTES, SLOT_BYTES + 1, 9 * SLOT_BYTES + 12_345];

/** A consumer that copies what it is handed, each slot after a delay, so the sink must wait for it. */
function collector(ring: { bytes: Buffer }): SlotConsumer & { bytes(): Buffer } {
  const seen: Buffer[] = [];
  return {
    take: async (start, length) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(Buffer.from(ring.bytes.subarray(start, start + length)));
    },
    bytes: () => Buffer.concat(seen),
  };
}

for (const direct of [true, false]) {
  test(`${direct ? 'direct' : 'buffered'} writes: the file and the consumer get every byte, in order, at any size`, async (t) => {
    if (direct && !takesDirectWrites(dir)) return t.skip('this filesystem refuses direct writes');
    for (const size of SIZES) {
      const body = randomBytes(size);
      const file = path.join(dir, `${direct}-${size}`);
      const ring = takeRing();
      const sink = new FileSink(trickle(body, 300_000), [], ring, direct);
      const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | (direct ? fs.constants.O_DIRECT : 0));
      const consumer = collector(ring);
      sink.start(fd, [consumer]);
      assert.equal(await sink.done, size);
      fs.closeSync(fd);
      returnRing(ring);
      assert.equal(fs.statSync(file).size, size, `file size for ${size}`);
      assert.ok(fs.readFileSync(file).equals(body), `file bytes for ${size}`);
      assert.ok(consumer.bytes().equals(body), `consumed bytes for ${size}`);
    }
  });
}

test('a consumer that fails fails the write, and the source is destroyed', async () => {
  const ring = takeRing();
  const source = trickle(randomBytes(3 * SLOT_BYTES), 100_000);
  const sink = new FileSink(source, [], ring, false);
  const fd = fs.openSync(path.join(dir, 'failing'), 'w');
  sink.start(fd, [{ take: () => Promise.reject(new Error('digest thread: gone')) }]);
  await assert.rejects(sink.done, /digest thread: gone/);
  await sink.whenIdle();
  fs.closeSync(fd);
  assert.equal(source.destroyed, true);
});

test('after a failure the sink is idle only once every consumer has let go of its slots', async () => {
  const ring = takeRing();
  const source = new Readable({ read() {} });
  const sink = new FileSink(source, [], ring, false);
  const fd = fs.openSync(path.join(dir, 'slow-consumer'), 'w');
  let held = 0;
  let letGo: () => void = () => undefined;
  const slow: SlotConsumer = { take: () => ((held += 1), new Promise<void>((resolve) => (letGo = () => ((held -= 1), resolve())))) };
  sink.start(fd, [slow]);
  source.push(randomBytes(SLOT_BYTES));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(held, 1, 'the full slot was handed over');
  source.destroy(new Error('client went away'));
  await assert.rejects(sink.done, /client went away/);
  let idle = false;
  const whenIdle = sink.whenIdle().then(() => (idle = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(idle, false, 'not idle while the consumer holds a slot');
  letGo();
  await whenIdle;
  fs.closeSync(fd);
  returnRing(ring);
});

test('the blob store reads back what it wrote, head chunks and the padded last block included', async () => {
  const files = new FileBlobStore(dir);
  const body = randomBytes(2 * SLOT_BYTES + 777);
  const info = await files.write(trickle(body.subarray(5000), 200_000), [body.subarray(0, 5000)], ['md5']);
  assert.equal(info.size, body.length);
  assert.ok((await files.readBytes(info.id, { start: 0, end: body.length - 1 })).equals(body));
});
