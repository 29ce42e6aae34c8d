/** GetBucketLocation: the region, empty for us-east-1 (S3's historical "no constraint"). */
import { escapeXml } from '../xml';
import type { S3Context, S3Request, S3Response } from '../operation';
import { requireBucket } from '../records';
import { S3_XMLNS } from '../xml-tree';

export async function getBucketLocation(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const region = bucket.region === 'us-east-1' ? '' : bucket.region;
  // The document's root holds text, which the XmlDocument tree cannot express.
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_XMLNS}">${escapeXml(region)}</LocationConstraint>`;
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: Buffer.from(xml, 'utf8') };
}
