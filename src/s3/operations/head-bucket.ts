/** HeadBucket: 200 with the bucket's region, or the bare status of NoSuchBucket / AccessDenied. */
import type { S3Context, S3Request, S3Response } from '../operation';
import { requireBucket } from '../records';

export async function headBucket(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  // S3 labels even this empty answer as XML (moto's aws_verified test reads the header).
  return { status: 200, headers: { 'content-type': 'application/xml', 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' } };
}
