import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { awsError, startBasalt, TEST_CREDENTIALS, type BasaltProcess } from '../helpers/basalt';
import { rawRequest } from '../helpers/raw';
import { s3Raw, s3SignedHeaders } from './signed-request';

let basalt: BasaltProcess;
let s3: S3Client;
const BUCKET = 'examplebucket';
const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

before(async () => {
  basalt = await startBasalt();
  s3 = basalt.s3();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
after(async () => {
  await basalt.stop();
});

test('seed: put_object with a body answers the quoted hex MD5 ETag', async () => {
  const out = await s3.send(new PutObjectCommand({ Body: 'filetoupload', Bucket: BUCKET, Key: 'objectkey' }));
  assert.equal(out.ETag, `"${md5('filetoupload')}"`);
  assert.equal(out.VersionId, undefined);
  assert.equal(out.ServerSideEncryption, 'AES256');
});

test('seed: storage class and server-side encryption are stored and echoed', async () => {
  const out = await s3.send(new PutObjectCommand({ Body: 'HappyFace.jpg', Bucket: BUCKET, Key: 'HappyFace.jpg', ServerSideEncryption: 'AES256', StorageClass: 'STANDARD_IA' }));
  assert.equal(out.ServerSideEncryption, 'AES256');
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'HappyFace.jpg' }));
  assert.equal(head.StorageClass, 'STANDARD_IA');
  assert.equal(head.ServerSideEncryption, 'AES256');
});

test('seed: canned ACL authenticated-read is stored and shown by GetObjectAcl', async () => {
  await s3.send(new PutObjectCommand({ ACL: 'authenticated-read', Body: 'filetoupload', Bucket: BUCKET, Key: 'exampleobject' }));
  const acl = await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'exampleobject' }));
  assert.equal(acl.Owner?.ID, '000000000000');
  assert.deepEqual(
    acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.ID ?? g.Grantee?.URI, g.Permission]),
    [
      ['CanonicalUser', '000000000000', 'FULL_CONTROL'],
      ['Group', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers', 'READ'],
    ],
  );
  await s3.send(new PutObjectAclCommand({ Bucket: BUCKET, Key: 'exampleobject', ACL: 'public-read' }));
  const after = await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'exampleobject' }));
  assert.equal(after.Grants?.[1]?.Grantee?.URI, 'http://acs.amazonaws.com/groups/global/AllUsers');
  await s3.send(new PutObjectAclCommand({
    Bucket: BUCKET,
    Key: 'exampleobject',
    AccessControlPolicy: { Owner: { ID: '000000000000' }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: '000000000000' }, Permission: 'FULL_CONTROL' }] },
  }));
  assert.equal((await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'exampleobject' }))).Grants?.length, 1);
});

test('seed: metadata, Content-* headers, Expires and website redirect round-trip on GET and HEAD', async () => {
  const expires = new Date('2030-01-01T00:00:00Z');
  await s3.send(new PutObjectCommand({
    Body: 'filetoupload', Bucket: BUCKET, Key: 'meta', Metadata: { metadata1: 'value1', metadata2: 'value2' },
    ContentType: 'text/plain', CacheControl: 'max-age=60', ContentDisposition: 'attachment; filename="a.txt"',
    ContentEncoding: 'identity', ContentLanguage: 'en-GB', Expires: expires, WebsiteRedirectLocation: '/other.html',
  }));
  for (const out of [
    await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'meta' })),
    await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'meta' })),
  ]) {
    assert.deepEqual(out.Metadata, { metadata1: 'value1', metadata2: 'value2' });
    assert.equal(out.ContentType, 'text/plain');
    assert.equal(out.CacheControl, 'max-age=60');
    assert.equal(out.ContentDisposition, 'attachment; filename="a.txt"');
    assert.equal(out.ContentEncoding, 'identity');
    assert.equal(out.ContentLanguage, 'en-GB');
    assert.equal(out.Expires?.getTime(), expires.getTime());
    assert.equal(out.WebsiteRedirectLocation, '/other.html');
    assert.equal(out.ContentLength, 12);
    assert.equal(out.ETag, `"${md5('filetoupload')}"`);
    assert.equal(out.AcceptRanges, 'bytes');
  }
});

test('seed: Tagging in query-string form; x-amz-tagging-count on GET; tagging operations', async () => {
  await s3.send(new PutObjectCommand({ Body: 'filetoupload', Bucket: BUCKET, Key: 'tagged', ServerSideEncryption: 'AES256', Tagging: 'key1=value1&key2=value2' }));
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'tagged' }));
  assert.equal(got.TagCount, 2);
  const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'tagged' }));
  assert.deepEqual(tags.TagSet, [{ Key: 'key1', Value: 'value1' }, { Key: 'key2', Value: 'value2' }]);
  await s3.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: 'tagged', Tagging: { TagSet: [{ Key: 'a b', Value: 'c&d' }] } }));
  assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'tagged' }))).TagSet, [{ Key: 'a b', Value: 'c&d' }]);
  const del = await s3.send(new DeleteObjectTaggingCommand({ Bucket: BUCKET, Key: 'tagged' }));
  assert.equal(del.$metadata.httpStatusCode, 204);
  assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'tagged' }))).TagSet ?? [], []);
  const tooMany = await awsError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 't', Body: 'x', Tagging: Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('&') })));
  assert.equal(tooMany.name, 'BadRequest');
  assert.equal(tooMany.message, 'Object tags cannot be greater than 10');
  const dup = await awsError(s3.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: 'tagged', Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })));
  assert.equal(dup.name, 'InvalidTag');
});

test('SSE-KMS with key id, context and bucket key is stored and echoed', async () => {
  const context = Buffer.from(JSON.stringify({ team: 'x' })).toString('base64');
  const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kms', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'my-key', SSEKMSEncryptionContext: context, BucketKeyEnabled: true }));
  assert.equal(put.ServerSideEncryption, 'aws:kms');
  assert.equal(put.SSEKMSKeyId, 'my-key');
  assert.equal(put.BucketKeyEnabled, true);
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'kms' }));
  assert.equal(head.ServerSideEncryption, 'aws:kms');
  assert.equal(head.SSEKMSKeyId, 'my-key');
  assert.equal(head.BucketKeyEnabled, true);
});

test('default SDK checksum (CRC32) is verified, stored and returned with ChecksumMode ENABLED', async () => {
  const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'crc', Body: Buffer.from('123456789') }));
  assert.equal(put.ChecksumCRC32, Buffer.from('cbf43926', 'hex').toString('base64'));
  const plain = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'crc' }));
  assert.equal(plain.ChecksumCRC32, undefined);
  const withMode = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'crc', ChecksumMode: 'ENABLED' }));
  assert.equal(withMode.ChecksumCRC32, Buffer.from('cbf43926', 'hex').toString('base64'));
  const get = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'crc', ChecksumMode: 'ENABLED' }));
  assert.equal(await get.Body?.transformToString(), '123456789');
});

test('every checksum algorithm is verified; a wrong value is BadDigest and nothing is stored', async () => {
  const expected: Record<string, string> = { CRC32C: 'e3069283', SHA1: 'f7c3bc1d808e04732adf679965ccc34ca7ae3441', SHA256: '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225', CRC64NVME: 'ae8b14860a799888' };
  for (const [algorithm, hex] of Object.entries(expected)) {
    const out = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `sum-${algorithm}`, Body: Buffer.from('123456789'), ChecksumAlgorithm: algorithm as never }));
    assert.equal((out as unknown as Record<string, string>)[`Checksum${algorithm}`], Buffer.from(hex, 'hex').toString('base64'), algorithm);
  }
  const bad = await awsError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'bad-sum', Body: 'abc', ChecksumSHA256: createHash('sha256').update('abd').digest('base64') })));
  assert.equal(bad.name, 'BadDigest');
  assert.equal(bad.message, 'The SHA256 you specified did not match the calculated checksum.');
  assert.equal(bad.$metadata?.httpStatusCode, 400);
  assert.equal((await awsError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'bad-sum' })))).$metadata?.httpStatusCode, 404);
});

test('Content-MD5 is verified: BadDigest for a wrong digest, InvalidDigest for a malformed one', async () => {
  const ok = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'md5', Body: 'abc', ContentMD5: createHash('md5').update('abc').digest('base64') }));
  assert.equal(ok.ETag, `"${md5('abc')}"`);
  const bad = await awsError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'md5-bad', Body: 'abc', ContentMD5: createHash('md5').update('abd').digest('base64') })));
  assert.equal(bad.name, 'BadDigest');
  assert.equal(bad.message, 'The Content-MD5 you specified did not match what we received.');
  const invalid = await awsError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'md5-bad', Body: 'abc', ContentMD5: 'nope' })));
  assert.equal(invalid.name, 'InvalidDigest');
  assert.equal(invalid.$metadata?.httpStatusCode, 400);
  assert.equal((await awsError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'md5-bad' })))).$metadata?.httpStatusCode, 404);
});

test('a body that does not match x-amz-content-sha256 is XAmzContentSHA256Mismatch and is not stored', async () => {
  const res = await s3Raw(basalt.endpoint, 'PUT', `/${BUCKET}/sha-mismatch`, { body: 'abc', payloadHash: createHash('sha256').update('abd').digest('hex') });
  assert.equal(res.status, 400);
  assert.match(res.body, /<Code>XAmzContentSHA256Mismatch<\/Code>/);
  assert.equal((await awsError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sha-mismatch' })))).$metadata?.httpStatusCode, 404);
});

test('If-None-Match: * creates only; If-Match replaces only the matching ETag', async () => {
  const first = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cond', Body: 'one', IfNoneMatch: '*' }));
  const again = await awsError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cond', Body: 'two', IfNoneMatch: '*' })));
  assert.equal(again.name, 'PreconditionFailed');
  assert.equal(again.message, 'At least one of the pre-conditions you specified did not hold');
  assert.equal(again.$metadata?.httpStatusCode, 412);
  const wrong = await awsError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cond', Body: 'two', IfMatch: '"0000"' })));
  assert.equal(wrong.name, 'PreconditionFailed');
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cond', Body: 'two', IfMatch: first.ETag }));
  const missing = await awsError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cond-missing', Body: 'x', IfMatch: first.ETag })));
  assert.equal(missing.name, 'NoSuchKey');
});

test('keys: 1024 bytes is the limit (KeyTooLongError); ../x is an ordinary key', async () => {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k'.repeat(1024), Body: 'x' }));
  const err = await awsError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'é'.repeat(513), Body: 'x' })));
  assert.equal(err.name, 'KeyTooLongError');
  assert.equal(err.message, 'Your key is too long');
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: '../x', Body: 'dots' }));
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: '../x' }))).Body?.transformToString(), 'dots');
});

test('a declared size over 5 GB is EntityTooLarge before any body is read', async () => {
  const res = await s3Raw(basalt.endpoint, 'PUT', `/${BUCKET}/huge`, { headers: { 'content-length': String(5 * 1024 ** 3 + 1) }, payloadHash: 'UNSIGNED-PAYLOAD' });
  assert.equal(res.status, 400);
  assert.match(res.body, /<Code>EntityTooLarge<\/Code><Message>Your proposed upload exceeds the maximum allowed size<\/Message>/);
});

test('GetObject ranges: 206 with Content-Range, suffix ranges, InvalidRange 416, partNumber', async () => {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'range', Body: '0123456789' }));
  const part = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range', Range: 'bytes=2-5' }));
  assert.equal(part.$metadata.httpStatusCode, 206);
  assert.equal(part.ContentRange, 'bytes 2-5/10');
  assert.equal(part.ContentLength, 4);
  assert.equal(await part.Body?.transformToString(), '2345');
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range', Range: 'bytes=-3' }))).Body?.transformToString(), '789');
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range', Range: 'bytes=7-' }))).Body?.transformToString(), '789');
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range', Range: 'bytes=8-100' }))).Body?.transformToString(), '89');
  const bad = await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range', Range: 'bytes=10-' })));
  assert.equal(bad.name, 'InvalidRange');
  assert.equal(bad.message, 'The requested range is not satisfiable');
  assert.equal(bad.$metadata?.httpStatusCode, 416);
  const p1 = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range', PartNumber: 1 }));
  assert.equal(p1.$metadata.httpStatusCode, 206);
  assert.equal(await p1.Body?.transformToString(), '0123456789');
  const p2 = await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range', PartNumber: 2 })));
  assert.equal(p2.name, 'InvalidPartNumber');
  assert.equal(p2.$metadata?.httpStatusCode, 416);
});

test('GetObject conditions: 304 and 412 by RFC 7232 precedence; response-* overrides', async () => {
  const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'conds', Body: 'x', ContentType: 'text/plain' }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'conds' }));
  const past = new Date(head.LastModified!.getTime() - 60_000);
  const future = new Date(head.LastModified!.getTime() + 60_000);
  assert.equal((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'conds', IfMatch: put.ETag }))).$metadata.httpStatusCode, 200);
  const notMatch = await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'conds', IfMatch: '"nope"' })));
  assert.equal(notMatch.name, 'PreconditionFailed');
  assert.equal(notMatch.$metadata?.httpStatusCode, 412);
  const notModified = await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'conds', IfNoneMatch: put.ETag })));
  assert.equal(notModified.$metadata?.httpStatusCode, 304);
  assert.equal((await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'conds', IfModifiedSince: future })))).$metadata?.httpStatusCode, 304);
  assert.equal((await awsError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'conds', IfUnmodifiedSince: past })))).$metadata?.httpStatusCode, 412);
  // If-Match that holds wins over a failing If-Unmodified-Since.
  assert.equal((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'conds', IfMatch: put.ETag, IfUnmodifiedSince: past }))).$metadata.httpStatusCode, 200);
  const over = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'conds', ResponseContentType: 'application/json', ResponseCacheControl: 'no-cache', ResponseContentDisposition: 'inline' }));
  assert.equal(over.ContentType, 'application/json');
  assert.equal(over.CacheControl, 'no-cache');
  assert.equal(over.ContentDisposition, 'inline');
});

test('missing objects: GetObject NoSuchKey with S3 message; HEAD is a bare 404', async () => {
  const err = await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'nothing-here' })));
  assert.equal(err.name, 'NoSuchKey');
  assert.equal(err.message, 'The specified key does not exist.');
  assert.equal(err.$metadata?.httpStatusCode, 404);
  const head = await s3Raw(basalt.endpoint, 'HEAD', `/${BUCKET}/nothing-here`);
  assert.equal(head.status, 404);
  assert.equal(head.body, '');
  const noBucket = await awsError(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })));
  assert.equal(noBucket.name, 'NoSuchBucket');
});

test('DeleteObject is idempotent (204); DeleteObjects reports Deleted, quiet mode reports nothing', async () => {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'del', Body: 'x' }));
  assert.equal((await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'del' }))).$metadata.httpStatusCode, 204);
  assert.equal((await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'del' }))).$metadata.httpStatusCode, 204);
  for (const k of ['d1', 'd2', 'd3']) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: k }));
  const out = await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'd1' }, { Key: 'd2' }, { Key: 'never' }] } }));
  assert.deepEqual(out.Deleted?.map((d) => d.Key), ['d1', 'd2', 'never']);
  assert.equal(out.Errors, undefined);
  const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Quiet: true, Objects: [{ Key: 'd3' }] } }));
  assert.equal(quiet.Deleted, undefined);
  assert.equal((await awsError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'd3' })))).$metadata?.httpStatusCode, 404);
  const body = '<Delete><Object><Key>x</Key></Object></Delete>';
  const noDigest = await s3Raw(basalt.endpoint, 'POST', `/${BUCKET}?delete`, { body, headers: { 'content-type': 'application/xml' } });
  assert.equal(noDigest.status, 400);
  assert.match(noDigest.body, /<Code>InvalidRequest<\/Code><Message>Missing required header for this request: Content-MD5<\/Message>/);

  // A digest or checksum that is not the body's is BadDigest, and nothing is deleted.
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'x', Body: 'kept' }));
  const otherBody = '<Delete><Object><Key>y</Key></Object></Delete>';
  const wrongMd5 = await s3Raw(basalt.endpoint, 'POST', `/${BUCKET}?delete`, {
    body,
    headers: { 'content-type': 'application/xml', 'content-md5': createHash('md5').update(otherBody).digest('base64') },
  });
  assert.equal(wrongMd5.status, 400);
  assert.match(wrongMd5.body, /<Code>BadDigest<\/Code><Message>The Content-MD5 you specified did not match what we received.<\/Message>/);
  const wrongSha256 = await s3Raw(basalt.endpoint, 'POST', `/${BUCKET}?delete`, {
    body,
    headers: { 'content-type': 'application/xml', 'x-amz-checksum-sha256': createHash('sha256').update(otherBody).digest('base64') },
  });
  assert.equal(wrongSha256.status, 400);
  assert.match(wrongSha256.body, /<Code>BadDigest<\/Code><Message>The SHA256 you specified did not match the calculated checksum.<\/Message>/);
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'x' }))).ContentLength, 4);
});

test('a repeated header is signed and read as AWS reads it: its values joined with ","', async () => {
  const put = await s3Raw(basalt.endpoint, 'PUT', `/${BUCKET}/repeated-meta`, { body: 'x', repeated: { 'x-amz-meta-color': ['red', ' blue '] } });
  assert.equal(put.status, 200, put.body);
  const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'repeated-meta' }));
  assert.deepEqual(head.Metadata, { color: 'red,blue' });
  // Signed as one header "red, blue", the two headers on the wire are not what was signed.
  const path = `/${BUCKET}/repeated-meta`;
  const signedOnce = await s3SignedHeaders(basalt.endpoint, 'PUT', path, { body: 'x', headers: { 'x-amz-meta-color': 'red, blue' } });
  const forged = await rawRequest(basalt.endpoint, { method: 'PUT', path, headers: { ...signedOnce, 'x-amz-meta-color': ['red', 'blue'] }, body: 'x' });
  assert.equal(forged.status, 403);
  assert.match(forged.body, /<Code>SignatureDoesNotMatch<\/Code>/);
});

test('CopyObject: across buckets, URL-encoded source, directives, copy onto itself needs REPLACE', async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'copy-target' }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'src dir/ü+1.txt', Body: 'copy me', ContentType: 'text/plain', Metadata: { a: '1' }, Tagging: 't=1' }));
  const copied = await s3.send(new CopyObjectCommand({ Bucket: 'copy-target', Key: 'dst', CopySource: `${BUCKET}/${encodeURIComponent('src dir/ü+1.txt')}` }));
  assert.equal(copied.CopyObjectResult?.ETag, `"${md5('copy me')}"`);
  const got = await s3.send(new GetObjectCommand({ Bucket: 'copy-target', Key: 'dst' }));
  assert.equal(await got.Body?.transformToString(), 'copy me');
  assert.deepEqual(got.Metadata, { a: '1' });
  assert.equal(got.ContentType, 'text/plain');
  assert.equal(got.TagCount, 1);
  await s3.send(new CopyObjectCommand({ Bucket: 'copy-target', Key: 'dst2', CopySource: `/${BUCKET}/${encodeURIComponent('src dir/ü+1.txt')}`, MetadataDirective: 'REPLACE', Metadata: { b: '2' }, TaggingDirective: 'REPLACE' }));
  const replaced = await s3.send(new HeadObjectCommand({ Bucket: 'copy-target', Key: 'dst2' }));
  assert.deepEqual(replaced.Metadata, { b: '2' });
  assert.equal(replaced.ContentType, 'binary/octet-stream');
  const self = await awsError(s3.send(new CopyObjectCommand({ Bucket: 'copy-target', Key: 'dst', CopySource: 'copy-target/dst' })));
  assert.equal(self.name, 'InvalidRequest');
  assert.equal(self.message, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  await s3.send(new CopyObjectCommand({ Bucket: 'copy-target', Key: 'dst', CopySource: 'copy-target/dst', MetadataDirective: 'REPLACE', Metadata: { c: '3' } }));
  const failed = await awsError(s3.send(new CopyObjectCommand({ Bucket: 'copy-target', Key: 'x', CopySource: 'copy-target/dst', CopySourceIfMatch: '"nope"' })));
  assert.equal(failed.name, 'PreconditionFailed');
  assert.equal(failed.$metadata?.httpStatusCode, 412);
  const missing = await awsError(s3.send(new CopyObjectCommand({ Bucket: 'copy-target', Key: 'x', CopySource: 'copy-target/absent' })));
  assert.equal(missing.name, 'NoSuchKey');
});

test('Object Lock fields need an Object Lock bucket; stored and returned when it is one', async () => {
  const err = await awsError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'lock', Body: 'x', ObjectLockLegalHoldStatus: 'ON' })));
  assert.equal(err.name, 'InvalidRequest');
  assert.equal(err.message, 'Bucket is missing Object Lock Configuration');
  await s3.send(new CreateBucketCommand({ Bucket: 'locked', ObjectLockEnabledForBucket: true }));
  const until = new Date(Date.now() + 86_400_000);
  await s3.send(new PutObjectCommand({ Bucket: 'locked', Key: 'lock', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: 'ON' }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'locked', Key: 'lock' }));
  assert.equal(head.ObjectLockMode, 'GOVERNANCE');
  assert.equal(head.ObjectLockLegalHoldStatus, 'ON');
  assert.equal(Math.floor(head.ObjectLockRetainUntilDate!.getTime() / 1000), Math.floor(until.getTime() / 1000));
});

test('Grant headers are stored as the object ACL', async () => {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'granted', Body: 'x', GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"', GrantFullControl: 'id="000000000000"' }));
  const acl = await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'granted' }));
  assert.deepEqual(acl.Grants?.map((g) => g.Permission).sort(), ['FULL_CONTROL', 'READ']);
});

test('requests that are refused early leave the connection usable (body drained)', async () => {
  const client = new S3Client({ endpoint: basalt.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
  for (let i = 0; i < 5; i++) {
    const err = await awsError(client.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: Buffer.alloc(64 * 1024, 1) })));
    assert.equal(err.name, 'NoSuchBucket');
  }
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'after-drain', Body: 'ok' }));
});

test('a stream body goes as aws-chunked STREAMING-UNSIGNED-PAYLOAD-TRAILER with a trailing CRC32 (SDK default)', async () => {
  const { Readable } = await import('node:stream');
  const chunks = [Buffer.alloc(70_000, 'a'), Buffer.alloc(5_000, 'b')];
  const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'streamed', Body: Readable.from(chunks), ContentLength: 75_000 }));
  assert.equal(put.ETag, `"${md5(Buffer.concat(chunks))}"`);
  const get = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'streamed', ChecksumMode: 'ENABLED' }));
  assert.equal(get.ContentLength, 75_000);
  assert.ok(get.ChecksumCRC32);
  assert.deepEqual(Buffer.from(await get.Body!.transformToByteArray()), Buffer.concat(chunks));
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'streamed' }))).ContentEncoding, undefined);
});

test('trailing CRC64NVME and CRC32C checksums of aws-chunked bodies, inline and in files, are verified and kept', async () => {
  type SdkHash = { update(data: Uint8Array): void; digest(): Promise<Uint8Array> };
  const sdkCrc = require('@aws-sdk/checksums/crc') as Record<'Crc32c' | 'Crc64NvmeJs', new () => SdkHash>;
  const reference = async (algorithm: 'CRC64NVME' | 'CRC32C', data: Buffer): Promise<string> => {
    const hash = new (algorithm === 'CRC64NVME' ? sdkCrc.Crc64NvmeJs : sdkCrc.Crc32c)();
    hash.update(data);
    return Buffer.from(await hash.digest()).toString('base64');
  };
  /** An unsigned aws-chunked PUT of `data` in 64 KiB chunks, with the trailer given (or none). */
  const put = (key: string, data: Buffer, algorithm: string, trailer: string | undefined) => {
    const name = `x-amz-checksum-${algorithm.toLowerCase()}`;
    const frames: Buffer[] = [];
    for (let at = 0; at < data.length; at += 65_536) {
      const chunk = data.subarray(at, at + 65_536);
      frames.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
    }
    frames.push(Buffer.from(`0\r\n${trailer === undefined ? '' : `${name}:${trailer}\r\n`}\r\n`));
    return s3Raw(basalt.endpoint, 'PUT', `/${BUCKET}/${key}`, {
      body: Buffer.concat(frames),
      payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(data.length), 'x-amz-trailer': name },
    });
  };
  for (const size of [1_000, 300_000]) {
    for (const algorithm of ['CRC64NVME', 'CRC32C'] as const) {
      const data = Buffer.alloc(size, `${algorithm}${size}`);
      const key = `trailer-${algorithm}-${size}`;
      const right = await reference(algorithm, data);
      const wrong = await reference(algorithm, Buffer.concat([data, Buffer.from('x')]));

      const bad = await put(key, data, algorithm, wrong);
      assert.equal(bad.status, 400, `${key}: ${bad.body}`);
      assert.match(bad.body, new RegExp(`<Code>BadDigest</Code><Message>The ${algorithm} you specified did not match the calculated checksum.</Message>`));
      const missing = await put(key, data, algorithm, undefined);
      assert.equal(missing.status, 400, `${key}: ${missing.body}`);
      assert.match(missing.body, /<Code>MalformedTrailerError<\/Code><Message>The request contained trailing data that was not well-formed or did not conform to our published schema.<\/Message>/);
      assert.equal((await s3Raw(basalt.endpoint, 'HEAD', `/${BUCKET}/${key}`)).status, 404, `${key}: nothing stored`);

      const good = await put(key, data, algorithm, right);
      assert.equal(good.status, 200, `${key}: ${good.body}`);
      assert.equal(good.headers[`x-amz-checksum-${algorithm.toLowerCase()}`], right);
      const get = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));
      assert.equal(algorithm === 'CRC64NVME' ? get.ChecksumCRC64NVME : get.ChecksumCRC32C, right);
      assert.deepEqual(Buffer.from(await get.Body!.transformToByteArray()), data);
    }
  }
});

test('responses keep the connection alive, and HEAD never has a body', async () => {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'alive', Body: 'twelve bytes' }));
  const res = await s3Raw(basalt.endpoint, 'GET', `/${BUCKET}/alive`);
  assert.equal(res.status, 200);
  assert.notEqual(res.headers.connection, 'close');
  const head = await s3Raw(basalt.endpoint, 'HEAD', `/${BUCKET}/alive`);
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  assert.equal(head.headers['content-length'], '12');
  const big = await s3Raw(basalt.endpoint, 'PUT', '/no-such-bucket/k', { body: Buffer.alloc(2 * 1024 * 1024), payloadHash: 'UNSIGNED-PAYLOAD' });
  assert.equal(big.status, 404);
  assert.match(big.body, /<Code>NoSuchBucket<\/Code>/);
});

test('a large body refused before it is read still gets its answer, never a reset, and the connection closes', async () => {
  const tries = await Promise.all(
    Array.from({ length: 6 }, () => s3Raw(basalt.endpoint, 'PUT', '/no-such-bucket/k', { body: Buffer.alloc(16 * 1024 * 1024), payloadHash: 'UNSIGNED-PAYLOAD' })),
  );
  for (const res of tries) {
    assert.equal(res.status, 404);
    assert.match(res.body, /<Code>NoSuchBucket<\/Code>/);
    assert.equal(res.headers.connection, 'close');
  }
});

test('an object uploaded without a checksum gets S3\'s default CRC64NVME, which the SDK validates', async () => {
  const res = await s3Raw(basalt.endpoint, 'PUT', `/${BUCKET}/no-checksum`, { body: '123456789' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['x-amz-checksum-crc64nvme'], undefined);
  const get = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'no-checksum', ChecksumMode: 'ENABLED' }));
  assert.equal(await get.Body?.transformToString(), '123456789');
  assert.equal(get.ChecksumCRC64NVME, Buffer.from('ae8b14860a799888', 'hex').toString('base64'));
  assert.equal(get.ChecksumType, 'FULL_OBJECT');
});

test('a create-only PUT that loses the race while uploading is 409 ConditionalRequestConflict', async () => {
  const { request } = await import('node:http');
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { Sha256 } = await import('@aws-crypto/sha256-js');
  const url = new URL(basalt.endpoint);
  const signer = new SignatureV4({ credentials: TEST_CREDENTIALS, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const signed = await signer.sign({
    method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: `/${BUCKET}/race`,
    headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': '10', 'if-none-match': '*' },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(new URL(`/${BUCKET}/race`, basalt.endpoint), { method: 'PUT', headers: signed.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write('01234');
    // The slow upload's first half is in; another writer creates the key; then the rest arrives.
    setTimeout(() => {
      s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'race', Body: 'winner' })).then(() => req.end('56789'), reject);
    }, 100);
  });
  const res = await answer;
  assert.equal(res.status, 409);
  assert.match(res.body, /<Code>ConditionalRequestConflict<\/Code>/);
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'race' }))).Body?.transformToString(), 'winner');
});
