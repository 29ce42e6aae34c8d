import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketCorsCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  DeleteObjectCommand,
} from '@aws-sdk/client-s3';
import { awsError, startBasalt, type BasaltProcess } from '../helpers/basalt';
import { s3Raw } from './signed-request';

let basalt: BasaltProcess;
before(async () => {
  basalt = await startBasalt(['--in-memory', '--credentials', 'test:test', '--credentials', 'other:other:111111111111']);
});
after(async () => {
  await basalt.stop();
});

test('CreateBucket, HeadBucket, ListBuckets, GetBucketLocation, DeleteBucket', async () => {
  const s3 = basalt.s3();
  const created = await s3.send(new CreateBucketCommand({ Bucket: 'life-cycle' }));
  assert.equal(created.Location, '/life-cycle');
  const head = await s3.send(new HeadBucketCommand({ Bucket: 'life-cycle' }));
  assert.equal(head.BucketRegion, 'us-east-1');
  const list = await s3.send(new ListBucketsCommand({}));
  assert.ok(list.Buckets?.some((b) => b.Name === 'life-cycle'));
  const location = await s3.send(new GetBucketLocationCommand({ Bucket: 'life-cycle' }));
  assert.equal(location.LocationConstraint, undefined);
  const deleted = await s3.send(new DeleteBucketCommand({ Bucket: 'life-cycle' }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  const gone = await awsError(s3.send(new HeadBucketCommand({ Bucket: 'life-cycle' })));
  assert.equal(gone.name, 'NotFound');
  assert.equal(gone.$metadata?.httpStatusCode, 404);
});

test('bucket names follow S3 rules: InvalidBucketName', async () => {
  const s3 = basalt.s3();
  for (const name of ['ab', 'UpperCase', 'a..b', '192.168.1.1', 'xn--abc', 'under_score', '-dash', 'x'.repeat(64), 'foo-s3alias']) {
    const err = await awsError(s3.send(new CreateBucketCommand({ Bucket: name })));
    assert.equal(err.name, 'InvalidBucketName', name);
    assert.equal(err.message, 'The specified bucket is not valid.');
    assert.equal(err.$metadata?.httpStatusCode, 400);
  }
});

test('re-creating your own bucket: 200 in us-east-1, BucketAlreadyOwnedByYou elsewhere; others get BucketAlreadyExists', async () => {
  const s3 = basalt.s3();
  await s3.send(new CreateBucketCommand({ Bucket: 'taken' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'taken' }));
  const other = await awsError(basalt.s3({ accessKeyId: 'other', secretAccessKey: 'other' }).send(new CreateBucketCommand({ Bucket: 'taken' })));
  assert.equal(other.name, 'BucketAlreadyExists');
  assert.equal(other.$metadata?.httpStatusCode, 409);
  const eu = basalt.s3(undefined, 'eu-west-1');
  await eu.send(new CreateBucketCommand({ Bucket: 'taken-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  const again = await awsError(eu.send(new CreateBucketCommand({ Bucket: 'taken-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
  assert.equal(again.name, 'BucketAlreadyOwnedByYou');
  assert.equal(again.message, 'Your previous request to create the named bucket succeeded and you already own it.');
  assert.equal(again.$metadata?.httpStatusCode, 409);
  const location = await eu.send(new GetBucketLocationCommand({ Bucket: 'taken-eu' }));
  assert.equal(location.LocationConstraint, 'eu-west-1');
});

test('LocationConstraint rules against the endpoint region', async () => {
  const eu = basalt.s3(undefined, 'eu-west-1');
  // The SDK fills LocationConstraint in from its region, so the bare request is sent by hand.
  const none = await s3Raw(basalt.endpoint, 'PUT', '/no-constraint', { region: 'eu-west-1' });
  assert.equal(none.status, 400);
  assert.match(none.body, /<Code>IllegalLocationConstraintException<\/Code><Message>The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.<\/Message>/);
  const mismatch = await awsError(eu.send(new CreateBucketCommand({ Bucket: 'mismatch', CreateBucketConfiguration: { LocationConstraint: 'ap-south-1' } })));
  assert.equal(mismatch.name, 'IllegalLocationConstraintException');
  assert.equal(mismatch.message, 'The ap-south-1 location constraint is incompatible for the region specific endpoint this request was sent to.');
  const useast = await awsError(basalt.s3().send(new CreateBucketCommand({ Bucket: 'explicit-us-east-1', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })));
  assert.equal(useast.name, 'InvalidLocationConstraint');
  assert.equal(useast.$metadata?.httpStatusCode, 400);
  // Named at another region's endpoint, us-east-1 is just another region.
  const useastElsewhere = await awsError(eu.send(new CreateBucketCommand({ Bucket: 'us-east-from-eu', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })));
  assert.equal(useastElsewhere.name, 'IllegalLocationConstraintException');
  assert.equal(useastElsewhere.message, 'The us-east-1 location constraint is incompatible for the region specific endpoint this request was sent to.');
  // The global (us-east-1) endpoint may create a bucket in any region.
  await basalt.s3().send(new CreateBucketCommand({ Bucket: 'made-in-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } }));
  assert.equal((await basalt.s3().send(new HeadBucketCommand({ Bucket: 'made-in-eu' }))).BucketRegion, 'eu-central-1');
  const head = await s3Raw(basalt.endpoint, 'HEAD', '/made-in-eu');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-type'], 'application/xml');
});

test('DeleteBucket of a bucket with objects is BucketNotEmpty', async () => {
  const s3 = basalt.s3();
  await s3.send(new CreateBucketCommand({ Bucket: 'full' }));
  await s3.send(new PutObjectCommand({ Bucket: 'full', Key: 'k', Body: 'x' }));
  const err = await awsError(s3.send(new DeleteBucketCommand({ Bucket: 'full' })));
  assert.equal(err.name, 'BucketNotEmpty');
  assert.equal(err.message, 'The bucket you tried to delete is not empty');
  assert.equal(err.$metadata?.httpStatusCode, 409);
  await s3.send(new DeleteObjectCommand({ Bucket: 'full', Key: 'k' }));
  await s3.send(new DeleteBucketCommand({ Bucket: 'full' }));
  const missing = await awsError(s3.send(new DeleteBucketCommand({ Bucket: 'full' })));
  assert.equal(missing.name, 'NoSuchBucket');
});

test('another account\'s bucket is AccessDenied; ExpectedBucketOwner mismatch is AccessDenied', async () => {
  const s3 = basalt.s3();
  await s3.send(new CreateBucketCommand({ Bucket: 'mine' }));
  const foreign = await awsError(basalt.s3({ accessKeyId: 'other', secretAccessKey: 'other' }).send(new HeadBucketCommand({ Bucket: 'mine' })));
  assert.equal(foreign.$metadata?.httpStatusCode, 403);
  const expected = await awsError(s3.send(new PutObjectCommand({ Bucket: 'mine', Key: 'k', Body: 'x', ExpectedBucketOwner: '123456789012' })));
  assert.equal(expected.name, 'AccessDenied');
  assert.equal(expected.$metadata?.httpStatusCode, 403);
  await s3.send(new PutObjectCommand({ Bucket: 'mine', Key: 'k', Body: 'x', ExpectedBucketOwner: '000000000000' }));
});

test('operations Basalt does not serve yet are NotImplemented (501), never another operation', async () => {
  const s3 = basalt.s3();
  await s3.send(new CreateBucketCommand({ Bucket: 'cors-less' }));
  const err = await awsError(s3.send(new GetBucketCorsCommand({ Bucket: 'cors-less' })));
  assert.equal(err.name, 'NotImplemented');
  assert.equal(err.$metadata?.httpStatusCode, 501);
});

test('virtual-hosted addressing reaches the same buckets and objects', async () => {
  const s3 = basalt.s3();
  await s3.send(new CreateBucketCommand({ Bucket: 'vhost' }));
  await s3.send(new PutObjectCommand({ Bucket: 'vhost', Key: 'dir/file.txt', Body: 'virtual' }));
  const port = new URL(basalt.endpoint).port;
  const res = await s3Raw(basalt.endpoint, 'GET', '/dir/file.txt', { headers: { host: `vhost.localhost:${port}` } });
  assert.equal(res.status, 200);
  assert.equal(res.body, 'virtual');
  const list = await s3Raw(basalt.endpoint, 'GET', '/?list-type=2', { headers: { host: `vhost.localhost:${port}` } });
  assert.match(list.body, /<Key>dir\/file.txt<\/Key>/);
});
