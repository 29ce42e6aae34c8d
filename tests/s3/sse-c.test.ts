import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { python } from '../helpers/python';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsError, startBasalt, tempDir, type BasaltProcess } from '../helpers/basalt';
import { s3Raw } from './signed-request';

const BUCKET = 'ssec';
const dir = tempDir('basalt-s3-ssec-');
let basalt: BasaltProcess;
let s3: S3Client;

const KEY = randomBytes(32);
const OTHER = randomBytes(32);
const b64 = (b: Buffer) => b.toString('base64');
const md5b64 = (b: Buffer) => createHash('md5').update(b).digest('base64');
const md5hex = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
/** What the SDK v3 is given: the base64 of the 32 key bytes (it computes the MD5 header itself). */
const sdkKey = (key: Buffer) => ({ SSECustomerAlgorithm: 'AES256', SSECustomerKey: b64(key) });
const ssecHeaders = (key: Buffer, prefix = 'x-amz-server-side-encryption-customer-') => ({
  [`${prefix}algorithm`]: 'AES256',
  [`${prefix}key`]: b64(key),
  [`${prefix}key-MD5`]: md5b64(key),
});
/** Distinctive plaintext, so the blob files can be searched for it. */
const PLAIN = Buffer.from('BASALT-SSE-C-PLAINTEXT-'.repeat(300));

before(async () => {
  basalt = await startBasalt(['--data-dir', join(dir.path, 'data')]);
  s3 = basalt.s3();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
after(async () => {
  await basalt.stop();
  dir.remove();
});

const errorOf = (body: string) => ({ code: /<Code>([^<]*)<\/Code>/.exec(body)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(body)?.[1] });

/** Every file of the data directory: body files, and the store (which keeps bodies up to 64 KiB). */
function dataFiles(): { path: string; bytes: Buffer }[] {
  const root = join(dir.path, 'data');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ path: join(e.parentPath, e.name), bytes: readFileSync(join(e.parentPath, e.name)) }));
}

test('SDK v3: PutObject with SSE-C stores ciphertext, echoes the algorithm and key MD5, opaque ETag', async () => {
  const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'secret.txt', Body: PLAIN, ...sdkKey(KEY) }));
  assert.equal(put.SSECustomerAlgorithm, 'AES256');
  assert.equal(put.SSECustomerKeyMD5, md5b64(KEY));
  assert.equal(put.ServerSideEncryption, undefined);
  assert.match(put.ETag!, /^"[0-9a-f]{32}"$/);
  assert.notEqual(put.ETag, `"${md5hex(PLAIN)}"`, 'an SSE-C ETag is not the MD5 of the data');

  // Over 64 KiB, so its body is a file of its own.
  const large = Buffer.from('BASALT-SSE-C-PLAINTEXT-'.repeat(3000));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'large-secret.txt', Body: large, ...sdkKey(KEY) }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'plain.txt', Body: Buffer.from('PLAIN-MARKER-0123456789') }));
  const files = dataFiles();
  // The control: an ordinary object's bytes are on disk as sent.
  assert.ok(files.some((f) => f.bytes.includes('PLAIN-MARKER-0123456789')));
  // The SSE-C body file has the plaintext's size but none of its bytes, and no file anywhere holds them.
  assert.ok(files.some((f) => f.path.includes('objects') && f.bytes.length === large.length));
  assert.ok(!files.some((f) => f.bytes.includes('BASALT-SSE-C-PLAINTEXT')), 'no file holds the plaintext');

  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'secret.txt', ...sdkKey(KEY) }));
  assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), PLAIN);
  assert.equal(got.ETag, put.ETag);
  assert.equal(got.SSECustomerAlgorithm, 'AES256');
  assert.equal(got.SSECustomerKeyMD5, md5b64(KEY));
  assert.equal(got.ServerSideEncryption, undefined);
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'secret.txt', ...sdkKey(KEY) }));
  assert.equal(head.ContentLength, PLAIN.length);
  assert.equal(head.SSECustomerKeyMD5, md5b64(KEY));
});

test('GET/HEAD of an SSE-C object: 400 InvalidRequest without the key, 403 AccessDenied with another', async () => {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'locked', Body: 'locked body', ...sdkKey(KEY) }));
  const none = await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'locked' })));
  assert.equal(none.name, 'InvalidRequest');
  assert.equal(none.$metadata?.httpStatusCode, 400);
  assert.equal(none.message, 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
  const wrong = await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'locked', ...sdkKey(OTHER) })));
  assert.equal(wrong.name, 'AccessDenied');
  assert.equal(wrong.$metadata?.httpStatusCode, 403);
  assert.equal(wrong.message, 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.');
  // HEAD answers carry no body: only the status.
  assert.equal((await awsError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'locked' })))).$metadata?.httpStatusCode, 400);
  assert.equal((await awsError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'locked', ...sdkKey(OTHER) })))).$metadata?.httpStatusCode, 403);
  // Raw: exact codes and messages in the XML.
  const raw = await s3Raw(basalt.endpoint, 'GET', `/${BUCKET}/locked`);
  assert.equal(raw.status, 400);
  assert.equal(errorOf(raw.body).code, 'InvalidRequest');
  const rawWrong = await s3Raw(basalt.endpoint, 'GET', `/${BUCKET}/locked`, { headers: ssecHeaders(OTHER) });
  assert.equal(rawWrong.status, 403);
  assert.deepEqual(errorOf(rawWrong.body), { code: 'AccessDenied', message: 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.' });
  // A read needs no key MD5 (S3 answers 200 to algorithm + key alone).
  const noMd5 = await s3Raw(basalt.endpoint, 'GET', `/${BUCKET}/locked`, {
    headers: { 'x-amz-server-side-encryption-customer-algorithm': 'AES256', 'x-amz-server-side-encryption-customer-key': b64(KEY) },
  });
  assert.equal(noMd5.status, 200);
  assert.equal(noMd5.body, 'locked body');
  // SSE-C headers on an object without SSE-C.
  const plain = await s3Raw(basalt.endpoint, 'GET', `/${BUCKET}/plain.txt`, { headers: ssecHeaders(KEY) });
  assert.equal(plain.status, 400);
  assert.deepEqual(errorOf(plain.body), { code: 'InvalidRequest', message: 'The encryption parameters are not applicable to this object.' });
});

test('Range reads of an SSE-C object decrypt from any offset', async () => {
  const body = randomBytes(70_001);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ranged', Body: body, ...sdkKey(KEY) }));
  for (const [range, start, end] of [
    ['bytes=0-0', 0, 0],
    ['bytes=5-20', 5, 20],
    ['bytes=15-16', 15, 16],
    ['bytes=16-47', 16, 47],
    ['bytes=33333-65537', 33333, 65537],
    ['bytes=-7', 69994, 70000],
    ['bytes=69990-', 69990, 70000],
  ] as const) {
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'ranged', Range: range, ...sdkKey(KEY) }));
    assert.equal(got.ContentRange, `bytes ${start}-${end}/70001`, range);
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body.subarray(start, end + 1), range);
  }
});

test('multipart SSE-C: every part needs the same key; partNumber and ranges across parts decrypt', async () => {
  const part1 = randomBytes(5 * 1024 * 1024 + 3);
  const part2 = randomBytes(1000);
  const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'mp', ...sdkKey(KEY) }));
  assert.equal(created.SSECustomerAlgorithm, 'AES256');
  assert.equal(created.SSECustomerKeyMD5, md5b64(KEY));
  const UploadId = created.UploadId!;

  const noKey = await awsError(s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'mp', UploadId, PartNumber: 1, Body: part2 })));
  assert.equal(noKey.name, 'InvalidRequest');
  assert.equal(noKey.message, 'The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.');
  const otherKey = await awsError(s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'mp', UploadId, PartNumber: 1, Body: part2, ...sdkKey(OTHER) })));
  assert.equal(otherKey.name, 'InvalidRequest');
  assert.equal(otherKey.message, 'The provided encryption parameters did not match the ones used originally.');

  const p1 = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'mp', UploadId, PartNumber: 1, Body: part1, ...sdkKey(KEY) }));
  assert.equal(p1.SSECustomerKeyMD5, md5b64(KEY));
  assert.notEqual(p1.ETag, `"${md5hex(part1)}"`);
  const p2 = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'mp', UploadId, PartNumber: 2, Body: part2, ...sdkKey(KEY) }));
  const done = await s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'mp', UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
  }));
  assert.match(done.ETag!, /^"[0-9a-f]{32}-2"$/);
  assert.ok(!dataFiles().some((f) => f.bytes.includes(part1.subarray(0, 4096))), 'part 1 is stored encrypted');

  const whole = Buffer.concat([part1, part2]);
  const full = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'mp', ...sdkKey(KEY) }));
  assert.deepEqual(Buffer.from(await full.Body!.transformToByteArray()), whole);
  const second = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'mp', PartNumber: 2, ...sdkKey(KEY) }));
  assert.equal(second.PartsCount, 2);
  assert.deepEqual(Buffer.from(await second.Body!.transformToByteArray()), part2);
  const across = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'mp', Range: `bytes=${part1.length - 10}-${part1.length + 20}`, ...sdkKey(KEY) }));
  assert.deepEqual(Buffer.from(await across.Body!.transformToByteArray()), whole.subarray(part1.length - 10, part1.length + 21));
  const locked = await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'mp', PartNumber: 1 })));
  assert.equal(locked.name, 'InvalidRequest');
});

test('multipart SSE-C with a FULL_OBJECT checksum: CompleteMultipartUpload takes the key to checksum the parts', async () => {
  const body = randomBytes(3000);
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'mp-crc', ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT', ...sdkKey(KEY) }));
  const part = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'mp-crc', UploadId, PartNumber: 1, Body: body, ChecksumAlgorithm: 'CRC32', ...sdkKey(KEY) }));
  const Parts = [{ PartNumber: 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 }];
  const noKey = await awsError(s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'mp-crc', UploadId, MultipartUpload: { Parts } })));
  assert.equal(noKey.name, 'InvalidRequest');
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'mp-crc', UploadId, MultipartUpload: { Parts }, ...sdkKey(KEY) }));
  // One part: the full-object CRC32 of the plaintext is the part's.
  assert.equal(done.ChecksumCRC32, part.ChecksumCRC32);
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'mp-crc', ...sdkKey(KEY) }));
  assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);
});

test('CopyObject and UploadPartCopy: the source key in x-amz-copy-source-server-side-encryption-customer-*', async () => {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'copy-src', Body: PLAIN, ...sdkKey(KEY) }));
  const noKey = await awsError(s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy-dst', CopySource: `${BUCKET}/copy-src` })));
  assert.equal(noKey.name, 'InvalidRequest');
  assert.equal(noKey.message, 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
  const wrong = await awsError(s3.send(new CopyObjectCommand({
    Bucket: BUCKET, Key: 'copy-dst', CopySource: `${BUCKET}/copy-src`, CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: b64(OTHER),
  })));
  assert.equal(wrong.name, 'AccessDenied');
  assert.equal(wrong.$metadata?.httpStatusCode, 403);

  // Re-encrypted under another key.
  const copied = await s3.send(new CopyObjectCommand({
    Bucket: BUCKET, Key: 'copy-dst', CopySource: `${BUCKET}/copy-src`,
    CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: b64(KEY), ...sdkKey(OTHER),
  }));
  assert.equal(copied.SSECustomerKeyMD5, md5b64(OTHER));
  assert.notEqual(copied.CopyObjectResult?.ETag, `"${md5hex(PLAIN)}"`);
  assert.equal((await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copy-dst', ...sdkKey(KEY) })))).name, 'AccessDenied');
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copy-dst', ...sdkKey(OTHER) }));
  assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), PLAIN);

  // Decrypted into an ordinary (SSE-S3) object: ETag is the MD5 again, no key needed.
  const plain = await s3.send(new CopyObjectCommand({
    Bucket: BUCKET, Key: 'copy-plain', CopySource: `${BUCKET}/copy-src`, CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: b64(KEY),
  }));
  assert.equal(plain.CopyObjectResult?.ETag, `"${md5hex(PLAIN)}"`);
  assert.equal(plain.ServerSideEncryption, 'AES256');
  const read = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'copy-plain' }));
  assert.deepEqual(Buffer.from(await read.Body!.transformToByteArray()), PLAIN);

  // In place, with the same key (allowed: the request names encryption).
  await s3.send(new CopyObjectCommand({
    Bucket: BUCKET, Key: 'copy-src', CopySource: `${BUCKET}/copy-src`, CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: b64(KEY), ...sdkKey(KEY),
  }));

  // A ranged part copy from the SSE-C source into an SSE-C upload under another key.
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'mp-copy', ...sdkKey(OTHER) }));
  const part = await s3.send(new UploadPartCopyCommand({
    Bucket: BUCKET, Key: 'mp-copy', UploadId, PartNumber: 1, CopySource: `${BUCKET}/copy-src`, CopySourceRange: 'bytes=7-1006',
    CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: b64(KEY), ...sdkKey(OTHER),
  }));
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'mp-copy', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.CopyPartResult?.ETag }] } }));
  const mp = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'mp-copy', ...sdkKey(OTHER) }));
  assert.deepEqual(Buffer.from(await mp.Body!.transformToByteArray()), PLAIN.subarray(7, 1007));
});

test('SSE-C request validation: S3\'s exact codes and messages', async () => {
  const put = (headers: Record<string, string>) => s3Raw(basalt.endpoint, 'PUT', `/${BUCKET}/invalid`, { headers, body: 'x' });
  const A = 'x-amz-server-side-encryption-customer-algorithm';
  const K = 'x-amz-server-side-encryption-customer-key';
  const M = 'x-amz-server-side-encryption-customer-key-MD5';
  const short = randomBytes(16);
  const cases: [Record<string, string>, number, string, string][] = [
    [{ [A]: 'AES256' }, 400, 'InvalidArgument', 'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.'],
    [{ [K]: b64(KEY), [M]: md5b64(KEY) }, 400, 'InvalidArgument', 'Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.'],
    [{ ...ssecHeaders(KEY), [A]: 'AES128' }, 400, 'InvalidEncryptionAlgorithmError', 'The Encryption request you specified is not valid. Supported value: AES256.'],
    [{ [A]: 'AES256', [K]: b64(KEY) }, 400, 'InvalidArgument', 'Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.'],
    [{ ...ssecHeaders(KEY), [M]: md5b64(OTHER) }, 400, 'InvalidArgument', 'The calculated MD5 hash of the key did not match the hash that was provided.'],
    [{ [A]: 'AES256', [K]: b64(short), [M]: md5b64(short) }, 400, 'InvalidArgument', 'The secret key was invalid for the specified algorithm.'],
    [{ ...ssecHeaders(KEY), 'x-amz-server-side-encryption': 'AES256' }, 400, 'InvalidArgument', 'Server Side Encryption with Customer provided key is incompatible with the encryption method specified'],
  ];
  for (const [headers, status, code, message] of cases) {
    const res = await put(headers);
    assert.equal(res.status, status, JSON.stringify(headers));
    assert.deepEqual(errorOf(res.body), { code, message });
  }
  // None of those wrote anything.
  assert.equal((await s3Raw(basalt.endpoint, 'GET', `/${BUCKET}/invalid`)).status, 404);
});


test('boto3: put_object / get_object / head_object with SSECustomerKey over loopback HTTP', async () => {
  const result = await python(`
import json, os, hashlib, base64, boto3, botocore
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test',
                  aws_secret_access_key='test', config=botocore.config.Config(s3={'addressing_style': 'path'}))
key = bytes(range(32))
put = s3.put_object(Bucket='ssec', Key='boto3', Body=b'from boto3', SSECustomerAlgorithm='AES256', SSECustomerKey=key)
got = s3.get_object(Bucket='ssec', Key='boto3', SSECustomerAlgorithm='AES256', SSECustomerKey=key)
head = s3.head_object(Bucket='ssec', Key='boto3', SSECustomerAlgorithm='AES256', SSECustomerKey=key)
rng = s3.get_object(Bucket='ssec', Key='boto3', Range='bytes=5-9', SSECustomerAlgorithm='AES256', SSECustomerKey=key)
try:
    s3.get_object(Bucket='ssec', Key='boto3')
    missing = None
except botocore.exceptions.ClientError as e:
    missing = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
try:
    s3.get_object(Bucket='ssec', Key='boto3', SSECustomerAlgorithm='AES256', SSECustomerKey=bytes(32))
    wrong = None
except botocore.exceptions.ClientError as e:
    wrong = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps({'md5': put['SSECustomerKeyMD5'], 'expected': base64.b64encode(hashlib.md5(key).digest()).decode(),
  'alg': put['SSECustomerAlgorithm'], 'body': got['Body'].read().decode(), 'getMd5': got['SSECustomerKeyMD5'],
  'length': head['ContentLength'], 'range': rng['Body'].read().decode(), 'missing': missing, 'wrong': wrong}))
`, basalt.endpoint);
  assert.equal(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout);
  assert.equal(out.md5, out.expected);
  assert.equal(out.getMd5, out.expected);
  assert.equal(out.alg, 'AES256');
  assert.equal(out.body, 'from boto3');
  assert.equal(out.length, 10);
  assert.equal(out.range, 'boto3');
  assert.deepEqual(out.missing, ['InvalidRequest', 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.', 400]);
  assert.deepEqual(out.wrong, ['AccessDenied', 403]);
});

test('a server listening beyond loopback refuses SSE-C over plain HTTP, as S3 does', async () => {
  const open = await startBasalt(['--in-memory', '--host', '0.0.0.0', '--credentials', 'test:test']);
  try {
    const client = open.s3();
    await client.send(new CreateBucketCommand({ Bucket: 'open' }));
    const err = await awsError(client.send(new PutObjectCommand({ Bucket: 'open', Key: 'k', Body: 'x', ...sdkKey(KEY) })));
    assert.equal(err.name, 'InvalidRequest');
    assert.equal(err.$metadata?.httpStatusCode, 400);
    assert.equal(err.message, 'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.');
    // Everything else still works there.
    await client.send(new PutObjectCommand({ Bucket: 'open', Key: 'k', Body: 'x' }));
  } finally {
    await open.stop();
  }
});
