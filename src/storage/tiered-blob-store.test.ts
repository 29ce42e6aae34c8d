import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { FileBlobStore } from './blob-store';
import { openSqliteEngine } from './sqlite-engine';
import { TieredBlobStore } from './tiered-blob-store';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'basalt-tiered-'));
const engine = openSqliteEngine({ path: path.join(dir, 'basalt.db') });
const files = new FileBlobStore(dir);
// A tiny inline limit, so that the hand-over to a file happens within a few chunks.
const blobs = new TieredBlobStore(engine, files, 10);
after(async () => {
  await blobs.close();
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const filesOnDisk = (): string[] => fs.readdirSync(path.join(dir, 'objects'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
const chunks = (...parts: string[]): Readable => Readable.from(parts.map((p) => Buffer.from(p)));
/** What the S3 layer does after a write: a later commit (there, of the metadata), which makes the blob durable. */
const published = async <T>(written: Promise<T>): Promise<T> => {
  const info = await written;
  await engine.transact(() => undefined);
  return info;
};
const text = async (stream: Readable): Promise<string> => {
  let out = '';
  for await (const chunk of stream) out += (chunk as Buffer).toString();
  return out;
};

test('a body up to the limit is kept in the engine; one byte more goes to a file, with the chunks read before', async () => {
  const small = await published(blobs.write(chunks('01234', '56789')));
  assert.equal(small.size, 10);
  assert.match(small.id, /_/);
  const large = await published(blobs.write(chunks('0123', '4567', '89A', 'BCDEF')));
  assert.equal(large.size, 16);
  assert.match(large.id, /-/);
  assert.deepEqual(filesOnDisk(), [large.id]);
  // A head the caller already read comes first, in both tiers.
  const headed = await published(blobs.write(chunks('cd'), [Buffer.from('ab')]));
  assert.equal((await blobs.readBytes(headed.id, { start: 0, end: 3 })).toString(), 'abcd');

  assert.equal(await text(await blobs.read(small.id)), '0123456789');
  assert.equal(await text(await blobs.read(small.id, { start: 2, end: 4 })), '234');
  assert.equal((await blobs.readBytes(small.id, { start: 8, end: 9 })).toString(), '89');
  assert.equal(await text(await blobs.read(large.id)), '0123456789ABCDEF');
  assert.equal((await blobs.readBytes(large.id, { start: 9, end: 11 })).toString(), '9AB');
});

test('an empty body is kept inline and reads back empty', async () => {
  const empty = await published(blobs.write(chunks()));
  assert.equal(empty.size, 0);
  assert.equal(await text(await blobs.read(empty.id)), '');
});

test('a body that fails mid-stream rejects, in either tier, and leaves no file', async () => {
  for (const before of ['short', 'longer than the limit']) {
    const source = new PassThrough();
    const written = blobs.write(source);
    source.write(before);
    setImmediate(() => source.destroy(new Error('client went away')));
    await assert.rejects(written, /client went away/);
  }
  const names = filesOnDisk();
  // Only the file of the first test remains.
  assert.equal(names.length, 1);
});

test('deleted blobs are gone once deletions are flushed; deleting twice or a missing blob is fine', async () => {
  const small = await published(blobs.write(chunks('tiny')));
  const large = await blobs.write(chunks('a body over ten bytes'));
  assert.equal((await blobs.readBytes(small.id, { start: 0, end: 3 })).toString(), 'tiny');
  await blobs.delete(small.id);
  await blobs.delete(small.id);
  await blobs.delete(large.id);
  await engine.transact(() => undefined);
  // Queued inline deletions commit in the background, before any later transaction.
  await new Promise((resolve) => setImmediate(resolve));
  await engine.transact(() => undefined);
  await assert.rejects(blobs.readBytes(small.id, { start: 0, end: 0 }), { code: 'ENOENT' });
  await assert.rejects(blobs.read(large.id), { code: 'ENOENT' });
  assert.ok(!filesOnDisk().includes(large.id));
});

test('createdBefore lists blobs of both tiers made before the time given, none made after', async () => {
  const small = await blobs.write(chunks('tiny'));
  const large = await published(blobs.write(chunks('a body over ten bytes')));
  const listed = await blobs.createdBefore(Date.now() + 1000);
  assert.ok(listed.includes(small.id) && listed.includes(large.id));
  assert.deepEqual(await blobs.createdBefore(0), []);
});

test('createdBefore pages through many inline blobs', async () => {
  const written = new Set<string>();
  for (let i = 0; i < 150; i++) written.add((await blobs.write(chunks(`b${i}`))).id);
  await engine.transact(() => undefined);
  const listed = new Set(await blobs.createdBefore(Date.now() + 1000));
  for (const id of written) assert.ok(listed.has(id), id);
});
