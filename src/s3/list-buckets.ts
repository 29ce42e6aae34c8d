import { prefixRange } from '../storage/tuple-key';
import type { S3Context } from './operation';
import { type XmlDocument } from './xml-tree';

/** Bucket records live under ('s3', 'bucket', name); bucket names are global, as in S3. */
export const BUCKET_PREFIX = ['s3', 'bucket'] as const;

interface BucketRecord {
  name: string;
  accountId: string;
  region: string;
  createdAt: string;
}

/** ListBuckets: the caller's buckets, by name. */
export async function listBuckets(ctx: S3Context): Promise<XmlDocument> {
  const entries = await ctx.store.scan(prefixRange(BUCKET_PREFIX));
  const buckets = entries
    .map((e) => JSON.parse(e.value.toString('utf8')) as BucketRecord)
    .filter((b) => b.accountId === ctx.accountId);
  return {
    root: 'ListAllMyBucketsResult',
    body: {
      Owner: { ID: ctx.accountId, DisplayName: ctx.accessKeyId },
      Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: b.createdAt, BucketRegion: b.region })) },
    },
  };
}
