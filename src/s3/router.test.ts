import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeS3, S3_OPERATIONS, type S3RouteResult } from './router';

function r(method: string, bucket: string | undefined, key: string | undefined, query = '', headers: Record<string, string> = {}): S3RouteResult {
  const q = new Map<string, string>();
  for (const part of query.split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    q.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? '' : part.slice(eq + 1));
  }
  return routeS3({ method, bucket, key, query: q, headers });
}

const CASES: [string, string | undefined, string | undefined, string, Record<string, string>, string][] = [
  ['GET', undefined, undefined, '', {}, 'ListBuckets'],
  ['GET', undefined, undefined, 'x-id=ListBuckets', {}, 'ListBuckets'],
  ['PUT', 'b', undefined, '', {}, 'CreateBucket'],
  ['DELETE', 'b', undefined, '', {}, 'DeleteBucket'],
  ['HEAD', 'b', undefined, '', {}, 'HeadBucket'],
  ['GET', 'b', undefined, '', {}, 'ListObjects'],
  ['GET', 'b', undefined, 'list-type=2&prefix=a', {}, 'ListObjectsV2'],
  ['GET', 'b', undefined, 'location', {}, 'GetBucketLocation'],
  ['GET', 'b', undefined, 'versions', {}, 'ListObjectVersions'],
  ['GET', 'b', undefined, 'uploads', {}, 'ListMultipartUploads'],
  ['GET', 'b', undefined, 'analytics', {}, 'ListBucketAnalyticsConfigurations'],
  ['GET', 'b', undefined, 'analytics&id=x', {}, 'GetBucketAnalyticsConfiguration'],
  ['GET', 'b', undefined, 'metrics', {}, 'ListBucketMetricsConfigurations'],
  ['GET', 'b', undefined, 'session', {}, 'CreateSession'],
  ['PUT', 'b', undefined, 'cors', {}, 'PutBucketCors'],
  ['PUT', 'b', undefined, 'versioning', {}, 'PutBucketVersioning'],
  ['PUT', 'b', undefined, 'tagging', {}, 'PutBucketTagging'],
  ['DELETE', 'b', undefined, 'policy', {}, 'DeleteBucketPolicy'],
  ['DELETE', 'b', undefined, 'publicAccessBlock', {}, 'DeletePublicAccessBlock'],
  ['POST', 'b', undefined, 'delete', {}, 'DeleteObjects'],
  ['PUT', 'b', 'k', '', {}, 'PutObject'],
  ['PUT', 'b', 'k', 'x-id=PutObject', {}, 'PutObject'],
  ['PUT', 'b', 'k', '', { 'x-amz-copy-source': '/a/b' }, 'CopyObject'],
  ['PUT', 'b', 'k', 'partNumber=1&uploadId=u', {}, 'UploadPart'],
  ['PUT', 'b', 'k', 'partNumber=1&uploadId=u', { 'x-amz-copy-source': '/a/b' }, 'UploadPartCopy'],
  ['PUT', 'b', 'k', 'acl', {}, 'PutObjectAcl'],
  ['PUT', 'b', 'k', 'tagging', {}, 'PutObjectTagging'],
  ['PUT', 'b', 'k', 'retention', {}, 'PutObjectRetention'],
  ['PUT', 'b', 'k', 'legal-hold', {}, 'PutObjectLegalHold'],
  ['GET', 'b', 'k', '', {}, 'GetObject'],
  ['GET', 'b', 'k', 'partNumber=1', {}, 'GetObject'],
  ['GET', 'b', 'k', 'versionId=v', {}, 'GetObject'],
  ['GET', 'b', 'k', 'acl', {}, 'GetObjectAcl'],
  ['GET', 'b', 'k', 'tagging', {}, 'GetObjectTagging'],
  ['GET', 'b', 'k', 'attributes', {}, 'GetObjectAttributes'],
  ['GET', 'b', 'k', 'uploadId=u', {}, 'ListParts'],
  ['GET', 'b', 'k', 'torrent', {}, 'GetObjectTorrent'],
  ['HEAD', 'b', 'k', '', {}, 'HeadObject'],
  ['DELETE', 'b', 'k', '', {}, 'DeleteObject'],
  ['DELETE', 'b', 'k', 'tagging', {}, 'DeleteObjectTagging'],
  ['DELETE', 'b', 'k', 'uploadId=u', {}, 'AbortMultipartUpload'],
  ['POST', 'b', 'k', 'uploads', {}, 'CreateMultipartUpload'],
  ['POST', 'b', 'k', 'uploadId=u', {}, 'CompleteMultipartUpload'],
  ['POST', 'b', 'k', 'restore', {}, 'RestoreObject'],
  ['POST', 'b', 'k', 'select&select-type=2', {}, 'SelectObjectContent'],
];

test('every request form maps to its model operation', () => {
  for (const [method, bucket, key, query, headers, expected] of CASES) {
    assert.deepEqual(r(method, bucket, key, query, headers), { operation: expected }, `${method} /${bucket ?? ''}/${key ?? ''}?${query}`);
  }
});

test('the table names all 98 operations of the S3 model exactly once', () => {
  assert.equal(new Set(S3_OPERATIONS).size, S3_OPERATIONS.length);
  assert.equal(S3_OPERATIONS.length, 98);
});

test('sub-resources never fall through to the plain bucket or object operation', () => {
  // A bucket PUT with any configuration sub-resource is never CreateBucket.
  for (const sub of ['acl', 'cors', 'encryption', 'lifecycle', 'logging', 'notification', 'object-lock', 'ownershipControls', 'policy', 'replication', 'requestPayment', 'website', 'accelerate', 'intelligent-tiering', 'inventory', 'metrics', 'analytics', 'publicAccessBlock']) {
    const result = r('PUT', 'b', undefined, sub);
    assert.ok('operation' in result && result.operation !== 'CreateBucket', sub);
  }
  assert.notDeepEqual(r('DELETE', 'b', undefined, 'cors'), { operation: 'DeleteBucket' });
  assert.notDeepEqual(r('GET', 'b', 'k', 'retention'), { operation: 'GetObject' });
});

test('methods S3 has no operation for are MethodNotAllowed with the resource type', () => {
  assert.deepEqual(r('PUT', undefined, undefined), { methodNotAllowed: 'SERVICE' });
  assert.deepEqual(r('PATCH', 'b', undefined), { methodNotAllowed: 'BUCKET' });
  assert.deepEqual(r('POST', 'b', undefined), { methodNotAllowed: 'BUCKET' });
  assert.deepEqual(r('POST', 'b', 'k'), { methodNotAllowed: 'OBJECT' });
  assert.deepEqual(r('OPTIONS', 'b', 'k'), { methodNotAllowed: 'OBJECT' });
});

test('a key that looks like a path is an ordinary key', () => {
  assert.deepEqual(r('PUT', 'b', '../x'), { operation: 'PutObject' });
});
