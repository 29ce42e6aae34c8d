/** GetObjectAttributes: ETag, Checksum, ObjectParts (of a multipart object), StorageClass, ObjectSize. */
import { s3Error } from '../../errors/s3-errors';
import { httpDate } from '../object-headers';
import { header, type S3Context, type S3Request, type S3Response } from '../operation';
import { requireBucket } from '../records';
import { targetVersion } from '../versions';
import type { XmlObject } from '../xml-tree';
import { versionHeader } from './put-object';
import { readKey } from '../sse-c';

const ATTRIBUTES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);

export async function getObjectAttributes(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const bucket = await requireBucket(ctx.store, req.bucket!, ctx.accountId);
  const wanted = (header(req, 'x-amz-object-attributes') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (wanted.length === 0) {
    throw s3Error('InvalidRequest', 'The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty');
  }
  for (const name of wanted) if (!ATTRIBUTES.has(name)) throw s3Error('InvalidArgument', 'Invalid attribute name specified.', { ArgumentName: 'x-amz-object-attributes', ArgumentValue: name });
  const obj = await targetVersion(ctx.store, bucket, req.key!, req.query.get('versionId'));
  readKey(ctx, req, obj.ssec);
  const body: XmlObject = {};
  if (wanted.includes('ETag')) body['ETag'] = obj.etag.replace(/^"|"$/g, '');
  if (wanted.includes('Checksum') && obj.checksum) body['Checksum'] = { [`Checksum${obj.checksum.algorithm}`]: obj.checksum.value, ChecksumType: obj.checksum.type };
  if (wanted.includes('ObjectParts') && obj.parts) {
    const maxParts = Math.min(Number(header(req, 'x-amz-max-parts') ?? 1000) || 1000, 1000);
    const marker = Number(header(req, 'x-amz-part-number-marker') ?? 0) || 0;
    const shown = obj.parts.map((p, i) => ({ ...p, number: i + 1 })).filter((p) => p.number > marker).slice(0, maxParts);
    const last = shown[shown.length - 1]?.number ?? marker;
    body['ObjectParts'] = {
      PartsCount: obj.parts.length,
      PartNumberMarker: marker,
      NextPartNumberMarker: last,
      MaxParts: maxParts,
      IsTruncated: last < obj.parts.length,
      Part: shown.map((p) => ({ PartNumber: p.number, Size: p.size, ...(p.checksum && obj.checksum ? { [`Checksum${obj.checksum.algorithm}`]: p.checksum } : {}) })),
    };
  }
  if (wanted.includes('StorageClass')) body['StorageClass'] = obj.storageClass;
  if (wanted.includes('ObjectSize')) body['ObjectSize'] = obj.size;
  return { status: 200, headers: { 'last-modified': httpDate(obj.lastModified), ...versionHeader(obj) }, body: { root: 'GetObjectAttributesResponse', body } };
}
