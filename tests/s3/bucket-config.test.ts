import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketAclCommand,
  GetBucketTaggingCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutBucketAclCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
} from '@aws-sdk/client-s3';
import { awsError } from '../helpers/basalt';
import { useS3Basalt } from '../helpers/suite';

const suite = useS3Basalt();

test('bucket tagging: NoSuchTagSet, put, get, replace, delete; invalid tags', async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'tagged-bucket' }));
  const none = await awsError(suite.s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged-bucket' })));
  assert.equal(none.name, 'NoSuchTagSet');
  assert.equal(none.message, 'The TagSet does not exist');
  assert.equal(none.$metadata?.httpStatusCode, 404);
  await suite.s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged-bucket', Tagging: { TagSet: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'x' }] } }));
  assert.deepEqual((await suite.s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged-bucket' }))).TagSet, [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'x' }]);
  await suite.s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged-bucket', Tagging: { TagSet: [{ Key: 'only', Value: '1' }] } }));
  assert.deepEqual((await suite.s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged-bucket' }))).TagSet, [{ Key: 'only', Value: '1' }]);
  const dup = await awsError(suite.s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged-bucket', Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })));
  assert.equal(dup.name, 'InvalidTag');
  assert.equal(dup.message, 'Cannot provide multiple Tags with the same key');
  const aws = await awsError(suite.s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged-bucket', Tagging: { TagSet: [{ Key: 'aws:x', Value: '1' }] } })));
  assert.equal(aws.name, 'InvalidTag');
  assert.equal(aws.message, 'System tags cannot be added/updated by requester');
  await suite.s3.send(new DeleteBucketTaggingCommand({ Bucket: 'tagged-bucket' }));
  assert.equal((await awsError(suite.s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged-bucket' })))).name, 'NoSuchTagSet');
  const noBucket = await awsError(suite.s3.send(new GetBucketTaggingCommand({ Bucket: 'no-such-bucket-here' })));
  assert.equal(noBucket.name, 'NoSuchBucket');
});

test('bucket ACL: private by default; canned and document writes; BucketOwnerEnforced refuses grants', async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'acl-bucket' }));
  const initial = await suite.s3.send(new GetBucketAclCommand({ Bucket: 'acl-bucket' }));
  assert.equal(initial.Owner?.ID, '000000000000');
  assert.deepEqual(initial.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.ID, g.Permission]), [['CanonicalUser', '000000000000', 'FULL_CONTROL']]);
  await suite.s3.send(new PutBucketAclCommand({ Bucket: 'acl-bucket', ACL: 'public-read' }));
  const pub = await suite.s3.send(new GetBucketAclCommand({ Bucket: 'acl-bucket' }));
  assert.deepEqual(pub.Grants?.map((g) => [g.Grantee?.URI ?? g.Grantee?.ID, g.Permission]), [
    ['000000000000', 'FULL_CONTROL'],
    ['http://acs.amazonaws.com/groups/global/AllUsers', 'READ'],
  ]);
  await suite.s3.send(new PutBucketAclCommand({
    Bucket: 'acl-bucket',
    AccessControlPolicy: { Owner: { ID: '000000000000' }, Grants: [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, Permission: 'WRITE' }] },
  }));
  assert.deepEqual((await suite.s3.send(new GetBucketAclCommand({ Bucket: 'acl-bucket' }))).Grants?.map((g) => g.Permission), ['WRITE']);
  const badCanned = await awsError(suite.s3.send(new PutBucketAclCommand({ Bucket: 'acl-bucket', ACL: 'bucket-owner-read' as never })));
  assert.equal(badCanned.name, 'InvalidArgument');

  await suite.s3.send(new CreateBucketCommand({ Bucket: 'enforced-bucket', ObjectOwnership: 'BucketOwnerEnforced' }));
  const refused = await awsError(suite.s3.send(new PutBucketAclCommand({ Bucket: 'enforced-bucket', ACL: 'public-read' })));
  assert.equal(refused.name, 'AccessControlListNotSupported');
  assert.equal(refused.message, 'The bucket does not allow ACLs');
});

test('Object Lock: configuration, default retention, retention and legal hold per version', async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'plain-lockless' }));
  const missing = await awsError(suite.s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'plain-lockless' })));
  assert.equal(missing.name, 'ObjectLockConfigurationNotFoundError');
  assert.equal(missing.message, 'Object Lock configuration does not exist for this bucket');
  const unversioned = await awsError(suite.s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'plain-lockless', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } })));
  assert.equal(unversioned.name, 'InvalidBucketState');

  await suite.s3.send(new CreateBucketCommand({ Bucket: 'locked-bucket', ObjectLockEnabledForBucket: true }));
  assert.equal((await suite.s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'locked-bucket' }))).ObjectLockConfiguration?.ObjectLockEnabled, 'Enabled');
  const noBody = await awsError(suite.s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'locked-bucket' })));
  assert.equal(noBody.name, 'MissingRequestBodyError');
  assert.equal(noBody.message, 'Request Body is empty');
  assert.equal((await awsError(suite.s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'locked-bucket', ObjectLockConfiguration: {} })))).name, 'MalformedXML');
  await suite.s3.send(new PutObjectLockConfigurationCommand({
    Bucket: 'locked-bucket',
    ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } },
  }));
  const config = await suite.s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'locked-bucket' }));
  assert.deepEqual(config.ObjectLockConfiguration?.Rule?.DefaultRetention, { Mode: 'GOVERNANCE', Days: 1 });

  // The default retention applies to a new version.
  const put = await suite.s3.send(new PutObjectCommand({ Bucket: 'locked-bucket', Key: 'doc', Body: 'x', ChecksumAlgorithm: 'CRC32' }));
  const retention = await suite.s3.send(new GetObjectRetentionCommand({ Bucket: 'locked-bucket', Key: 'doc', VersionId: put.VersionId }));
  assert.equal(retention.Retention?.Mode, 'GOVERNANCE');
  assert.ok(retention.Retention!.RetainUntilDate!.getTime() > Date.now() + 23 * 3600_000);
  const head = await suite.s3.send(new HeadObjectCommand({ Bucket: 'locked-bucket', Key: 'doc' }));
  assert.equal(head.ObjectLockMode, 'GOVERNANCE');

  // Shortening GOVERNANCE needs the bypass header; extending does not.
  const soon = new Date(Date.now() + 600_000);
  const shorten = await awsError(suite.s3.send(new PutObjectRetentionCommand({ Bucket: 'locked-bucket', Key: 'doc', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: soon } })));
  assert.equal(shorten.name, 'AccessDenied');
  await suite.s3.send(new PutObjectRetentionCommand({ Bucket: 'locked-bucket', Key: 'doc', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: soon }, BypassGovernanceRetention: true }));
  const past = await awsError(suite.s3.send(new PutObjectRetentionCommand({ Bucket: 'locked-bucket', Key: 'doc', Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(Date.now() - 1000) } })));
  assert.equal(past.name, 'InvalidArgument');
  assert.equal(past.message, 'The retain until date must be in the future!');

  const noHold = await awsError(suite.s3.send(new GetObjectLegalHoldCommand({ Bucket: 'locked-bucket', Key: 'doc' })));
  assert.equal(noHold.name, 'NoSuchObjectLockConfiguration');
  await suite.s3.send(new PutObjectLegalHoldCommand({ Bucket: 'locked-bucket', Key: 'doc', LegalHold: { Status: 'ON' } }));
  assert.equal((await suite.s3.send(new GetObjectLegalHoldCommand({ Bucket: 'locked-bucket', Key: 'doc' }))).LegalHold?.Status, 'ON');
  // A legal hold blocks deletion even with the governance bypass.
  const held = await awsError(suite.s3.send(new DeleteObjectCommand({ Bucket: 'locked-bucket', Key: 'doc', VersionId: put.VersionId, BypassGovernanceRetention: true })));
  assert.equal(held.name, 'AccessDenied');
  assert.equal(held.message, 'Access Denied');
  // DeleteObjects says why in the entry.
  const many = await suite.s3.send(new DeleteObjectsCommand({ Bucket: 'locked-bucket', Delete: { Objects: [{ Key: 'doc', VersionId: put.VersionId }] } }));
  assert.deepEqual(many.Errors, [{ Key: 'doc', VersionId: put.VersionId, Code: 'AccessDenied', Message: 'Access Denied because object protected by object lock.' }]);
  await suite.s3.send(new PutObjectLegalHoldCommand({ Bucket: 'locked-bucket', Key: 'doc', LegalHold: { Status: 'OFF' } }));
  await suite.s3.send(new DeleteObjectCommand({ Bucket: 'locked-bucket', Key: 'doc', VersionId: put.VersionId, BypassGovernanceRetention: true }));

  await suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'plain-lockless', VersioningConfiguration: { Status: 'Enabled' } }));
  await suite.s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'plain-lockless', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
  assert.equal((await suite.s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'plain-lockless' }))).ObjectLockConfiguration?.ObjectLockEnabled, 'Enabled');
});
