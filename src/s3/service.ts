/** The S3 layer's entry: route the request to its operation, apply the checks every bucket call shares. */
import { s3Error } from '../errors/s3-errors';
import { listBuckets } from './list-buckets';
import { header, type S3Context, type S3Handler, type S3Request, type S3Response } from './operation';
import { createBucket } from './operations/create-bucket';
import { deleteBucket } from './operations/delete-bucket';
import { headBucket } from './operations/head-bucket';
import { getBucketLocation } from './operations/get-bucket-location';
import { putObject } from './operations/put-object';
import { getObjectOp, headObject } from './operations/get-object';
import { deleteObject } from './operations/delete-object';
import { deleteObjects } from './operations/delete-objects';
import { listObjects, listObjectsV2 } from './operations/list-objects';
import { copyObject } from './operations/copy-object';
import { getObjectAcl, putObjectAcl } from './operations/object-acl';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from './operations/object-tagging';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
  uploadPartCopy,
} from './operations/multipart';
import { getBucketVersioning, listObjectVersions, putBucketVersioning } from './operations/versioning';
import {
  deleteBucketTagging,
  getBucketAcl,
  getBucketTagging,
  getObjectLegalHold,
  getObjectLockConfiguration,
  getObjectRetention,
  putBucketAcl,
  putBucketTagging,
  putObjectLegalHold,
  putObjectLockConfiguration,
  putObjectRetention,
} from './operations/bucket-config';
import { getObjectAttributes } from './operations/object-attributes';
import { getBucket } from './records';
import { routeS3, type S3OperationName } from './router';

const HANDLERS: Partial<Record<S3OperationName, S3Handler>> = {
  ListBuckets: async (ctx) => ({ status: 200, headers: {}, body: await listBuckets(ctx) }),
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  GetBucketLocation: getBucketLocation,
  PutObject: putObject,
  GetObject: getObjectOp,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  CopyObject: copyObject,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  GetObjectTagging: getObjectTagging,
  PutObjectTagging: putObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
  PutBucketVersioning: putBucketVersioning,
  GetBucketVersioning: getBucketVersioning,
  ListObjectVersions: listObjectVersions,
  PutBucketTagging: putBucketTagging,
  GetBucketTagging: getBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetObjectLockConfiguration: getObjectLockConfiguration,
  PutObjectLockConfiguration: putObjectLockConfiguration,
  GetObjectRetention: getObjectRetention,
  PutObjectRetention: putObjectRetention,
  GetObjectLegalHold: getObjectLegalHold,
  PutObjectLegalHold: putObjectLegalHold,
  GetObjectAttributes: getObjectAttributes,
};

/** The operation a request names (for logs), or undefined for a method S3 has none for. */
export function operationOf(req: S3Request): S3OperationName | undefined {
  const routed = routeS3({ method: req.method, bucket: req.bucket, key: req.key, query: req.query, headers: { 'x-amz-copy-source': header(req, 'x-amz-copy-source') } });
  return 'operation' in routed ? routed.operation : undefined;
}

export async function handleS3(ctx: S3Context, req: S3Request): Promise<S3Response> {
  const routed = routeS3({ method: req.method, bucket: req.bucket, key: req.key, query: req.query, headers: { 'x-amz-copy-source': header(req, 'x-amz-copy-source') } });
  if ('methodNotAllowed' in routed) {
    throw s3Error('MethodNotAllowed', undefined, { Method: req.method, ResourceType: routed.methodNotAllowed });
  }
  const handler = HANDLERS[routed.operation];
  if (!handler) throw s3Error('NotImplemented', `${routed.operation} is not implemented by Basalt yet.`);
  const expectedOwner = header(req, 'x-amz-expected-bucket-owner');
  if (expectedOwner !== undefined && req.bucket !== undefined && routed.operation !== 'CreateBucket') {
    const bucket = await getBucket(ctx.store, req.bucket);
    if (bucket && bucket.accountId !== expectedOwner) throw s3Error('AccessDenied');
  }
  return handler(ctx, req);
}
