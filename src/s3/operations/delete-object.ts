/**
 * DeleteObject: 204 whether or not the key existed (S3 deletes idempotently). In a versioned bucket it adds
 * a delete marker (x-amz-delete-marker, x-amz-version-id), or with ?versionId removes that version.
 */
import { s3Error, type S3ErrorCode } from '../../errors/s3-errors';
import type { S3Context, S3Request, S3Response } from '../operation';
import { bypassGovernance, deleteEntries } from './delete-objects';
import { requireBucket } from '../records';
import { checkVersionId } from '../versions';

export async function deleteObject(ctx: S3Context, req: S3Request): Promise<S3Response> {
  await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const versionId = req.query.get('versionId');
  if (versionId !== undefined) checkVersionId(versionId);
  const [outcome] = await deleteEntries(ctx, req.bucket!, [{ key: req.key!, versionId }], bypassGovernance(req));
  if (outcome?.error) throw s3Error(outcome.error.code as S3ErrorCode, outcome.error.message);
  const headers: Record<string, string> = {};
  if (outcome?.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  const id = versionId ?? outcome?.deleteMarkerVersionId;
  if (id !== undefined) headers['x-amz-version-id'] = id;
  return { status: 204, headers };
}
