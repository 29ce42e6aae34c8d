/**
 * DeleteBucket: a bucket without objects, versions or delete markers goes, 204 as S3 answers. Incomplete
 * multipart uploads do not keep it: they go with it, their parts' blobs released after the commit (S3 deletes
 * such a bucket; moto's aws_verified tests clean up that way).
 */
import { s3Error } from '../../errors/s3-errors';
import { bucketKey, bucketPartsRange, objectsRange, uploadsRange, versionsRange } from '../keys';
import type { S3Context, S3Request, S3Response } from '../operation';
import { releaseBlobs, requireBucket, type PartRecord } from '../records';

export async function deleteBucket(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const name = req.bucket!;
  const released = await ctx.store.transact(async (tx) => {
    await requireBucket(tx, name, ctx.accountId);
    for (const range of [objectsRange(name), versionsRange(name)]) {
      if ((await tx.scan({ ...range, limit: 1 })).length > 0) throw s3Error('BucketNotEmpty', undefined, { BucketName: name });
    }
    const parts = bucketPartsRange(name);
    const blobIds = (await tx.scan(parts)).map((row) => (JSON.parse(row.value.toString('utf8')) as PartRecord).blobId);
    for (const range of [parts, uploadsRange(name)]) tx.deleteRange(range.start, range.end);
    tx.delete(bucketKey(name));
    return blobIds;
  });
  await releaseBlobs(ctx, released);
  return { status: 204, headers: {} };
}
