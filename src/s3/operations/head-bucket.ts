/** HeadBucket: 200 with the bucket's region, or the bare status of NoSuchBucket / AccessDenied. */
import type { S3Context, S3Request, S3Response } from '../operation';
import { requireBucket } from '../records';

export async function headBucket(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  return { status: 200, headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' } };
}
