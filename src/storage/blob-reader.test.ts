import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { FileBlobStore, MemoryBlobStore, type BlobStore } from './blob-store';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'basalt-blob-reader-'));
const files = new FileBlobStore(dir);
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Keeps each chunk until a later turn of the event loop before calling back, as a socket does, and copies
 * it only then: a reader that reused a buffer before the callback would show up as wrong bytes.
 */
function slowSink(): { out: Writable; bytes: () => Buffer; chunks: () => number } {
  const kept: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      setTimeout(() => {
        kept.push(Buffer.from(chunk));
        callback();
      }, 2);
    },
  });
  return { out, bytes: () => Buffer.concat(kept), chunks: () => kept.length };
}

const openFds = (): number => fs.readdirSync('/proc/self/fd').length;

for (const [name, store] of [
  ['files', files],
  ['memory', new MemoryBlobStore()],
] as [string, BlobStore][]) {
  test(`${name}: writeTo writes a blob, or a range of it, byte for byte`, async () => {
    // Over two 512 KiB read buffers, so both are reused several times.
    const body = randomBytes(2_500_000);
    const { id } = await store.write(Readable.from([body]));
    for (const range of [{ start: 0, end: body.length - 1 }, { start: 1, end: 1 }, { start: 100_000, end: 1_700_000 }]) {
      const sink = slowSink();
      await (await store.open(id, range)).writeTo(sink.out);
      assert.ok(sink.bytes().equals(body.subarray(range.start, range.end + 1)), JSON.stringify(range));
    }
  });

  test(`${name}: open rejects with ENOENT for a missing blob`, async () => {
    const { id } = await store.write(Readable.from([Buffer.from('gone')]));
    await store.delete(id);
    await assert.rejects(store.open(id, { start: 0, end: 3 }), { code: 'ENOENT' });
  });
}

test('a file is read in chunks of at most 512 KiB and closed after writeTo, and after close', async () => {
  const { id, size } = await files.write(Readable.from([randomBytes(1_100_000)]));
  const before = openFds();
  const sink = slowSink();
  const reader = await files.open(id, { start: 0, end: size - 1 });
  assert.equal(openFds(), before + 1);
  await reader.writeTo(sink.out);
  assert.equal(sink.chunks(), 3);
  const unused = await files.open(id, { start: 0, end: 9 });
  unused.close();
  // fs.close runs in the thread pool: give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(openFds(), before);
});

test('writeTo rejects when the destination is destroyed part way, and closes the file', async () => {
  const { id, size } = await files.write(Readable.from([randomBytes(3_000_000)]));
  const before = openFds();
  let writes = 0;
  const out = new Writable({
    write(_chunk, _encoding, callback) {
      if (++writes === 2) out.destroy();
      setImmediate(callback);
    },
  });
  await assert.rejects((await files.open(id, { start: 0, end: size - 1 })).writeTo(out));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(openFds(), before);
});
