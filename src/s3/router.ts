/**
 * Pure S3 routing: (method, bucket?, key?, query, a few headers) → the operation the S3 model binds them to.
 * Every operation of the 2006-03-01 model has a name here, so a request Basalt does not serve yet is answered
 * `NotImplemented` by name instead of falling through to a served operation (e.g. `PUT /b?cors` must never be
 * CreateBucket). Sub-resources are checked before the plain forms, as S3 does.
 */

export const S3_OPERATIONS = [
  'AbortMultipartUpload', 'CompleteMultipartUpload', 'CopyObject', 'CreateBucket', 'CreateBucketMetadataTableConfiguration',
  'CreateMultipartUpload', 'CreateSession', 'DeleteBucket', 'DeleteBucketAnalyticsConfiguration', 'DeleteBucketCors',
  'DeleteBucketEncryption', 'DeleteBucketIntelligentTieringConfiguration', 'DeleteBucketInventoryConfiguration',
  'DeleteBucketLifecycle', 'DeleteBucketMetadataTableConfiguration', 'DeleteBucketMetricsConfiguration',
  'DeleteBucketOwnershipControls', 'DeleteBucketPolicy', 'DeleteBucketReplication', 'DeleteBucketTagging',
  'DeleteBucketWebsite', 'DeleteObject', 'DeleteObjectTagging', 'DeleteObjects', 'DeletePublicAccessBlock',
  'GetBucketAccelerateConfiguration', 'GetBucketAcl', 'GetBucketAnalyticsConfiguration', 'GetBucketCors',
  'GetBucketEncryption', 'GetBucketIntelligentTieringConfiguration', 'GetBucketInventoryConfiguration',
  'GetBucketLifecycleConfiguration', 'GetBucketLocation', 'GetBucketLogging', 'GetBucketMetadataTableConfiguration',
  'GetBucketMetricsConfiguration', 'GetBucketNotificationConfiguration', 'GetBucketOwnershipControls',
  'GetBucketPolicy', 'GetBucketPolicyStatus', 'GetBucketReplication', 'GetBucketRequestPayment', 'GetBucketTagging',
  'GetBucketVersioning', 'GetBucketWebsite', 'GetObject', 'GetObjectAcl', 'GetObjectAttributes', 'GetObjectLegalHold',
  'GetObjectLockConfiguration', 'GetObjectRetention', 'GetObjectTagging', 'GetObjectTorrent', 'GetPublicAccessBlock',
  'HeadBucket', 'HeadObject', 'ListBucketAnalyticsConfigurations', 'ListBucketIntelligentTieringConfigurations',
  'ListBucketInventoryConfigurations', 'ListBucketMetricsConfigurations', 'ListBuckets', 'ListDirectoryBuckets',
  'ListMultipartUploads', 'ListObjectVersions', 'ListObjects', 'ListObjectsV2', 'ListParts',
  'PutBucketAccelerateConfiguration', 'PutBucketAcl', 'PutBucketAnalyticsConfiguration', 'PutBucketCors',
  'PutBucketEncryption', 'PutBucketIntelligentTieringConfiguration', 'PutBucketInventoryConfiguration',
  'PutBucketLifecycleConfiguration', 'PutBucketLogging', 'PutBucketMetricsConfiguration',
  'PutBucketNotificationConfiguration', 'PutBucketOwnershipControls', 'PutBucketPolicy', 'PutBucketReplication',
  'PutBucketRequestPayment', 'PutBucketTagging', 'PutBucketVersioning', 'PutBucketWebsite', 'PutObject', 'PutObjectAcl',
  'PutObjectLegalHold', 'PutObjectLockConfiguration', 'PutObjectRetention', 'PutObjectTagging', 'PutPublicAccessBlock',
  'RestoreObject', 'SelectObjectContent', 'UploadPart', 'UploadPartCopy', 'WriteGetObjectResponse',
] as const;

export type S3OperationName = (typeof S3_OPERATIONS)[number];

export interface S3RouteInput {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  /** Query parameter names present (values do not matter for routing, except `list-type`, `x-id`). */
  query: ReadonlyMap<string, string>;
  /** Lowercase header names → value, only those that route: `x-amz-copy-source`. */
  headers: Readonly<Record<string, string | undefined>>;
}

/** The operation, or `MethodNotAllowed` for a method S3 has no operation for on that resource. */
export type S3RouteResult = { operation: S3OperationName } | { methodNotAllowed: 'SERVICE' | 'BUCKET' | 'OBJECT' };

type Table = ReadonlyArray<readonly [subresource: string, operation: S3OperationName]>;

// Bucket sub-resources per method, in the order S3 tests them. `analytics`, `inventory`, `metrics` and
// `intelligent-tiering` GETs are a list without `id` and a get with it.
const BUCKET_GET: Table = [
  ['accelerate', 'GetBucketAccelerateConfiguration'], ['acl', 'GetBucketAcl'], ['cors', 'GetBucketCors'],
  ['encryption', 'GetBucketEncryption'], ['lifecycle', 'GetBucketLifecycleConfiguration'],
  ['location', 'GetBucketLocation'], ['logging', 'GetBucketLogging'],
  ['metadataTable', 'GetBucketMetadataTableConfiguration'], ['notification', 'GetBucketNotificationConfiguration'],
  ['object-lock', 'GetObjectLockConfiguration'], ['ownershipControls', 'GetBucketOwnershipControls'],
  ['policy', 'GetBucketPolicy'], ['policyStatus', 'GetBucketPolicyStatus'], ['publicAccessBlock', 'GetPublicAccessBlock'],
  ['replication', 'GetBucketReplication'], ['requestPayment', 'GetBucketRequestPayment'], ['session', 'CreateSession'],
  ['tagging', 'GetBucketTagging'], ['uploads', 'ListMultipartUploads'], ['versioning', 'GetBucketVersioning'],
  ['versions', 'ListObjectVersions'], ['website', 'GetBucketWebsite'],
];
const BUCKET_GET_BY_ID: ReadonlyArray<readonly [string, S3OperationName, S3OperationName]> = [
  ['analytics', 'GetBucketAnalyticsConfiguration', 'ListBucketAnalyticsConfigurations'],
  ['intelligent-tiering', 'GetBucketIntelligentTieringConfiguration', 'ListBucketIntelligentTieringConfigurations'],
  ['inventory', 'GetBucketInventoryConfiguration', 'ListBucketInventoryConfigurations'],
  ['metrics', 'GetBucketMetricsConfiguration', 'ListBucketMetricsConfigurations'],
];
const BUCKET_PUT: Table = [
  ['accelerate', 'PutBucketAccelerateConfiguration'], ['acl', 'PutBucketAcl'], ['analytics', 'PutBucketAnalyticsConfiguration'],
  ['cors', 'PutBucketCors'], ['encryption', 'PutBucketEncryption'],
  ['intelligent-tiering', 'PutBucketIntelligentTieringConfiguration'], ['inventory', 'PutBucketInventoryConfiguration'],
  ['lifecycle', 'PutBucketLifecycleConfiguration'], ['logging', 'PutBucketLogging'], ['metrics', 'PutBucketMetricsConfiguration'],
  ['notification', 'PutBucketNotificationConfiguration'], ['object-lock', 'PutObjectLockConfiguration'],
  ['ownershipControls', 'PutBucketOwnershipControls'], ['policy', 'PutBucketPolicy'], ['publicAccessBlock', 'PutPublicAccessBlock'],
  ['replication', 'PutBucketReplication'], ['requestPayment', 'PutBucketRequestPayment'], ['tagging', 'PutBucketTagging'],
  ['versioning', 'PutBucketVersioning'], ['website', 'PutBucketWebsite'],
];
const BUCKET_DELETE: Table = [
  ['analytics', 'DeleteBucketAnalyticsConfiguration'], ['cors', 'DeleteBucketCors'], ['encryption', 'DeleteBucketEncryption'],
  ['intelligent-tiering', 'DeleteBucketIntelligentTieringConfiguration'], ['inventory', 'DeleteBucketInventoryConfiguration'],
  ['lifecycle', 'DeleteBucketLifecycle'], ['metadataTable', 'DeleteBucketMetadataTableConfiguration'],
  ['metrics', 'DeleteBucketMetricsConfiguration'], ['ownershipControls', 'DeleteBucketOwnershipControls'],
  ['policy', 'DeleteBucketPolicy'], ['publicAccessBlock', 'DeletePublicAccessBlock'], ['replication', 'DeleteBucketReplication'],
  ['tagging', 'DeleteBucketTagging'], ['website', 'DeleteBucketWebsite'],
];
const BUCKET_POST: Table = [['delete', 'DeleteObjects'], ['metadataTable', 'CreateBucketMetadataTableConfiguration']];

const OBJECT_GET: Table = [
  ['acl', 'GetObjectAcl'], ['attributes', 'GetObjectAttributes'], ['legal-hold', 'GetObjectLegalHold'],
  ['retention', 'GetObjectRetention'], ['tagging', 'GetObjectTagging'], ['torrent', 'GetObjectTorrent'], ['uploadId', 'ListParts'],
];
const OBJECT_PUT: Table = [
  ['acl', 'PutObjectAcl'], ['legal-hold', 'PutObjectLegalHold'], ['retention', 'PutObjectRetention'], ['tagging', 'PutObjectTagging'],
];
const OBJECT_DELETE: Table = [['tagging', 'DeleteObjectTagging'], ['uploadId', 'AbortMultipartUpload']];
const OBJECT_POST: Table = [
  ['restore', 'RestoreObject'], ['select', 'SelectObjectContent'], ['uploads', 'CreateMultipartUpload'],
  ['uploadId', 'CompleteMultipartUpload'],
];

function pick(table: Table, query: ReadonlyMap<string, string>): S3OperationName | undefined {
  for (const [sub, op] of table) if (query.has(sub)) return op;
  return undefined;
}

export function routeS3(input: S3RouteInput): S3RouteResult {
  const { method, bucket, key, query } = input;
  const m = method.toUpperCase();
  if (bucket === undefined) {
    if (m === 'GET') return { operation: 'ListBuckets' };
    if (m === 'POST' && key === undefined && query.get('x-id') === 'WriteGetObjectResponse') return { operation: 'WriteGetObjectResponse' };
    return { methodNotAllowed: 'SERVICE' };
  }
  if (key === undefined) {
    switch (m) {
      case 'GET': {
        for (const [sub, get, list] of BUCKET_GET_BY_ID) if (query.has(sub)) return { operation: query.has('id') ? get : list };
        const op = pick(BUCKET_GET, query);
        if (op) return { operation: op };
        return { operation: query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects' };
      }
      case 'HEAD':
        return { operation: 'HeadBucket' };
      case 'PUT':
        return { operation: pick(BUCKET_PUT, query) ?? 'CreateBucket' };
      case 'DELETE':
        return { operation: pick(BUCKET_DELETE, query) ?? 'DeleteBucket' };
      case 'POST': {
        const op = pick(BUCKET_POST, query);
        // A bare POST to a bucket is the browser-form upload, which the model does not describe.
        return op ? { operation: op } : { methodNotAllowed: 'BUCKET' };
      }
      default:
        return { methodNotAllowed: 'BUCKET' };
    }
  }
  const copy = input.headers['x-amz-copy-source'] !== undefined;
  switch (m) {
    case 'GET':
      return { operation: pick(OBJECT_GET, query) ?? 'GetObject' };
    case 'HEAD':
      return { operation: 'HeadObject' };
    case 'PUT': {
      if (query.has('partNumber') && query.has('uploadId')) return { operation: copy ? 'UploadPartCopy' : 'UploadPart' };
      const op = pick(OBJECT_PUT, query);
      if (op) return { operation: op };
      return { operation: copy ? 'CopyObject' : 'PutObject' };
    }
    case 'DELETE':
      return { operation: pick(OBJECT_DELETE, query) ?? 'DeleteObject' };
    case 'POST': {
      const op = pick(OBJECT_POST, query);
      return op ? { operation: op } : { methodNotAllowed: 'OBJECT' };
    }
    default:
      return { methodNotAllowed: 'OBJECT' };
  }
}
