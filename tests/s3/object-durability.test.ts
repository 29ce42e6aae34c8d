import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startBasalt, tempDir } from '../helpers/basalt';

test('an acknowledged PUT survives kill -9; leftover temp blobs are removed at start', async () => {
  const dir = tempDir('basalt-s3-durable-');
  try {
    const data = join(dir.path, 'data');
    const first = await startBasalt(['--data-dir', data]);
    const body = Buffer.alloc(300_000, 7);
    await first.s3().send(new CreateBucketCommand({ Bucket: 'durable' }));
    await first.s3().send(new PutObjectCommand({ Bucket: 'durable', Key: 'big.bin', Body: body }));
    await first.kill();
    // A crash mid-write under an earlier version left a temp file; it must not survive the next start.
    mkdirSync(join(data, 'objects', 'zz'), { recursive: true });
    const orphan = join(data, 'objects', 'zz', 'crashed-000000000000000000000000.tmp');
    writeFileSync(orphan, 'partial');
    const second = await startBasalt(['--data-dir', data]);
    try {
      const got = await second.s3().send(new GetObjectCommand({ Bucket: 'durable', Key: 'big.bin' }));
      assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);
      assert.equal(existsSync(orphan), false);
      const listed = await second.s3().send(new ListObjectsV2Command({ Bucket: 'durable' }));
      assert.deepEqual(listed.Contents?.map((c) => [c.Key, c.Size]), [['big.bin', 300_000]]);
      // Overwriting replaces the blob: the file goes, and a small body is kept in the store, not in a file.
      await second.s3().send(new PutObjectCommand({ Bucket: 'durable', Key: 'big.bin', Body: 'small' }));
      const files = readdirSync(join(data, 'objects'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      assert.equal(files.length, 0);
      // The small body, kept in the store, is as durable as a file.
      await second.kill();
      const third = await startBasalt(['--data-dir', data]);
      try {
        const again = await third.s3().send(new GetObjectCommand({ Bucket: 'durable', Key: 'big.bin' }));
        assert.equal(await again.Body!.transformToString(), 'small');
      } finally {
        await third.stop();
      }
    } finally {
      await second.stop();
    }
  } finally {
    dir.remove();
  }
});
