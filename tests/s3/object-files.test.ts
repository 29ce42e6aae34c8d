import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync, statSync, utimesSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsError, startBasalt, tempDir, TEST_CREDENTIALS, type BasaltProcess } from '../helpers/basalt';
import { checksumBase64 } from '../../src/s3/checksums';
import { s3Raw, s3SignedHeaders } from './signed-request';

// Object bodies on disk (a server with a data directory): large bodies in files (streamed through the file
// sink in coalesced writes, flushed as they arrive), bodies up to 64 KiB kept in the store, concurrent
// writes, and what a crash mid-upload leaves.

const BUCKET = 'files';
const dir = tempDir('basalt-s3-files-');
const dataDir = join(dir.path, 'data');
let basalt: BasaltProcess;
let s3: S3Client;

const md5 = (b: Buffer): Buffer => createHash('md5').update(b).digest();
const blobFiles = (): { name: string; size: number; path: string }[] =>
  readdirSync(join(dataDir, 'objects')).flatMap((d) =>
    readdirSync(join(dataDir, 'objects', d)).map((name) => {
      const path = join(dataDir, 'objects', d, name);
      return { name, size: statSync(path).size, path };
    }),
  );
const bytesOf = async (out: { Body?: unknown }): Promise<Buffer> =>
  Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());

before(async () => {
  basalt = await startBasalt(['--data-dir', dataDir]);
  s3 = basalt.s3();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
after(async () => {
  await basalt.stop();
  dir.remove();
});

test('a large body with Content-MD5 and a CRC32 is verified and stored; whole and ranged GETs return its bytes', async () => {
  // Larger than the sink's early-sync step, so part of it is flushed while the rest arrives.
  const body = randomBytes(20 * 1024 * 1024 + 17);
  const put = await s3Raw(basalt.endpoint, 'PUT', `/${BUCKET}/large`, {
    body,
    headers: { 'content-md5': md5(body).toString('base64'), 'x-amz-checksum-crc32': checksumBase64('CRC32', body) },
  });
  assert.equal(put.status, 200, put.body);
  assert.equal(put.headers.etag, `"${md5(body).toString('hex')}"`);
  assert.deepEqual(await bytesOf(await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'large' }))), body);
  // A small range is read in one call, a large one streamed.
  const small = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'large', Range: 'bytes=1000-1999' }));
  assert.deepEqual(await bytesOf(small), body.subarray(1000, 2000));
  const large = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'large', Range: 'bytes=100000-' }));
  assert.deepEqual(await bytesOf(large), body.subarray(100000));
});

test('GETs abandoned part way through a large body leave no file open, plain or SSE-C', async () => {
  const body = randomBytes(8 * 1024 * 1024);
  const key = randomBytes(32);
  const ssec = {
    'x-amz-server-side-encryption-customer-algorithm': 'AES256',
    'x-amz-server-side-encryption-customer-key': key.toString('base64'),
    'x-amz-server-side-encryption-customer-key-md5': md5(key).toString('base64'),
  };
  const openBlobs = (): string[] =>
    readdirSync(`/proc/${basalt.child.pid}/fd`)
      .map((fd) => {
        try {
          return readlinkSync(`/proc/${basalt.child.pid}/fd/${fd}`);
        } catch {
          return '';
        }
      })
      .filter((target) => target.startsWith(join(dataDir, 'objects')));
  const url = new URL(basalt.endpoint);
  for (const [name, headers] of [['abandoned', {}], ['abandoned-ssec', ssec]] as [string, Record<string, string>][]) {
    assert.equal((await s3Raw(basalt.endpoint, 'PUT', `/${BUCKET}/${name}`, { body, headers })).status, 200);
    for (let i = 0; i < 10; i++) {
      const signed = await s3SignedHeaders(basalt.endpoint, 'GET', `/${BUCKET}/${name}`, { headers });
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(url.port), url.hostname, () => {
          socket.write(`GET /${BUCKET}/${name} HTTP/1.1\r\n${Object.entries(signed).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
        });
        // The head and the first bytes of the body, then the client goes away without reading the rest.
        socket.once('data', (chunk: Buffer) => {
          assert.match(chunk.toString('latin1', 0, 12), /^HTTP\/1\.1 200/);
          socket.destroy();
          resolve();
        });
        socket.once('error', reject);
      });
    }
    // The server notices each closed socket on its next write.
    for (let wait = 0; wait < 50 && openBlobs().length > 0; wait++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(openBlobs(), [], name);
  }
  assert.deepEqual(await bytesOf(await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'abandoned' }))), body);
});

test('a large body that does not match its Content-MD5 or x-amz-content-sha256 is refused and leaves no file', async () => {
  const before = blobFiles().length;
  const body = randomBytes(2 * 1024 * 1024);
  const badMd5 = await s3Raw(basalt.endpoint, 'PUT', `/${BUCKET}/bad-md5`, { body, headers: { 'content-md5': md5(Buffer.from('other')).toString('base64') } });
  assert.equal(badMd5.status, 400);
  assert.match(badMd5.body, /<Code>BadDigest<\/Code>/);
  const badSha = await s3Raw(basalt.endpoint, 'PUT', `/${BUCKET}/bad-sha`, { body, payloadHash: createHash('sha256').update('other').digest('hex') });
  assert.equal(badSha.status, 400);
  assert.match(badSha.body, /<Code>XAmzContentSHA256Mismatch<\/Code>/);
  for (const key of ['bad-md5', 'bad-sha']) {
    assert.equal((await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })))).name, 'NoSuchKey');
  }
  assert.equal(blobFiles().length, before);
});

test('concurrent small PUTs are kept in the store, not in files; larger ones get a file each; all read back', async () => {
  const before = new Set(blobFiles().map((f) => f.name));
  // 64 KiB is the largest body kept inline; one byte more makes a file.
  const sizes = Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? 4096 + i : 65_536 + (i % 4 === 1 ? 0 : 1)));
  const bodies = sizes.map((n) => randomBytes(n));
  await Promise.all(bodies.map((Body, i) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `small/${i}`, Body }))));
  const got = await Promise.all(bodies.map((_, i) => s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `small/${i}` })).then(bytesOf)));
  got.forEach((b, i) => assert.deepEqual(b, bodies[i]));
  // Ranges of a body kept inline, and of one in a file.
  for (const i of [0, 3]) {
    const ranged = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `small/${i}`, Range: 'bytes=100-4099' }));
    assert.deepEqual(await bytesOf(ranged), bodies[i]!.subarray(100, 4100));
  }
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'small/' }));
  assert.equal(listed.KeyCount, 64);
  assert.deepEqual(listed.Contents!.map((c) => c.Size).sort(), [...sizes].sort());
  const files = blobFiles().filter((f) => !before.has(f.name));
  assert.equal(files.length, 16, 'one file for each body over 64 KiB');
  assert.ok(files.every((f) => f.size === 65_537));
  // Overwriting with a small body removes the files.
  await Promise.all(bodies.map((_, i) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `small/${i}`, Body: 'again' }))));
  assert.deepEqual(new Set(blobFiles().map((f) => f.name)), before);
  const again = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'small/3' }));
  assert.equal(await again.Body!.transformToString(), 'again');
});

test('a server killed mid-upload shows no object after restart, and the partial file is reclaimed', async () => {
  const crashDir = tempDir('basalt-s3-files-crash-');
  const data = join(crashDir.path, 'data');
  const objects = (): { path: string; name: string; size: number }[] =>
    readdirSync(join(data, 'objects')).flatMap((d) =>
      readdirSync(join(data, 'objects', d)).map((name) => ({ path: join(data, 'objects', d, name), name, size: statSync(join(data, 'objects', d, name)).size })),
    );
  try {
    const first = await startBasalt(['--data-dir', data]);
    await first.s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
    // Half of a 4 MiB body is sent, then the server is killed while it waits for the rest.
    const url = new URL(first.endpoint);
    const signer = new SignatureV4({ credentials: TEST_CREDENTIALS, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
    const signed = await signer.sign({
      method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: `/${BUCKET}/torn`,
      headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(4 * 1024 * 1024) },
    });
    const upload = request(new URL(`/${BUCKET}/torn`, first.endpoint), { method: 'PUT', headers: signed.headers });
    upload.on('error', () => undefined);
    upload.write(Buffer.alloc(2 * 1024 * 1024, 1));
    const deadline = Date.now() + 10_000;
    while (!objects().some((f) => f.size > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const partial = objects();
    assert.equal(partial.length, 1);
    await first.kill();
    upload.destroy();
    // The sweep takes files older than the new process; make the crash look a minute old.
    const past = new Date(Date.now() - 60_000);
    utimesSync(partial[0]!.path, past, past);

    const second = await startBasalt(['--data-dir', data]);
    try {
      assert.equal((await awsError(second.s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'torn' })))).name, 'NoSuchKey');
      const swept = Date.now() + 10_000;
      while (!second.output().includes('reclaimed 1 orphaned object blob(s)') && Date.now() < swept) await new Promise((r) => setTimeout(r, 50));
      assert.match(second.output(), /reclaimed 1 orphaned object blob\(s\)/);
      assert.deepEqual(objects(), []);
    } finally {
      await second.stop();
    }
  } finally {
    crashDir.remove();
  }
});
