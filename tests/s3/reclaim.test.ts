import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { startBasalt, tempDir } from '../helpers/basalt';
import { openSqliteEngine } from '../../src/storage/sqlite-engine';
import { Readable } from 'node:stream';
import { FileBlobStore } from '../../src/storage/blob-store';
import { INLINE_BODY_MAX, TieredBlobStore } from '../../src/storage/tiered-blob-store';
import { startOrphanReclaim } from '../../src/s3/reclaim';

const blobFiles = (dataDir: string): string[] =>
  readdirSync(join(dataDir, 'objects')).flatMap((d) => readdirSync(join(dataDir, 'objects', d)));

test('orphaned blobs (written, never committed) are reclaimed; every referenced blob survives', async () => {
  const dir = tempDir('basalt-s3-reclaim-');
  const dataDir = join(dir.path, 'data');
  try {
    let basalt = await startBasalt(['--data-dir', dataDir]);
    let s3 = basalt.s3();
    await s3.send(new CreateBucketCommand({ Bucket: 'keep' }));
    await s3.send(new PutObjectCommand({ Bucket: 'keep', Key: 'plain', Body: 'plain body' }));
    // Bodies over 64 KiB are files, smaller ones are kept in the store: referenced blobs of both kinds.
    const large = randomBytes(100_000);
    await s3.send(new PutObjectCommand({ Bucket: 'keep', Key: 'large', Body: large }));
    await s3.send(new CreateBucketCommand({ Bucket: 'keep-versions' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'keep-versions', VersioningConfiguration: { Status: 'Enabled' } }));
    const old = await s3.send(new PutObjectCommand({ Bucket: 'keep-versions', Key: 'k', Body: 'old version' }));
    await s3.send(new PutObjectCommand({ Bucket: 'keep-versions', Key: 'k', Body: 'new version' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'keep-versions', Key: 'k' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'keep', Key: 'mpu' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: 'keep', Key: 'mpu', UploadId, PartNumber: 1, Body: 'pending part' }));
    await basalt.stop();

    // What a crash between a blob's write and its metadata commit leaves behind.
    const orphan = `${Date.now().toString(36)}-${randomBytes(11).toString('hex')}ab`;
    mkdirSync(join(dataDir, 'objects', 'ab'), { recursive: true });
    writeFileSync(join(dataDir, 'objects', 'ab', orphan), 'never committed');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dataDir, 'objects', 'ab', orphan), past, past);
    const before = blobFiles(dataDir);
    assert.equal(before.length, 2);

    const store = openSqliteEngine({ path: join(dataDir, 'basalt.sqlite') });
    const blobs = new TieredBlobStore(store, new FileBlobStore(dataDir), INLINE_BODY_MAX);
    try {
      // A small body kept in the store whose metadata never committed.
      const inlineOrphan = (await blobs.write(Readable.from([Buffer.from('never committed either')]))).id;
      // Its write is durable once a later transaction is, as a crash would find it.
      await store.transact(() => undefined);
      const removed = await startOrphanReclaim(store, blobs, undefined, Date.now() + 1000);
      assert.deepEqual(removed.sort(), [inlineOrphan, orphan].sort());
      // Deleting a body kept in the store is committed in the background; closing waits for it.
      await blobs.close();
      await assert.rejects(blobs.readBytes(inlineOrphan, { start: 0, end: 0 }), { code: 'ENOENT' });
      // Blobs newer than the cut-off are never candidates.
      assert.deepEqual(await startOrphanReclaim(store, blobs, undefined, 0), []);
    } finally {
      await store.close();
    }
    assert.deepEqual(blobFiles(dataDir).sort(), before.filter((id) => id !== orphan).sort());

    basalt = await startBasalt(['--data-dir', dataDir]);
    s3 = basalt.s3();
    const text = async (body: unknown) => (body as { transformToString(): Promise<string> }).transformToString();
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket: 'keep', Key: 'plain' }))).Body), 'plain body');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'keep', Key: 'large' }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), large);
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket: 'keep-versions', Key: 'k', VersionId: old.VersionId }))).Body), 'old version');
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'keep', Key: 'mpu', UploadId, MultipartUpload: { Parts: [{ ETag: part.ETag, PartNumber: 1 }] } }));
    assert.equal(await text((await s3.send(new GetObjectCommand({ Bucket: 'keep', Key: 'mpu' }))).Body), 'pending part');
    await basalt.stop();
  } finally {
    dir.remove();
  }
});

test('a started server sweeps orphaned blobs in the background', async () => {
  const dir = tempDir('basalt-s3-reclaim-cli-');
  const dataDir = join(dir.path, 'data');
  try {
    const first = await startBasalt(['--data-dir', dataDir]);
    await first.s3().send(new CreateBucketCommand({ Bucket: 'kept' }));
    await first.s3().send(new PutObjectCommand({ Bucket: 'kept', Key: 'k', Body: 'kept body' }));
    await first.stop();
    const orphan = `${Date.now().toString(36)}-${randomBytes(11).toString('hex')}cd`;
    mkdirSync(join(dataDir, 'objects', 'cd'), { recursive: true });
    writeFileSync(join(dataDir, 'objects', 'cd', orphan), 'never committed');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dataDir, 'objects', 'cd', orphan), past, past);

    const second = await startBasalt(['--data-dir', dataDir]);
    try {
      const deadline = Date.now() + 10_000;
      while (!second.output().includes('reclaimed 1 orphaned object blob(s)') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.match(second.output(), /reclaimed 1 orphaned object blob\(s\)/);
      assert.ok(!blobFiles(dataDir).includes(orphan));
      const body = await second.s3().send(new GetObjectCommand({ Bucket: 'kept', Key: 'k' }));
      assert.equal(await body.Body?.transformToString(), 'kept body');
    } finally {
      await second.stop();
    }
  } finally {
    dir.remove();
  }
});
