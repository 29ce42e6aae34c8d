/** CreateBucket: name rules, LocationConstraint against the signing region, ownership, Object Lock flag. */
import { s3Error } from '../../errors/s3-errors';
import { aclFromHeaders } from '../acl';
import { readSmallBody } from '../body';
import { bucketKey } from '../keys';
import { header, type S3Context, type S3Request, type S3Response } from '../operation';
import { encode, getBucket, privateAcl, type BucketRecord } from '../records';
import { childText, parseXml } from '../xml-parse';
import { validateBucketName } from './bucket-names';

const BUCKET_CANNED_ACLS = ['private', 'public-read', 'public-read-write', 'authenticated-read', 'log-delivery-write'];
const OWNERSHIP = new Set(['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced']);

/** The region the bucket lands in, by S3's rules for the endpoint's (signing) region. */
function bucketRegion(constraint: string | undefined, signingRegion: string): string {
  if (constraint === undefined || constraint === '') {
    if (signingRegion !== 'us-east-1') throw s3Error('IllegalLocationConstraintException');
    return 'us-east-1';
  }
  // us-east-1 is the absence of a constraint: naming it is refused there, and elsewhere it is another region's.
  if (constraint === 'us-east-1' && signingRegion === 'us-east-1') throw s3Error('InvalidLocationConstraint', undefined, { LocationConstraint: constraint });
  const region = constraint === 'EU' ? 'eu-west-1' : constraint;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw s3Error('InvalidLocationConstraint', undefined, { LocationConstraint: constraint });
  if (signingRegion !== 'us-east-1' && region !== signingRegion) {
    throw s3Error(
      'IllegalLocationConstraintException',
      `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  return region;
}

export async function createBucket(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const name = req.bucket!;
  validateBucketName(name);
  const body = (await readSmallBody(req)).toString('utf8').trim();
  let constraint: string | undefined;
  if (body !== '') {
    const root = parseXml(body);
    if (root.name !== 'CreateBucketConfiguration') throw s3Error('MalformedXML');
    constraint = childText(root, 'LocationConstraint');
  }
  const region = bucketRegion(constraint, ctx.region);
  const ownership = header(req, 'x-amz-object-ownership');
  if (ownership !== undefined && !OWNERSHIP.has(ownership)) {
    throw s3Error('InvalidArgument', 'Invalid x-amz-object-ownership header', { ArgumentName: 'x-amz-object-ownership', ArgumentValue: ownership });
  }
  const acl = aclFromHeaders(req, ctx.accountId, ctx.accountId, BUCKET_CANNED_ACLS) ?? privateAcl(ctx.accountId);
  if (ownership === 'BucketOwnerEnforced' && acl.grants.length > 1) throw s3Error('InvalidBucketAclWithObjectOwnership');
  const lock = (header(req, 'x-amz-bucket-object-lock-enabled') ?? '').toLowerCase() === 'true';

  await ctx.store.transact(async (tx) => {
    const existing = await getBucket(tx, name);
    if (existing) {
      if (existing.accountId !== ctx.accountId) throw s3Error('BucketAlreadyExists', undefined, { BucketName: name });
      // S3 keeps a legacy 200 for re-creating your own bucket in us-east-1 (resetting its ACL).
      if (existing.region !== 'us-east-1' || region !== 'us-east-1') throw s3Error('BucketAlreadyOwnedByYou', undefined, { BucketName: name });
      tx.put(bucketKey(name), encode({ ...existing, acl }));
      return;
    }
    const record: BucketRecord = {
      name,
      accountId: ctx.accountId,
      region,
      createdAt: new Date().toISOString(),
      acl,
      // S3 turns versioning on for Object Lock buckets, for good.
      ...(lock ? { objectLockEnabled: true, versioning: 'Enabled' } : {}),
      ...(ownership ? { objectOwnership: ownership } : {}),
    };
    tx.put(bucketKey(name), encode(record));
  });
  return { status: 200, headers: { location: `/${name}` } };
}
