import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { awsError, startBasalt, type BasaltProcess } from '../helpers/basalt';

let basalt: BasaltProcess;
let s3: S3Client;
const BUCKET = 'listing';
const KEYS = ['a.txt', 'dir/x', 'dir/y', 'dir/sub/z', 'e f+g.txt', 'photos/2024/1.jpg', 'photos/2024/2.jpg', 'photos/2025/1.jpg', 'z'];

before(async () => {
  basalt = await startBasalt();
  s3 = basalt.s3();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const key of KEYS) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key }));
});
after(async () => {
  await basalt.stop();
});

test('ListObjectsV2 lists every key in UTF-8 order with sizes, ETags and KeyCount', async () => {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  assert.deepEqual(out.Contents?.map((c) => c.Key), [...KEYS].sort());
  assert.equal(out.KeyCount, KEYS.length);
  assert.equal(out.IsTruncated, false);
  assert.equal(out.Contents?.[0]?.Size, 5);
  assert.equal(out.Contents?.[0]?.StorageClass, 'STANDARD');
  assert.equal(out.Contents?.[0]?.Owner, undefined);
  const owned = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, FetchOwner: true, MaxKeys: 1 }));
  assert.equal(owned.Contents?.[0]?.Owner?.ID, '000000000000');
});

test('prefix and delimiter group CommonPrefixes; each counts toward MaxKeys', async () => {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/' }));
  assert.deepEqual(out.Contents?.map((c) => c.Key), ['a.txt', 'e f+g.txt', 'z']);
  assert.deepEqual(out.CommonPrefixes?.map((p) => p.Prefix), ['dir/', 'photos/']);
  assert.equal(out.KeyCount, 5);
  const photos = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'photos/', Delimiter: '/' }));
  assert.deepEqual(photos.CommonPrefixes?.map((p) => p.Prefix), ['photos/2024/', 'photos/2025/']);
  assert.equal(photos.Contents, undefined);
  const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/', MaxKeys: 2 }));
  assert.deepEqual([...(page.Contents ?? []).map((c) => c.Key), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix)], ['a.txt', 'dir/']);
  assert.equal(page.IsTruncated, true);
  const next = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/', MaxKeys: 2, ContinuationToken: page.NextContinuationToken }));
  assert.deepEqual([...(next.Contents ?? []).map((c) => c.Key), ...(next.CommonPrefixes ?? []).map((p) => p.Prefix)], ['e f+g.txt', 'photos/']);
});

test('paginating with continuation tokens visits every key once; StartAfter skips', async () => {
  const seen: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: BUCKET })) {
    for (const c of page.Contents ?? []) seen.push(c.Key!);
  }
  assert.deepEqual(seen, [...KEYS].sort());
  const after = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, StartAfter: 'photos/2024/2.jpg' }));
  assert.deepEqual(after.Contents?.map((c) => c.Key), ['photos/2025/1.jpg', 'z']);
  assert.equal(after.StartAfter, 'photos/2024/2.jpg');
});

test('ListObjects (v1): Marker, NextMarker with a delimiter, Owner always', async () => {
  const first = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, MaxKeys: 3 }));
  assert.deepEqual(first.Contents?.map((c) => c.Key), ['a.txt', 'dir/sub/z', 'dir/x']);
  assert.equal(first.IsTruncated, true);
  assert.equal(first.NextMarker, undefined);
  assert.equal(first.Contents?.[0]?.Owner?.ID, '000000000000');
  const second = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, Marker: 'dir/x', MaxKeys: 3 }));
  assert.deepEqual(second.Contents?.map((c) => c.Key), ['dir/y', 'e f+g.txt', 'photos/2024/1.jpg']);
  const grouped = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, Delimiter: '/', MaxKeys: 2 }));
  assert.equal(grouped.NextMarker, 'dir/');
  const rest = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, Delimiter: '/', Marker: grouped.NextMarker }));
  assert.deepEqual(rest.Contents?.map((c) => c.Key), ['e f+g.txt', 'z']);
  assert.deepEqual(rest.CommonPrefixes?.map((p) => p.Prefix), ['photos/']);
});

test('encoding-type=url encodes keys and prefixes', async () => {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, EncodingType: 'url', Prefix: 'e' }));
  assert.equal(out.EncodingType, 'url');
  assert.deepEqual(out.Contents?.map((c) => c.Key), ['e+f%2Bg.txt']);
});

test('bad parameters: max-keys, encoding-type, continuation-token; missing bucket', async () => {
  const enc = await awsError(s3.send(new ListObjectsV2Command({ Bucket: BUCKET, EncodingType: 'base64' as never })));
  assert.equal(enc.name, 'InvalidArgument');
  assert.equal(enc.message, 'Invalid Encoding Method specified in Request');
  const token = await awsError(s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: 'garbage' })));
  assert.equal(token.name, 'InvalidArgument');
  assert.equal(token.message, 'The continuation token provided is incorrect');
  const missing = await awsError(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })));
  assert.equal(missing.name, 'NoSuchBucket');
  assert.equal(missing.$metadata?.httpStatusCode, 404);
});
