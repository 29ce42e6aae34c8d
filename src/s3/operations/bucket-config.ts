/**
 * Bucket sub-resources kept on the bucket record: tagging (Put/Get/DeleteBucketTagging, NoSuchTagSet), the
 * bucket ACL (Get/PutBucketAcl) and the Object Lock configuration; plus the per-version Object Lock
 * settings (Get/PutObjectRetention, Get/PutObjectLegalHold).
 */
import { s3Error } from '../../errors/s3-errors';
import { aclFromHeaders, aclFromXml, renderAcl } from '../acl';
import { readSmallBody } from '../body';
import { bucketKey } from '../keys';
import { header, type S3Context, type S3Request, type S3Response } from '../operation';
import { encode, privateAcl, requireBucket, type BucketRecord, type ObjectRecord } from '../records';
import { parseTaggingXml, renderTagSet } from '../tagging';
import { targetVersion, updateVersion } from '../versions';
import { child, childText, parseXml } from '../xml-parse';
import { versionHeader } from './put-object';

const BUCKET_CANNED_ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read', 'log-delivery-write'];

async function updateBucket(ctx: S3Context, name: string, change: (bucket: BucketRecord) => BucketRecord): Promise<void> {
  await ctx.store.transact(async (tx) => {
    const bucket = await requireBucket(tx, name, ctx.accountId);
    tx.put(bucketKey(name), encode(change(bucket)));
  });
}

export async function putBucketTagging(ctx: S3Context, req: S3Request): Promise<S3Response> {
  await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const tags = parseTaggingXml((await readSmallBody(req)).toString('utf8'), 'bucket');
  await updateBucket(ctx, req.bucket!, (b) => ({ ...b, tags }));
  return { status: 204, headers: {} };
}

export async function getBucketTagging(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  if (!bucket.tags || bucket.tags.length === 0) throw s3Error('NoSuchTagSet', undefined, { BucketName: bucket.name });
  return { status: 200, headers: {}, body: { root: 'Tagging', body: renderTagSet(bucket.tags) } };
}

export async function deleteBucketTagging(ctx: S3Context, req: S3Request): Promise<S3Response> {
  await updateBucket(ctx, req.bucket!, ({ tags: _dropped, ...rest }) => rest);
  return { status: 204, headers: {} };
}

export async function getBucketAcl(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: renderAcl(bucket.acl ?? privateAcl(bucket.accountId), ctx.accessKeyId) };
}

export async function putBucketAcl(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const fromHeaders = aclFromHeaders(req, ctx.accountId, bucket.accountId, BUCKET_CANNED_ACLS);
  const body = (await readSmallBody(req)).toString('utf8').trim();
  if (fromHeaders && body !== '') throw s3Error('UnexpectedContent');
  if (!fromHeaders && body === '') throw s3Error('MissingSecurityHeader', undefined, { MissingHeaderName: 'x-amz-acl' });
  const acl = fromHeaders ?? aclFromXml(body, bucket.accountId);
  // With BucketOwnerEnforced only the owner-only ACL may be (re)stated.
  const ownerOnly = acl.grants.every((g) => g.type === 'CanonicalUser' && g.id === bucket.accountId && g.permission === 'FULL_CONTROL');
  if (bucket.objectOwnership === 'BucketOwnerEnforced' && !ownerOnly) throw s3Error('AccessControlListNotSupported');
  await updateBucket(ctx, req.bucket!, (b) => ({ ...b, acl }));
  return { status: 200, headers: {} };
}

// ---------------------------------------------------------------------------------------------------------
// Object Lock.

const LOCK_MODES = new Set(['GOVERNANCE', 'COMPLIANCE']);

export async function getObjectLockConfiguration(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  if (!bucket.objectLockEnabled) throw s3Error('ObjectLockConfigurationNotFoundError', undefined, { BucketName: bucket.name });
  const d = bucket.lockDefault;
  return {
    status: 200,
    headers: {},
    body: {
      root: 'ObjectLockConfiguration',
      body: { ObjectLockEnabled: 'Enabled', Rule: d ? { DefaultRetention: { Mode: d.mode, Days: d.days, Years: d.years } } : undefined },
    },
  };
}

export async function putObjectLockConfiguration(ctx: S3Context, req: S3Request): Promise<S3Response> {
  await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const body = await readSmallBody(req);
  if (body.length === 0) throw s3Error('MissingRequestBodyError');
  const root = parseXml(body.toString('utf8'));
  if (root.name !== 'ObjectLockConfiguration' || childText(root, 'ObjectLockEnabled') !== 'Enabled') throw s3Error('MalformedXML');
  let lockDefault: BucketRecord['lockDefault'];
  const rule = child(root, 'Rule');
  if (rule) {
    const retention = child(rule, 'DefaultRetention');
    if (!retention) throw s3Error('MalformedXML');
    const mode = childText(retention, 'Mode');
    const days = childText(retention, 'Days');
    const years = childText(retention, 'Years');
    if (mode === undefined || !LOCK_MODES.has(mode) || (days === undefined) === (years === undefined)) throw s3Error('MalformedXML');
    const n = Number(days ?? years);
    if (!Number.isInteger(n) || n <= 0) throw s3Error('InvalidArgument', 'Default retention period must be a positive integer value.', { ArgumentName: days !== undefined ? 'Days' : 'Years', ArgumentValue: days ?? years });
    lockDefault = days !== undefined ? { mode, days: n } : { mode, years: n };
  }
  await updateBucket(ctx, req.bucket!, (b) => {
    if (!b.objectLockEnabled && b.versioning !== 'Enabled') {
      throw s3Error('InvalidBucketState', "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
    }
    const { lockDefault: _old, ...rest } = b;
    return { ...rest, objectLockEnabled: true, ...(lockDefault ? { lockDefault } : {}) };
  });
  return { status: 200, headers: {} };
}

function requireLockBucket(bucket: BucketRecord): void {
  if (!bucket.objectLockEnabled) throw s3Error('InvalidRequest', 'Bucket is missing Object Lock Configuration');
}

export async function getObjectRetention(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  requireLockBucket(bucket);
  const obj = await targetVersion(ctx.store, bucket, req.key!, req.query.get('versionId'));
  if (obj.objectLock?.mode === undefined) throw s3Error('NoSuchObjectLockConfiguration');
  return { status: 200, headers: {}, body: { root: 'Retention', body: { Mode: obj.objectLock.mode, RetainUntilDate: obj.objectLock.retainUntilDate } } };
}

export async function putObjectRetention(ctx: S3Context, req: S3Request): Promise<S3Response> {
  await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const root = parseXml((await readSmallBody(req)).toString('utf8'));
  if (root.name !== 'Retention') throw s3Error('MalformedXML');
  const mode = childText(root, 'Mode');
  const untilText = childText(root, 'RetainUntilDate');
  if ((mode === undefined) !== (untilText === undefined)) throw s3Error('MalformedXML');
  if (mode !== undefined && !LOCK_MODES.has(mode)) throw s3Error('MalformedXML');
  let until: string | undefined;
  if (untilText !== undefined) {
    const ms = Date.parse(untilText);
    if (Number.isNaN(ms)) throw s3Error('MalformedXML');
    if (ms <= Date.now()) throw s3Error('InvalidArgument', 'The retain until date must be in the future!', { ArgumentName: 'RetainUntilDate', ArgumentValue: untilText });
    until = new Date(ms).toISOString();
  }
  const bypass = (header(req, 'x-amz-bypass-governance-retention') ?? '').toLowerCase() === 'true';
  const obj = await ctx.store.transact(async (tx) => {
    const bucket = await requireBucket(tx, req.bucket!, ctx.accountId);
    requireLockBucket(bucket);
    const target = await targetVersion(tx, bucket, req.key!, req.query.get('versionId'));
    const current = target.objectLock;
    const active = current?.retainUntilDate !== undefined && Date.parse(current.retainUntilDate) > Date.now();
    if (active) {
      const shortens = until === undefined || Date.parse(until) < Date.parse(current!.retainUntilDate!);
      const weakens = current!.mode === 'COMPLIANCE' && mode !== 'COMPLIANCE';
      if (current!.mode === 'COMPLIANCE' && (shortens || weakens)) throw s3Error('AccessDenied');
      if (current!.mode === 'GOVERNANCE' && (shortens || mode !== 'GOVERNANCE') && !bypass) throw s3Error('AccessDenied');
    }
    const objectLock: ObjectRecord['objectLock'] = { ...current, mode, retainUntilDate: until };
    await updateVersion(tx, bucket, { ...target, objectLock });
    return target;
  });
  return { status: 200, headers: versionHeader(obj) };
}

export async function getObjectLegalHold(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  requireLockBucket(bucket);
  const obj = await targetVersion(ctx.store, bucket, req.key!, req.query.get('versionId'));
  if (obj.objectLock?.legalHold === undefined) throw s3Error('NoSuchObjectLockConfiguration');
  return { status: 200, headers: {}, body: { root: 'LegalHold', body: { Status: obj.objectLock.legalHold } } };
}

export async function putObjectLegalHold(ctx: S3Context, req: S3Request): Promise<S3Response> {
  await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const root = parseXml((await readSmallBody(req)).toString('utf8'));
  const status = root.name === 'LegalHold' ? childText(root, 'Status') : undefined;
  if (status !== 'ON' && status !== 'OFF') throw s3Error('MalformedXML');
  const obj = await ctx.store.transact(async (tx) => {
    const bucket = await requireBucket(tx, req.bucket!, ctx.accountId);
    requireLockBucket(bucket);
    const target = await targetVersion(tx, bucket, req.key!, req.query.get('versionId'));
    await updateVersion(tx, bucket, { ...target, objectLock: { ...target.objectLock, legalHold: status } });
    return target;
  });
  return { status: 200, headers: versionHeader(obj) };
}
