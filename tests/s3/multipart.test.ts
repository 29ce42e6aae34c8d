import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { awsError, startBasalt, tempDir, type BasaltProcess } from '../helpers/basalt';
import { checksumBase64 } from '../../src/s3/checksums';

let basalt: BasaltProcess;
let s3: S3Client;
const BUCKET = 'mpu';
const MiB = 1024 * 1024;
const dir = tempDir('basalt-s3-mpu-');
const md5 = (b: Buffer) => createHash('md5').update(b).digest();

before(async () => {
  // On disk, so part blobs and the ordered-parts read path are the real ones.
  basalt = await startBasalt(['--data-dir', join(dir.path, 'data')]);
  s3 = basalt.s3();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
after(async () => {
  await basalt.stop();
  dir.remove();
});

async function bytes(body: unknown): Promise<Buffer> {
  return Buffer.from(await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
}

test('multipart: create, upload parts, list, complete; ETag of MD5s; GET whole, by partNumber and by Range', async () => {
  const create = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'big.bin', ContentType: 'application/x-test', Metadata: { a: 'b' } }));
  const uploadId = create.UploadId!;
  assert.ok(uploadId);
  const p1 = randomBytes(5 * MiB);
  const p2 = randomBytes(5 * MiB + 123);
  const p3 = randomBytes(1000);
  const etags: string[] = [];
  for (const [i, body] of [p1, p2, p3].entries()) {
    const out = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'big.bin', UploadId: uploadId, PartNumber: i + 1, Body: body }));
    assert.equal(out.ETag, `"${md5(body).toString('hex')}"`);
    etags.push(out.ETag!);
  }
  const parts = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'big.bin', UploadId: uploadId }));
  assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag]), [[1, p1.length, etags[0]], [2, p2.length, etags[1]], [3, 1000, etags[2]]]);
  assert.equal(parts.IsTruncated, false);
  const page = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'big.bin', UploadId: uploadId, MaxParts: 2 }));
  assert.equal(page.IsTruncated, true);
  assert.equal(page.NextPartNumberMarker, '2');
  const rest = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'big.bin', UploadId: uploadId, PartNumberMarker: '2' }));
  assert.deepEqual(rest.Parts?.map((p) => p.PartNumber), [3]);

  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
  assert.deepEqual(uploads.Uploads?.map((u) => [u.Key, u.UploadId]), [['big.bin', uploadId]]);

  const done = await s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'big.bin', UploadId: uploadId,
    MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
  }));
  const expectedEtag = `"${createHash('md5').update(Buffer.concat([p1, p2, p3].map(md5))).digest('hex')}-3"`;
  assert.equal(done.ETag, expectedEtag);
  assert.equal(done.Bucket, BUCKET);
  assert.equal(done.Key, 'big.bin');
  assert.match(done.Location ?? '', /\/mpu\/big\.bin$/);

  const whole = Buffer.concat([p1, p2, p3]);
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big.bin' }));
  assert.equal(got.ETag, expectedEtag);
  assert.equal(got.ContentType, 'application/x-test');
  assert.deepEqual(got.Metadata, { a: 'b' });
  assert.equal(got.ContentLength, whole.length);
  assert.ok((await bytes(got.Body)).equals(whole));

  const part2 = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big.bin', PartNumber: 2 }));
  assert.equal(part2.PartsCount, 3);
  assert.equal(part2.ContentRange, `bytes ${p1.length}-${p1.length + p2.length - 1}/${whole.length}`);
  assert.ok((await bytes(part2.Body)).equals(p2));
  const head3 = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big.bin', PartNumber: 3 }));
  assert.equal(head3.ContentLength, 1000);
  assert.equal(head3.PartsCount, 3);

  // A range spanning the boundary of parts 1 and 2 and into part 3.
  const start = p1.length - 10;
  const end = p1.length + p2.length + 9;
  const ranged = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big.bin', Range: `bytes=${start}-${end}` }));
  assert.equal(ranged.ContentRange, `bytes ${start}-${end}/${whole.length}`);
  assert.ok((await bytes(ranged.Body)).equals(whole.subarray(start, end + 1)));

  const bad = await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big.bin', PartNumber: 4 })));
  assert.equal(bad.name, 'InvalidPartNumber');
  assert.equal(bad.$metadata?.httpStatusCode, 416);

  // The upload is gone.
  const gone = await awsError(s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'big.bin', UploadId: uploadId })));
  assert.equal(gone.name, 'NoSuchUpload');
  assert.equal(gone.message, 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
  assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads, undefined);

  // Completing it again answers as the first time, even with If-None-Match: *, while its object is the newest.
  const complete = () =>
    s3.send(new CompleteMultipartUploadCommand({
      Bucket: BUCKET, Key: 'big.bin', UploadId: uploadId, IfNoneMatch: '*',
      MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
    }));
  const again = await complete();
  assert.deepEqual([again.ETag, again.Bucket, again.Key, again.Location], [done.ETag, done.Bucket, done.Key, done.Location]);
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big.bin' }))).ContentLength, whole.length);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'big.bin', Body: 'replaced' }));
  assert.equal((await awsError(complete())).name, 'NoSuchUpload');
  assert.equal((await awsError(s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'other.bin', UploadId: uploadId, MultipartUpload: { Parts: [{ ETag: etags[0], PartNumber: 1 }] },
  })))).name, 'NoSuchUpload');
});

test('multipart: InvalidPart, InvalidPartOrder, EntityTooSmall, NoSuchUpload, part number range', async () => {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'errs' }));
  const small = Buffer.from('small part');
  const e1 = (await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'errs', UploadId, PartNumber: 1, Body: small }))).ETag!;
  const e2 = (await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'errs', UploadId, PartNumber: 2, Body: small }))).ETag!;
  const complete = (Parts: { ETag: string; PartNumber: number }[]) =>
    awsError(s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'errs', UploadId, MultipartUpload: { Parts } })));

  const order = await complete([{ ETag: e2, PartNumber: 2 }, { ETag: e1, PartNumber: 1 }]);
  assert.equal(order.name, 'InvalidPartOrder');
  assert.equal(order.message, 'The list of parts was not in ascending order. Parts must be ordered by part number.');
  assert.equal(order.$metadata?.httpStatusCode, 400);

  const missing = await complete([{ ETag: e1, PartNumber: 1 }, { ETag: e2, PartNumber: 3 }]);
  assert.equal(missing.name, 'InvalidPart');
  assert.equal(missing.message, 'One or more of the specified parts could not be found.');
  const wrongEtag = await complete([{ ETag: '"00000000000000000000000000000000"', PartNumber: 1 }]);
  assert.equal(wrongEtag.name, 'InvalidPart');

  const tooSmall = await complete([{ ETag: e1, PartNumber: 1 }, { ETag: e2, PartNumber: 2 }]);
  assert.equal(tooSmall.name, 'EntityTooSmall');
  assert.equal(tooSmall.message, 'Your proposed upload is smaller than the minimum allowed object size.');

  const range = await awsError(s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'errs', UploadId, PartNumber: 10001, Body: small })));
  assert.equal(range.name, 'InvalidArgument');
  assert.equal(range.message, 'Part number must be an integer between 1 and 10000, inclusive');

  // A single small part is a valid (last) part.
  const one = await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'errs', UploadId, MultipartUpload: { Parts: [{ ETag: e1, PartNumber: 1 }] } }));
  assert.equal(one.ETag, `"${createHash('md5').update(md5(small)).digest('hex')}-1"`);
  assert.equal((await bytes((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'errs' }))).Body)).toString(), 'small part');

  const noUpload = await awsError(s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'errs', UploadId: 'nope', PartNumber: 1, Body: small })));
  assert.equal(noUpload.name, 'NoSuchUpload');
  assert.equal(noUpload.$metadata?.httpStatusCode, 404);
});

test('multipart: abort removes the upload; re-uploading a part replaces it', async () => {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'aborted' }));
  await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'aborted', UploadId, PartNumber: 1, Body: 'first' }));
  const again = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'aborted', UploadId, PartNumber: 1, Body: 'second' }));
  const parts = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'aborted', UploadId }));
  assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size]), [[1, again.ETag, 6]]);
  await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'aborted', UploadId }));
  const gone = await awsError(s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'aborted', UploadId })));
  assert.equal(gone.name, 'NoSuchUpload');
  const head = await awsError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'aborted' })));
  assert.equal(head.$metadata?.httpStatusCode, 404);
});

test('multipart: composite checksum <b64>-N when the upload declares an algorithm; per-part checksums', async () => {
  const { UploadId, ChecksumAlgorithm } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'sums', ChecksumAlgorithm: 'SHA256' }));
  assert.equal(ChecksumAlgorithm, 'SHA256');
  const p1 = randomBytes(5 * MiB);
  const p2 = Buffer.from('tail');
  const sha = (b: Buffer) => createHash('sha256').update(b).digest();
  const parts = [];
  for (const [i, body] of [p1, p2].entries()) {
    const out = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'sums', UploadId, PartNumber: i + 1, Body: body, ChecksumAlgorithm: 'SHA256' }));
    assert.equal(out.ChecksumSHA256, sha(body).toString('base64'));
    parts.push({ ETag: out.ETag!, PartNumber: i + 1, ChecksumSHA256: out.ChecksumSHA256 });
  }
  const listed = await s3.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'sums', UploadId }));
  assert.equal(listed.ChecksumAlgorithm, 'SHA256');
  assert.equal(listed.Parts?.[0]?.ChecksumSHA256, sha(p1).toString('base64'));

  const missing = await awsError(s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'sums', UploadId, MultipartUpload: { Parts: parts.map(({ ETag, PartNumber }) => ({ ETag, PartNumber })) } })));
  assert.equal(missing.name, 'InvalidRequest');
  assert.equal(missing.message, 'The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.');

  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'sums', UploadId, MultipartUpload: { Parts: parts } }));
  const composite = `${createHash('sha256').update(Buffer.concat([sha(p1), sha(p2)])).digest('base64')}-2`;
  assert.equal(done.ChecksumSHA256, composite);
  assert.equal(done.ChecksumType, 'COMPOSITE');
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sums', ChecksumMode: 'ENABLED' }));
  assert.equal(head.ChecksumSHA256, composite);
  assert.equal(head.ChecksumType, 'COMPOSITE');
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sums', ChecksumMode: 'ENABLED' }));
  assert.ok((await bytes(got.Body)).equals(Buffer.concat([p1, p2])));
  const attrs = await s3.send(new GetObjectAttributesCommand({ Bucket: BUCKET, Key: 'sums', ObjectAttributes: ['ETag', 'Checksum', 'ObjectParts', 'ObjectSize', 'StorageClass'] }));
  assert.equal(attrs.ETag, done.ETag?.replace(/"/g, ''));
  assert.equal(attrs.Checksum?.ChecksumSHA256, composite);
  assert.equal(attrs.ObjectSize, p1.length + 4);
  assert.equal(attrs.StorageClass, 'STANDARD');
  assert.equal(attrs.ObjectParts?.TotalPartsCount, 2);
  assert.deepEqual(attrs.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size, p.ChecksumSHA256]), [[1, p1.length, sha(p1).toString('base64')], [2, 4, sha(p2).toString('base64')]]);
});

test('multipart: a FULL_OBJECT CRC64NVME upload gets the whole object\'s checksum, verified by the SDK on GET', async () => {
  const create = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'full', ChecksumAlgorithm: 'CRC64NVME' }));
  assert.equal(create.ChecksumType, 'FULL_OBJECT');
  const p1 = randomBytes(5 * MiB);
  const p2 = randomBytes(777);
  const parts = [];
  for (const [i, body] of [p1, p2].entries()) {
    const out = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'full', UploadId: create.UploadId, PartNumber: i + 1, Body: body, ChecksumAlgorithm: 'CRC64NVME' }));
    assert.equal(out.ChecksumCRC64NVME, checksumBase64('CRC64NVME', body));
    parts.push({ ETag: out.ETag!, PartNumber: i + 1 });
  }
  const whole = Buffer.concat([p1, p2]);
  // A declared whole-object checksum that is not the parts' is BadDigest, and the upload stays open.
  const complete = { Bucket: BUCKET, Key: 'full', UploadId: create.UploadId, MultipartUpload: { Parts: parts } };
  const wrongSum = checksumBase64('CRC64NVME', Buffer.concat([whole, Buffer.from('x')]));
  const bad = await awsError(s3.send(new CompleteMultipartUploadCommand({ ...complete, ChecksumCRC64NVME: wrongSum })));
  assert.equal(bad.name, 'BadDigest');
  assert.equal(bad.message, 'The CRC64NVME you specified did not match the calculated checksum.');
  assert.equal((await awsError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'full' })))).$metadata?.httpStatusCode, 404);
  const done = await s3.send(new CompleteMultipartUploadCommand(complete));
  assert.equal(done.ChecksumCRC64NVME, checksumBase64('CRC64NVME', whole));
  assert.equal(done.ChecksumType, 'FULL_OBJECT');
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'full', ChecksumMode: 'ENABLED' }));
  assert.equal(got.ChecksumCRC64NVME, checksumBase64('CRC64NVME', whole));
  assert.ok((await bytes(got.Body)).equals(whole));
  const composite = await awsError(s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'x', ChecksumAlgorithm: 'CRC64NVME', ChecksumType: 'COMPOSITE' })));
  assert.equal(composite.name, 'InvalidRequest');
  assert.equal(composite.message, 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.');
  const mismatch = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'mismatch', ChecksumAlgorithm: 'CRC32' }));
  const wrong = await awsError(s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'mismatch', UploadId: mismatch.UploadId, PartNumber: 1, Body: 'x', ChecksumAlgorithm: 'SHA1' })));
  assert.equal(wrong.name, 'InvalidRequest');
  assert.equal(wrong.message, 'Checksum Type mismatch occurred, expected checksum Type: crc32, actual checksum Type: sha1');
});

test('multipart: UploadPartCopy with x-amz-copy-source-range', async () => {
  const source = randomBytes(6 * MiB);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'copy-src', Body: source }));
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'copied' }));
  const c1 = await s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: 'copied', UploadId, PartNumber: 1, CopySource: `${BUCKET}/copy-src` }));
  assert.equal(c1.CopyPartResult?.ETag, `"${md5(source).toString('hex')}"`);
  const c2 = await s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: 'copied', UploadId, PartNumber: 2, CopySource: `${BUCKET}/copy-src`, CopySourceRange: 'bytes=100-199' }));
  assert.equal(c2.CopyPartResult?.ETag, `"${md5(source.subarray(100, 200)).toString('hex')}"`);
  const bad = await awsError(s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: 'copied', UploadId, PartNumber: 3, CopySource: `${BUCKET}/copy-src`, CopySourceRange: `bytes=0-${source.length}` })));
  assert.equal(bad.name, 'InvalidArgument');
  assert.equal(bad.message, `Range specified is not valid for source object of size: ${source.length}`);
  await s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'copied', UploadId,
    MultipartUpload: { Parts: [{ ETag: c1.CopyPartResult!.ETag!, PartNumber: 1 }, { ETag: c2.CopyPartResult!.ETag!, PartNumber: 2 }] },
  }));
  const got = await bytes((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copied' }))).Body);
  assert.ok(got.equals(Buffer.concat([source, source.subarray(100, 200)])));
});

test('ListMultipartUploads: prefix, delimiter, max-uploads and markers', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'mpu-list' }));
  const ids: Record<string, string> = {};
  for (const key of ['a/1', 'a/2', 'b', 'c', 'c']) {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu-list', Key: key }));
    ids[key + (ids[key] ? '#2' : '')] = UploadId!;
  }
  const grouped = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu-list', Delimiter: '/' }));
  assert.deepEqual(grouped.CommonPrefixes?.map((p) => p.Prefix), ['a/']);
  assert.deepEqual(grouped.Uploads?.map((u) => u.Key), ['b', 'c', 'c']);
  const prefixed = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu-list', Prefix: 'a/' }));
  assert.deepEqual(prefixed.Uploads?.map((u) => u.Key), ['a/1', 'a/2']);
  const first = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu-list', MaxUploads: 3 }));
  assert.equal(first.IsTruncated, true);
  assert.deepEqual(first.Uploads?.map((u) => u.Key), ['a/1', 'a/2', 'b']);
  assert.equal(first.NextKeyMarker, 'b');
  const next = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu-list', KeyMarker: first.NextKeyMarker, UploadIdMarker: first.NextUploadIdMarker }));
  assert.deepEqual(next.Uploads?.map((u) => [u.Key, u.UploadId]), [['c', ids['c']], ['c', ids['c#2']]]);
  const afterFirstC = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu-list', KeyMarker: 'c', UploadIdMarker: ids['c'] }));
  assert.deepEqual(afterFirstC.Uploads?.map((u) => u.UploadId), [ids['c#2']]);
  // Incomplete uploads do not keep a bucket: they go with it, and a bucket made again under the name has none.
  await s3.send(new DeleteBucketCommand({ Bucket: 'mpu-list' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'mpu-list' }));
  assert.deepEqual((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu-list' }))).Uploads ?? [], []);
});

test('multipart: a completed upload survives kill -9; an upload in progress keeps its parts', async () => {
  const data = join(dir.path, 'durable');
  let proc = await startBasalt(['--data-dir', data]);
  let client = proc.s3();
  await client.send(new CreateBucketCommand({ Bucket: 'durable-mpu' }));
  const p1 = randomBytes(5 * MiB);
  const p2 = randomBytes(4321);
  const done = await client.send(new CreateMultipartUploadCommand({ Bucket: 'durable-mpu', Key: 'done' }));
  const parts = [];
  for (const [i, body] of [p1, p2].entries()) {
    parts.push({ PartNumber: i + 1, ETag: (await client.send(new UploadPartCommand({ Bucket: 'durable-mpu', Key: 'done', UploadId: done.UploadId, PartNumber: i + 1, Body: body }))).ETag });
  }
  await client.send(new CompleteMultipartUploadCommand({ Bucket: 'durable-mpu', Key: 'done', UploadId: done.UploadId, MultipartUpload: { Parts: parts } }));
  const pending = await client.send(new CreateMultipartUploadCommand({ Bucket: 'durable-mpu', Key: 'pending' }));
  await client.send(new UploadPartCommand({ Bucket: 'durable-mpu', Key: 'pending', UploadId: pending.UploadId, PartNumber: 1, Body: 'pending part' }));
  await proc.kill();

  proc = await startBasalt(['--data-dir', data]);
  client = proc.s3();
  try {
    assert.ok((await bytes((await client.send(new GetObjectCommand({ Bucket: 'durable-mpu', Key: 'done' }))).Body)).equals(Buffer.concat([p1, p2])));
    const listed = await client.send(new ListPartsCommand({ Bucket: 'durable-mpu', Key: 'pending', UploadId: pending.UploadId }));
    assert.deepEqual(listed.Parts?.map((p) => [p.PartNumber, p.Size]), [[1, 12]]);
  } finally {
    await proc.stop();
  }
});

test('multipart: blobs of unused parts, aborted uploads and replaced multipart objects are deleted', async () => {
  const objects = join(dir.path, 'data', 'objects');
  const count = (): number => readdirSync(objects).reduce((n, d) => n + readdirSync(join(objects, d)).length, 0);
  const start = count();
  // Every body here is larger than what is kept inline in the store, so each is one file.
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'gc' }));
  const etags = [];
  for (let n = 1; n <= 3; n++) etags.push((await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'gc', UploadId, PartNumber: n, Body: randomBytes(n === 1 ? 5 * MiB : 100_000) }))).ETag!);
  assert.equal(count(), start + 3);
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'gc', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: etags[0] }, { PartNumber: 3, ETag: etags[2] }] } }));
  assert.equal(count(), start + 2);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gc', Body: randomBytes(100_000) }));
  assert.equal(count(), start + 1);
  const aborted = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'gc2' }));
  await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'gc2', UploadId: aborted.UploadId, PartNumber: 1, Body: randomBytes(100_000) }));
  assert.equal(count(), start + 2);
  await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'gc2', UploadId: aborted.UploadId }));
  assert.equal(count(), start + 1);
  // A bucket deleted with an upload in progress releases the upload's parts.
  await s3.send(new CreateBucketCommand({ Bucket: 'gc-bucket' }));
  const open = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'gc-bucket', Key: 'left' }));
  await s3.send(new UploadPartCommand({ Bucket: 'gc-bucket', Key: 'left', UploadId: open.UploadId, PartNumber: 1, Body: randomBytes(100_000) }));
  assert.equal(count(), start + 2);
  await s3.send(new DeleteBucketCommand({ Bucket: 'gc-bucket' }));
  assert.equal(count(), start + 1);
});
