/** DeleteBucket: only an empty bucket (no objects, versions or uploads) goes; 204 as S3 answers. */
import { s3Error } from '../../errors/s3-errors';
import { bucketKey, objectsRange, uploadsRange, versionsRange } from '../keys';
import type { S3Context, S3Request, S3Response } from '../operation';
import { requireBucket } from '../records';

export async function deleteBucket(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const name = req.bucket!;
  await ctx.store.transact(async (tx) => {
    await requireBucket(tx, name, ctx.accountId);
    for (const range of [objectsRange(name), versionsRange(name), uploadsRange(name)]) {
      if ((await tx.scan({ ...range, limit: 1 })).length > 0) throw s3Error('BucketNotEmpty', undefined, { BucketName: name });
    }
    tx.delete(bucketKey(name));
  });
  return { status: 204, headers: {} };
}
