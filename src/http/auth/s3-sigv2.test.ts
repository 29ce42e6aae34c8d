import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../errors/aws-error';
import { CredentialStore } from './credentials';
import { verifyRequest, type SignedRequest } from './sigv4';

// The worked examples of S3's developer guide (RESTAuthentication), with its example key: each request and
// signature as published there.
const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', accountId: '111122223333' };
const store = new CredentialStore([KEY]);
// The guide's signatures were made when its examples' bucket was still called johnsmith.
const BUCKET = 'johnsmith';

interface Example {
  label: string;
  req: SignedRequest;
  date: string;
  signature: string;
}

const example = (label: string, method: string, path: string, query: string, hostBucket: string | undefined, date: string, signature: string, headers: SignedRequest['headers'] = {}): Example => ({
  label,
  date,
  signature,
  req: { method, rawPath: path, rawQuery: query, hostBucket, headers: { date, authorization: `AWS ${KEY.accessKeyId}:${signature}`, ...headers } },
});

const EXAMPLES: Example[] = [
  example('object GET', 'GET', '/photos/puppy.jpg', '', BUCKET, 'Tue, 27 Mar 2007 19:36:42 +0000', 'bWq2s1WEIj+Ydj0vQ697zp+IXMU='),
  example('object PUT', 'PUT', '/photos/puppy.jpg', '', BUCKET, 'Tue, 27 Mar 2007 21:15:45 +0000', 'MyyxeRY7whkBe+bq8fHCL/2kKUg=', {
    'content-type': 'image/jpeg',
    'content-length': '94328',
  }),
  example('list, query not signed', 'GET', '/', 'prefix=photos&max-keys=50&marker=puppy', BUCKET, 'Tue, 27 Mar 2007 19:42:41 +0000', 'htDYFYduRNen8P9ZfE/s9SuKy0U='),
  example('sub-resource', 'GET', '/', 'acl', BUCKET, 'Tue, 27 Mar 2007 19:44:46 +0000', 'c2WLPFtWHVgbEmeEG93a4cG37dM='),
  example('CNAME bucket, x-amz-* headers', 'PUT', '/db-backup.dat.gz', '', 'static.johnsmith.net', 'Tue, 27 Mar 2007 21:06:08 +0000', 'ilyl83RwaSoYIEdixDQcA4OnAnc=', {
    'x-amz-acl': 'public-read',
    'content-type': 'application/x-download',
    'content-md5': '4gJE4saaMU4BqNR0kLY+lw==',
    'x-amz-meta-reviewedby': ['joe@johnsmith.net', 'jane@johnsmith.net'],
    'x-amz-meta-filechecksum': '0x02661779',
    'x-amz-meta-checksumalgorithm': 'crc32',
    'content-disposition': 'attachment; filename=database.dat',
    'content-encoding': 'gzip',
  }),
  example('list buckets', 'GET', '/', '', undefined, 'Wed, 28 Mar 2007 01:29:59 +0000', 'qGdzdERIC03wnaRNKh6OqZehG9s='),
  example('path signed as sent', 'GET', '/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re', '', undefined, 'Wed, 28 Mar 2007 01:49:49 +0000', 'DNEZGsoieTZ92F3bUfSPQcbGmlM='),
];

function rejection(req: SignedRequest, now: number): AwsError {
  try {
    verifyRequest(req, store, { service: 's3', now });
  } catch (err) {
    if (err instanceof AwsError) return err;
    throw err;
  }
  assert.fail('accepted');
}

const withHeaders = (req: SignedRequest, headers: SignedRequest['headers']): SignedRequest => ({ ...req, headers: { ...req.headers, ...headers } });

describe('S3 Signature Version 2, Authorization header', () => {
  for (const { label, req, date } of EXAMPLES) {
    it(`accepts the guide's example: ${label}`, () => {
      const result = verifyRequest(req, store, { service: 's3', now: Date.parse(date) + 60_000 });
      assert.notEqual(result, 'anonymous');
      assert.deepEqual(result, { accessKeyId: KEY.accessKeyId, accountId: KEY.accountId, region: 'us-east-1', service: 's3', signedPayload: false });
    });
  }

  it('rejects a change to anything signed, showing the string it signed', () => {
    const { req, date } = EXAMPLES[1]!;
    const now = Date.parse(date);
    const changes: [string, SignedRequest][] = [
      ['method', { ...req, method: 'POST' }],
      ['path', { ...req, rawPath: '/photos/kitten.jpg' }],
      ['bucket', { ...req, hostBucket: 'otherbucket' }],
      ['sub-resource', { ...req, rawQuery: 'acl' }],
      ['content-type', withHeaders(req, { 'content-type': 'image/png' })],
      ['content-md5', withHeaders(req, { 'content-md5': '4gJE4saaMU4BqNR0kLY+lw==' })],
      ['x-amz header', withHeaders(req, { 'x-amz-acl': 'public-read' })],
    ];
    for (const [label, changed] of changes) assert.equal(rejection(changed, now).code, 'SignatureDoesNotMatch', label);
    const err = rejection({ ...req, method: 'POST' }, now);
    assert.equal(err.status, 403);
    assert.equal(err.message, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    const toSign = 'POST\n\nimage/jpeg\nTue, 27 Mar 2007 21:15:45 +0000\n/johnsmith/photos/puppy.jpg';
    assert.deepEqual(err.fields, {
      AWSAccessKeyId: KEY.accessKeyId,
      StringToSign: toSign,
      SignatureProvided: 'MyyxeRY7whkBe+bq8fHCL/2kKUg=',
      StringToSignBytes: Buffer.from(toSign).toString('hex').replace(/(..)(?=.)/g, '$1 '),
    });
    // Unsigned query parameters and headers can change.
    assert.notEqual(verifyRequest({ ...req, rawQuery: 'x-id=PutObject' }, store, { service: 's3', now }), 'anonymous');
    assert.notEqual(verifyRequest(withHeaders(req, { 'user-agent': 'curl' }), store, { service: 's3', now }), 'anonymous');
  });

  it('dates by x-amz-date when present, leaving the Date line empty, within 15 minutes', () => {
    const date = 'Tue, 27 Mar 2007 21:20:26 +0000';
    const now = Date.parse(date);
    const base: SignedRequest = { method: 'DELETE', rawPath: '/awsexamplebucket1/photos/puppy.jpg', rawQuery: '', headers: { 'x-amz-date': date, date: 'Tue, 27 Mar 2007 21:20:27 +0000' } };
    const err = rejection(withHeaders(base, { authorization: `AWS ${KEY.accessKeyId}:wrong` }), now);
    assert.equal(err.fields!.StringToSign, `DELETE\n\n\n\nx-amz-date:${date}\n/awsexamplebucket1/photos/puppy.jpg`);

    const skewed = rejection(withHeaders(base, { authorization: `AWS ${KEY.accessKeyId}:wrong` }), now + 16 * 60_000);
    assert.equal(skewed.code, 'RequestTimeTooSkewed');
    assert.equal(skewed.message, 'The difference between the request time and the current time is too large.');
    assert.deepEqual(skewed.fields, { RequestTime: date, ServerTime: '2007-03-27T21:36:26Z', MaxAllowedSkewMilliseconds: 900000 });

    const undated = rejection({ ...base, headers: { authorization: `AWS ${KEY.accessKeyId}:x` } }, now);
    assert.equal(undated.code, 'AccessDenied');
    assert.equal(undated.message, 'AWS authentication requires a valid Date or x-amz-date header');
  });

  it('answers malformed headers and unknown keys like S3', () => {
    const { req, date } = EXAMPLES[0]!;
    const now = Date.parse(date);
    const cases: [string, string, string][] = [
      ['AWS AKIAIOSFODNN7EXAMPLE', 'InvalidArgument', 'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature'],
      ['AWS AKIAIOSFODNN7EXAMPLE:a:b', 'InvalidArgument', 'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature'],
      ['AWS  AKIAIOSFODNN7EXAMPLE:abc', 'InvalidArgument', "Authorization header is invalid -- one and only one ' ' (space) required"],
      ['AWS', 'InvalidArgument', "Authorization header is invalid -- one and only one ' ' (space) required"],
      ['AWS NOSUCHKEY:abc', 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'],
    ];
    for (const [authorization, code, message] of cases) {
      const err = rejection(withHeaders(req, { authorization }), now);
      assert.equal(err.code, code, authorization);
      assert.equal(err.message, message, authorization);
    }
    assert.deepEqual(rejection(withHeaders(req, { authorization: 'AWS x' }), now).fields, { ArgumentName: 'Authorization', ArgumentValue: 'AWS x' });
  });
});

describe('S3 Signature Version 2, presigned URLs', () => {
  // The guide's query-string example: Expires takes the Date line.
  const url: SignedRequest = {
    method: 'GET',
    rawPath: '/photos/puppy.jpg',
    rawQuery: 'AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620',
    hostBucket: BUCKET,
    headers: {},
  };
  const before = 1175139620 * 1000 - 1000;

  it("accepts the guide's example until it expires", () => {
    assert.notEqual(verifyRequest(url, store, { service: 's3', now: before }), 'anonymous');
    const err = rejection(url, 1175139620 * 1000 + 1000);
    assert.equal(err.code, 'AccessDenied');
    assert.equal(err.message, 'Request has expired');
    assert.deepEqual(err.fields, { Expires: '2007-03-29T03:40:20Z', ServerTime: '2007-03-29T03:40:21Z' });
  });

  it('rejects a changed URL, missing or malformed parameters, and a second mechanism', () => {
    assert.equal(rejection({ ...url, rawPath: '/photos/kitten.jpg' }, before).code, 'SignatureDoesNotMatch');
    assert.equal(rejection({ ...url, rawQuery: url.rawQuery.replace('1175139620', '1175139621') }, before).code, 'SignatureDoesNotMatch');
    const missing = 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters';
    for (const query of ['AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620', 'Signature=abc&Expires=1175139620', 'AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=abc']) {
      const err = rejection({ ...url, rawQuery: query }, before);
      assert.equal(err.code, 'AccessDenied', query);
      assert.equal(err.message, missing, query);
    }
    const badDate = rejection({ ...url, rawQuery: url.rawQuery.replace('1175139620', 'tomorrow') }, before);
    assert.equal(badDate.message, 'Invalid date (should be seconds since epoch): tomorrow');
    const both = rejection(withHeaders(url, { authorization: `AWS ${KEY.accessKeyId}:abc`, date: 'Thu, 29 Mar 2007 03:40:19 GMT' }), before);
    assert.equal(both.code, 'InvalidArgument');
  });

  it('signs sub-resources and response overrides with their decoded values, sorted by name', () => {
    const err = rejection(
      {
        method: 'GET',
        rawPath: '/b/k%20ey',
        rawQuery: 'versionId=3%2F4&response-content-disposition=attachment%3B%20filename%3Da.txt&list-type=2&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x&Expires=1175139620',
        headers: { 'x-amz-meta-b': '2', 'x-amz-meta-a': ' 1 ' },
      },
      before,
    );
    assert.equal(
      err.fields!.StringToSign,
      'GET\n\n\n1175139620\nx-amz-meta-a:1\nx-amz-meta-b:2\n/b/k%20ey?response-content-disposition=attachment; filename=a.txt&versionId=3/4',
    );
  });

  it('signs a bucket addressed path-style with a trailing slash, as the SDKs do', () => {
    const toSign = (rawPath: string, rawQuery: string, hostBucket?: string) =>
      rejection({ method: 'GET', rawPath, rawQuery: `${rawQuery}&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=x&Expires=1175139620`, hostBucket, headers: {} }, before)
        .fields!.StringToSign as string;
    assert.match(toSign('/b', 'uploads'), /\n\/b\/\?uploads$/);
    assert.match(toSign('/b/', 'location'), /\n\/b\/\?location$/);
    assert.match(toSign('/', 'location', 'b'), /\n\/b\/\?location$/);
    assert.match(toSign('/', 'x=1'), /\n\/$/);
  });
});
