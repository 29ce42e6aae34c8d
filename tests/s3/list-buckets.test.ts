import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ListBucketsCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { awsError, startBasalt, type BasaltProcess } from '../helpers/basalt';
import { awsCli } from '../helpers/cli';
import { rawRequest, signedS3Request } from '../helpers/raw';

let basalt: BasaltProcess;
before(async () => {
  basalt = await startBasalt();
});
after(async () => {
  await basalt.stop();
});

test('ListBuckets answers an empty list through the SDK', async () => {
  const out = await basalt.s3().send(new ListBucketsCommand({}));
  assert.deepEqual(out.Buckets ?? [], []);
  assert.equal(out.Owner?.ID, '000000000000');
});

test('`aws s3 ls` lists no buckets rather than failing', async () => {
  const result = await awsCli(basalt.endpoint, ['s3', 'ls']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '');
});

test('a wrong secret is SignatureDoesNotMatch with status 403', async () => {
  const err = await awsError(basalt.s3({ accessKeyId: 'test', secretAccessKey: 'wrong' }).send(new ListBucketsCommand({})));
  assert.equal(err.name, 'SignatureDoesNotMatch');
  assert.equal(err.message, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  assert.equal(err.$metadata?.httpStatusCode, 403);
  const cli = await awsCli(basalt.endpoint, ['s3', 'ls'], { accessKeyId: 'test', secretAccessKey: 'wrong' });
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /SignatureDoesNotMatch/);
});

test('an unknown access key is InvalidAccessKeyId with status 403', async () => {
  const err = await awsError(basalt.s3({ accessKeyId: 'nobody', secretAccessKey: 'x' }).send(new ListBucketsCommand({})));
  assert.equal(err.name, 'InvalidAccessKeyId');
  assert.equal(err.message, 'The AWS Access Key Id you provided does not exist in our records.');
  assert.equal(err.$metadata?.httpStatusCode, 403);
});

test('an anonymous request is AccessDenied, rendered as S3 XML', async () => {
  const res = await rawRequest(basalt.endpoint, { method: 'GET', path: '/' });
  assert.equal(res.status, 403);
  assert.equal(res.headers['content-type'], 'application/xml');
  assert.match(res.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/);
  assert.match(String(res.headers['x-amz-request-id']), /^[0-9A-F]{16}$/);
});

test('a bucket that does not exist is NoSuchBucket, path-style and virtual-hosted', async () => {
  const pathStyle = await awsError(basalt.s3().send(new HeadBucketCommand({ Bucket: 'nope' })));
  assert.equal(pathStyle.$metadata?.httpStatusCode, 404);
  const port = new URL(basalt.endpoint).port;
  const virtual = await signedS3Request(basalt.endpoint, 'GET', '/', `nope.localhost:${port}`);
  assert.equal(virtual.status, 404);
  assert.match(virtual.body, /<Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><BucketName>nope<\/BucketName>/);
  const service = await signedS3Request(basalt.endpoint, 'GET', '/', `localhost:${port}`);
  assert.equal(service.status, 200);
  assert.match(service.body, /<ListAllMyBucketsResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
});
