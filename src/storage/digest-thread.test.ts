import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { FileBlobStore, MemoryBlobStore } from './blob-store';
import { createDigest, type DigestAlgorithm } from './digests';
import { openSqliteEngine } from './sqlite-engine';
import { TieredBlobStore } from './tiered-blob-store';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'basalt-digests-'));
const files = new FileBlobStore(dir);
const engine = openSqliteEngine({ path: path.join(dir, 'basalt.db') });
const tiered = new TieredBlobStore(engine, files, 1024);
after(async () => {
  await tiered.close();
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const hex = (algorithm: DigestAlgorithm, bytes: Buffer): string => {
  const digest = createDigest(algorithm);
  digest.update(bytes);
  return digest.digest().toString('hex');
};
/** `bytes` in chunks of `size`, each arriving on a later turn of the event loop, as a request body does. */
function trickle(bytes: Buffer, size: number): Readable {
  return Readable.from(
    (async function* () {
      for (let at = 0; at < bytes.length; at += size) {
        await new Promise((resolve) => setImmediate(resolve));
        yield bytes.subarray(at, at + size);
      }
    })(),
  );
}

test('a file blob gets the digests asked for, of every byte, head chunks included, in the order asked', async () => {
  const body = randomBytes(5_000_000);
  const head = [body.subarray(0, 1000), body.subarray(1000, 70_000)];
  // Spread over all three threads (MD5, SHAs, CRCs).
  const algorithms: DigestAlgorithm[] = ['crc64nvme', 'md5', 'sha256', 'crc32c', 'sha1', 'crc32'];
  const info = await files.write(trickle(body.subarray(70_000), 64 * 1024), head, algorithms);
  assert.equal(info.size, body.length);
  assert.deepEqual(
    [...info.digests].map(([algorithm, digest]) => [algorithm, digest.toString('hex')]),
    algorithms.map((algorithm) => [algorithm, hex(algorithm, body)]),
  );
});

test('digests of an empty file, of several files written at once, and none when none are asked for', async () => {
  assert.equal((await files.write(Readable.from([]), [], ['md5'])).digests.get('md5')!.toString('hex'), hex('md5', Buffer.alloc(0)));
  const bodies = [randomBytes(3_000_000), randomBytes(10), randomBytes(1_500_000)];
  const infos = await Promise.all(bodies.map((b) => files.write(trickle(b, 100_000), [], ['sha256'])));
  infos.forEach((info, i) => assert.equal(info.digests.get('sha256')!.toString('hex'), hex('sha256', bodies[i]!)));
  assert.equal((await files.write(Readable.from([randomBytes(100)]))).digests.size, 0);
});

test('inline and in-memory blobs get the same digests', async () => {
  const small = randomBytes(500);
  const large = randomBytes(200_000);
  for (const store of [tiered, new MemoryBlobStore()]) {
    for (const body of [small, large]) {
      const info = await store.write(trickle(body, 300), [], ['md5']);
      assert.equal(info.digests.get('md5')!.toString('hex'), hex('md5', body));
    }
  }
});

test('a body that fails part way rejects the write, and the next write is digested', async () => {
  const failing = new Readable({ read() {} });
  const written = files.write(failing, [], ['md5']);
  failing.push(randomBytes(300_000));
  setTimeout(() => failing.destroy(new Error('client went away')), 20);
  await assert.rejects(written, /client went away/);
  const body = randomBytes(2_000_000);
  assert.equal((await files.write(trickle(body, 65_536), [], ['md5'])).digests.get('md5')!.toString('hex'), hex('md5', body));
});
