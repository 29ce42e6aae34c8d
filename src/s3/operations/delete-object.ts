/** DeleteObject: 204 whether or not the key existed (S3 deletes idempotently); the blob goes after commit. */
import type { S3Context, S3Request, S3Response } from '../operation';
import { deleteCurrent } from './delete-objects';
import { requireBucket } from '../records';

export async function deleteObject(ctx: S3Context, req: S3Request): Promise<S3Response> {
  await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  await deleteCurrent(ctx, req.bucket!, [req.key!]);
  return { status: 204, headers: {} };
}
