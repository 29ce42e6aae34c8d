import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { awsError } from '../helpers/basalt';
import { useS3Basalt } from '../helpers/suite';
import { s3Raw } from './signed-request';

const suite = useS3Basalt();

const text = async (body: unknown): Promise<string> => (body as { transformToString(): Promise<string> }).transformToString();

test('GetBucketVersioning: empty for a new bucket; Enabled and Suspended round-trip; bad status is MalformedXML', async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'vstate' }));
  assert.equal((await suite.s3.send(new GetBucketVersioningCommand({ Bucket: 'vstate' }))).Status, undefined);
  await suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'vstate', VersioningConfiguration: { Status: 'Enabled' } }));
  assert.equal((await suite.s3.send(new GetBucketVersioningCommand({ Bucket: 'vstate' }))).Status, 'Enabled');
  await suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'vstate', VersioningConfiguration: { Status: 'Suspended' } }));
  assert.equal((await suite.s3.send(new GetBucketVersioningCommand({ Bucket: 'vstate' }))).Status, 'Suspended');
  const bad = await awsError(suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'vstate', VersioningConfiguration: { Status: 'On' as never } })));
  assert.equal(bad.name, 'MalformedXML');
});

test('versioning: each PUT is a version; GET by versionId; delete marker; NoSuchVersion; 405 on a marker id', async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'versioned' }));
  await suite.s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'old', Body: 'before versioning' }));
  await suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'versioned', VersioningConfiguration: { Status: 'Enabled' } }));
  const v1 = await suite.s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'k', Body: 'one' }));
  const v2 = await suite.s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'k', Body: 'two' }));
  assert.ok(v1.VersionId && v2.VersionId && v1.VersionId !== v2.VersionId && v1.VersionId !== 'null');
  const current = await suite.s3.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k' }));
  assert.equal(await text(current.Body), 'two');
  assert.equal(current.VersionId, v2.VersionId);
  assert.equal(await text((await suite.s3.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k', VersionId: v1.VersionId }))).Body), 'one');
  assert.equal((await suite.s3.send(new HeadObjectCommand({ Bucket: 'versioned', Key: 'k', VersionId: v1.VersionId }))).ContentLength, 3);
  // The object written before versioning is the null version.
  assert.equal(await text((await suite.s3.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'old', VersionId: 'null' }))).Body), 'before versioning');

  const del = await suite.s3.send(new DeleteObjectCommand({ Bucket: 'versioned', Key: 'k' }));
  assert.equal(del.DeleteMarker, true);
  assert.ok(del.VersionId);
  const missing = await awsError(suite.s3.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k' })));
  assert.equal(missing.name, 'NoSuchKey');
  assert.equal(missing.$metadata?.httpStatusCode, 404);
  const head = await awsError(suite.s3.send(new HeadObjectCommand({ Bucket: 'versioned', Key: 'k' })));
  assert.equal(head.$metadata?.httpStatusCode, 404);
  const raw = await s3Raw(suite.basalt.endpoint, 'GET', `/versioned/k?versionId=${del.VersionId}`);
  assert.equal(raw.status, 405);
  assert.equal(raw.headers['x-amz-delete-marker'], 'true');
  assert.equal(raw.headers['x-amz-version-id'], del.VersionId);
  assert.match(raw.body.toString(), /<Code>MethodNotAllowed<\/Code>/);
  const rawHead = await s3Raw(suite.basalt.endpoint, 'GET', '/versioned/k');
  assert.equal(rawHead.headers['x-amz-delete-marker'], 'true');

  const noVersion = await awsError(suite.s3.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k', VersionId: '0000000000000009AAAAAAAAAAAAAAAA' })));
  assert.equal(noVersion.name, 'NoSuchVersion');
  assert.equal(noVersion.message, 'The specified version does not exist.');
  const invalid = await awsError(suite.s3.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k', VersionId: 'garbage' })));
  assert.equal(invalid.name, 'InvalidArgument');
  assert.equal(invalid.message, 'Invalid version id specified');

  // The key is gone from listings but its versions remain; removing the marker restores v2.
  assert.deepEqual((await suite.s3.send(new ListObjectsV2Command({ Bucket: 'versioned' }))).Contents?.map((c) => c.Key), ['old']);
  const versions = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: 'versioned' }));
  assert.deepEqual(versions.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest]), [
    ['k', v2.VersionId, false],
    ['k', v1.VersionId, false],
    ['old', 'null', true],
  ]);
  assert.deepEqual(versions.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest]), [['k', del.VersionId, true]]);
  const undo = await suite.s3.send(new DeleteObjectCommand({ Bucket: 'versioned', Key: 'k', VersionId: del.VersionId }));
  assert.equal(undo.DeleteMarker, true);
  assert.equal(undo.VersionId, del.VersionId);
  assert.equal(await text((await suite.s3.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k' }))).Body), 'two');

  // Deleting the current version for good promotes the previous one.
  await suite.s3.send(new DeleteObjectCommand({ Bucket: 'versioned', Key: 'k', VersionId: v2.VersionId }));
  assert.equal(await text((await suite.s3.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k' }))).Body), 'one');
  const gone = await awsError(suite.s3.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'k', VersionId: v2.VersionId })));
  assert.equal(gone.name, 'NoSuchVersion');
});

test('versioning: CopyObject from a version, tagging a version, multipart completion makes a version', async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'vcopy' }));
  await suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'vcopy', VersioningConfiguration: { Status: 'Enabled' } }));
  const a = await suite.s3.send(new PutObjectCommand({ Bucket: 'vcopy', Key: 'src', Body: 'A' }));
  await suite.s3.send(new PutObjectCommand({ Bucket: 'vcopy', Key: 'src', Body: 'B' }));
  const copy = await suite.s3.send(new CopyObjectCommand({ Bucket: 'vcopy', Key: 'dst', CopySource: `vcopy/src?versionId=${a.VersionId}` }));
  assert.equal(copy.CopySourceVersionId, a.VersionId);
  assert.ok(copy.VersionId);
  assert.equal(await text((await suite.s3.send(new GetObjectCommand({ Bucket: 'vcopy', Key: 'dst' }))).Body), 'A');

  await suite.s3.send(new PutObjectTaggingCommand({ Bucket: 'vcopy', Key: 'src', VersionId: a.VersionId, Tagging: { TagSet: [{ Key: 'v', Value: '1' }] } }));
  assert.deepEqual((await suite.s3.send(new GetObjectTaggingCommand({ Bucket: 'vcopy', Key: 'src', VersionId: a.VersionId }))).TagSet, [{ Key: 'v', Value: '1' }]);
  assert.deepEqual((await suite.s3.send(new GetObjectTaggingCommand({ Bucket: 'vcopy', Key: 'src' }))).TagSet, []);

  const { UploadId } = await suite.s3.send(new CreateMultipartUploadCommand({ Bucket: 'vcopy', Key: 'src' }));
  const part = await suite.s3.send(new UploadPartCommand({ Bucket: 'vcopy', Key: 'src', UploadId, PartNumber: 1, Body: 'C' }));
  const done = await suite.s3.send(new CompleteMultipartUploadCommand({ Bucket: 'vcopy', Key: 'src', UploadId, MultipartUpload: { Parts: [{ ETag: part.ETag, PartNumber: 1 }] } }));
  assert.ok(done.VersionId);
  const listed = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: 'vcopy', Prefix: 'src' }));
  assert.equal(listed.Versions?.length, 3);
  assert.equal(listed.Versions?.[0]?.VersionId, done.VersionId);
});

test('versioning Suspended: writes replace the null version; a delete adds a null marker', async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'vsusp' }));
  await suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'vsusp', VersioningConfiguration: { Status: 'Enabled' } }));
  const kept = await suite.s3.send(new PutObjectCommand({ Bucket: 'vsusp', Key: 'k', Body: 'kept' }));
  await suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'vsusp', VersioningConfiguration: { Status: 'Suspended' } }));
  await suite.s3.send(new PutObjectCommand({ Bucket: 'vsusp', Key: 'k', Body: 'null 1' }));
  await suite.s3.send(new PutObjectCommand({ Bucket: 'vsusp', Key: 'k', Body: 'null 2' }));
  const versions = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: 'vsusp' }));
  assert.deepEqual(versions.Versions?.map((v) => [v.VersionId, v.IsLatest, v.Size]), [['null', true, 6], [kept.VersionId, false, 4]]);
  const del = await suite.s3.send(new DeleteObjectCommand({ Bucket: 'vsusp', Key: 'k' }));
  assert.equal(del.DeleteMarker, true);
  assert.equal(del.VersionId, 'null');
  const after = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: 'vsusp' }));
  assert.deepEqual(after.Versions?.map((v) => v.VersionId), [kept.VersionId]);
  assert.deepEqual(after.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]), [['null', true]]);
});

test('ListObjectVersions: unversioned bucket, pagination with key-marker / version-id-marker, delimiter', async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'vplain' }));
  await suite.s3.send(new PutObjectCommand({ Bucket: 'vplain', Key: 'x', Body: 'x' }));
  const plain = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: 'vplain' }));
  assert.deepEqual(plain.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest]), [['x', 'null', true]]);

  await suite.s3.send(new CreateBucketCommand({ Bucket: 'vpage' }));
  await suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'vpage', VersioningConfiguration: { Status: 'Enabled' } }));
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.unshift((await suite.s3.send(new PutObjectCommand({ Bucket: 'vpage', Key: 'a', Body: String(i) }))).VersionId!);
  await suite.s3.send(new PutObjectCommand({ Bucket: 'vpage', Key: 'b', Body: 'b' }));
  await suite.s3.send(new PutObjectCommand({ Bucket: 'vpage', Key: 'dir/c', Body: 'c' }));
  const first = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: 'vpage', MaxKeys: 2 }));
  assert.equal(first.IsTruncated, true);
  assert.deepEqual(first.Versions?.map((v) => [v.VersionId, v.IsLatest]), [[ids[0], true], [ids[1], false]]);
  assert.equal(first.NextKeyMarker, 'a');
  assert.equal(first.NextVersionIdMarker, ids[1]);
  const second = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: 'vpage', KeyMarker: 'a', VersionIdMarker: ids[1], Delimiter: '/' }));
  assert.deepEqual(second.Versions?.map((v) => [v.Key, v.IsLatest]), [['a', false], ['b', true]]);
  assert.deepEqual(second.CommonPrefixes?.map((p) => p.Prefix), ['dir/']);
  const afterA = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: 'vpage', KeyMarker: 'a' }));
  assert.deepEqual(afterA.Versions?.map((v) => v.Key), ['b', 'dir/c']);
});

test('DeleteObjects in a versioned bucket: markers and version deletes reported', async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'vdel' }));
  await suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'vdel', VersioningConfiguration: { Status: 'Enabled' } }));
  const v = await suite.s3.send(new PutObjectCommand({ Bucket: 'vdel', Key: 'a', Body: 'a' }));
  await suite.s3.send(new PutObjectCommand({ Bucket: 'vdel', Key: 'b', Body: 'b' }));
  const out = await suite.s3.send(new DeleteObjectsCommand({ Bucket: 'vdel', Delete: { Objects: [{ Key: 'a', VersionId: v.VersionId }, { Key: 'b' }] } }));
  assert.deepEqual(out.Deleted?.map((d) => [d.Key, d.VersionId, d.DeleteMarker]), [['a', v.VersionId, undefined], ['b', undefined, true]]);
  assert.ok(out.Deleted?.[1]?.DeleteMarkerVersionId);
  const left = await suite.s3.send(new ListObjectVersionsCommand({ Bucket: 'vdel' }));
  assert.deepEqual(left.Versions?.map((x) => x.Key), ['b']);
  assert.deepEqual(left.DeleteMarkers?.map((x) => x.Key), ['b']);
});

test('Object Lock bucket: versioning is Enabled and cannot be suspended; a retained version cannot be deleted', async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'vlock', ObjectLockEnabledForBucket: true }));
  assert.equal((await suite.s3.send(new GetBucketVersioningCommand({ Bucket: 'vlock' }))).Status, 'Enabled');
  const suspend = await awsError(suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'vlock', VersioningConfiguration: { Status: 'Suspended' } })));
  assert.equal(suspend.name, 'InvalidBucketState');
  assert.equal(suspend.$metadata?.httpStatusCode, 409);
  const until = new Date(Date.now() + 3600_000);
  const put = await suite.s3.send(new PutObjectCommand({ Bucket: 'vlock', Key: 'locked', Body: 'keep', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until, ChecksumAlgorithm: 'CRC32' }));
  const denied = await awsError(suite.s3.send(new DeleteObjectCommand({ Bucket: 'vlock', Key: 'locked', VersionId: put.VersionId })));
  assert.equal(denied.name, 'AccessDenied');
  assert.equal(denied.$metadata?.httpStatusCode, 403);
  // A delete without versionId only adds a marker, which Object Lock allows.
  const marker = await suite.s3.send(new DeleteObjectCommand({ Bucket: 'vlock', Key: 'locked' }));
  assert.equal(marker.DeleteMarker, true);
  assert.equal(await text((await suite.s3.send(new GetObjectCommand({ Bucket: 'vlock', Key: 'locked', VersionId: put.VersionId }))).Body), 'keep');
  const governed = await suite.s3.send(new PutObjectCommand({ Bucket: 'vlock', Key: 'gov', Body: 'g', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until, ChecksumAlgorithm: 'CRC32' }));
  const noBypass = await awsError(suite.s3.send(new DeleteObjectCommand({ Bucket: 'vlock', Key: 'gov', VersionId: governed.VersionId })));
  assert.equal(noBypass.name, 'AccessDenied');
  await suite.s3.send(new DeleteObjectCommand({ Bucket: 'vlock', Key: 'gov', VersionId: governed.VersionId, BypassGovernanceRetention: true }));
});
