import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { buildQueryString, escapeUri, HttpRequest } from '@smithy/core/protocols';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsError } from '../../errors/aws-error';
import { CredentialStore } from './credentials';
import { requestTime } from './signed-request';
import { verifyRequest, type AuthResult, type SignedRequest, type SignedService } from './sigv4';

// Requests are signed by the SDK's own signer (and, end to end, by the real clients), then replayed as the
// server sees them: raw path, raw query as the Node handler writes it, lowercase headers.

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0);
const MINUTE = 60_000;
const REGION = 'eu-west-3';
const KEY = { accessKeyId: 'AKIDBASALTEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', accountId: '123456789012' };
const OTHER_KEY = { accessKeyId: 'AKIDOTHEREXAMPLE', secretAccessKey: 'another/secret+key', accountId: '210987654321' };
const store = new CredentialStore([KEY, OTHER_KEY]);

const SIGNATURE_MISMATCH_DYNAMO =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

function signer(service: SignedService) {
  return new SignatureV4({
    service,
    region: REGION,
    credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey },
    sha256: Sha256,
    uriEscapePath: service !== 's3',
    applyChecksum: service === 's3',
  });
}

const sign = async (service: SignedService, request: HttpRequest, at = NOW): Promise<HttpRequest> =>
  (await signer(service).sign(request, { signingDate: new Date(at) })) as HttpRequest;

/** Like @aws-sdk/s3-request-presigner: the URL declares UNSIGNED-PAYLOAD and content-type stays unsigned. */
const presign = async (request: HttpRequest, expiresIn = 900, at = NOW): Promise<HttpRequest> => {
  request.headers['X-Amz-Content-Sha256'] = 'UNSIGNED-PAYLOAD';
  return (await signer('s3').presign(request, {
    signingDate: new Date(at),
    expiresIn,
    unsignableHeaders: new Set(['content-type']),
  })) as HttpRequest;
};

/** What reaches the server: the Node HTTP handler's path and query string, and Node's lowercase headers. */
function onTheWire(signed: HttpRequest, body?: string | Uint8Array): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return {
    method: signed.method,
    rawPath: signed.path,
    rawQuery: buildQueryString(signed.query ?? {}),
    headers,
    payloadHash: body === undefined ? undefined : sha256(body),
  };
}

function verify(req: SignedRequest, service: 'dynamodb', now?: number): AuthResult;
function verify(req: SignedRequest, service: SignedService, now?: number): AuthResult | 'anonymous';
function verify(req: SignedRequest, service: SignedService, now = NOW): AuthResult | 'anonymous' {
  return verifyRequest(req, store, { service, now });
}

function rejects(req: SignedRequest, service: SignedService, code: string, message: string | undefined, label: string): AwsError {
  let error: unknown;
  try {
    verify(req, service);
  } catch (e) {
    error = e;
  }
  if (!(error instanceof AwsError)) assert.fail(`${label}: expected ${code}, got ${error === undefined ? 'acceptance' : String(error)}`);
  assert.equal(error.code, code, `${label}: ${error.message}`);
  if (message !== undefined) assert.equal(error.message, message, label);
  return error;
}

const withHeaders = (req: SignedRequest, headers: Record<string, string | undefined>): SignedRequest => ({
  ...req,
  headers: { ...req.headers, ...headers },
});

/** Rebuilds the Authorization header with some of its parts replaced. */
function withAuth(
  req: SignedRequest,
  change: { algorithm?: string; credential?: (parts: string[]) => string[]; signedHeaders?: string; signature?: string },
): SignedRequest {
  const auth = req.headers.authorization as string;
  const m = /^(\S+) Credential=([^,]+), SignedHeaders=([^,]+), Signature=(\S+)$/.exec(auth)!;
  const credential = change.credential ? change.credential(m[2]!.split('/')).join('/') : m[2];
  const header = `${change.algorithm ?? m[1]} Credential=${credential}, SignedHeaders=${change.signedHeaders ?? m[3]}, Signature=${change.signature ?? m[4]}`;
  return withHeaders(req, { authorization: header });
}

const replaceCredentialPart = (index: number, value: string) => (parts: string[]) =>
  parts.map((part, i) => (i === index ? value : part));

const signatureOf = (req: SignedRequest): string => /Signature=(\w+)/.exec(req.headers.authorization as string)![1]!;

const otherChar = (c: string): string => (c === 'Z' ? 'Y' : 'Z');
const otherHex = (c: string): string => (c === '0' ? '1' : '0');

/** Every single-character substitution in the path. */
function pathMutations(req: SignedRequest): Array<[string, SignedRequest]> {
  return [...req.rawPath].map((c, i) => [
    `path[${i}] ${c}`,
    { ...req, rawPath: req.rawPath.slice(0, i) + otherChar(c) + req.rawPath.slice(i + 1) },
  ]);
}

/** For each query pair: name changed, value changed, pair dropped, pair repeated; plus one pair added. */
function queryMutations(req: SignedRequest): Array<[string, string, SignedRequest]> {
  const pairs = req.rawQuery === '' ? [] : req.rawQuery.split('&');
  const rebuild = (next: string[]): SignedRequest => ({ ...req, rawQuery: next.join('&') });
  const out: Array<[string, string, SignedRequest]> = [];
  pairs.forEach((pair, i) => {
    const [name, value = ''] = pair.split('=');
    const decodedName = decodeURIComponent(name!);
    const replaced = (p: string) => rebuild(pairs.map((q, j) => (j === i ? p : q)));
    out.push([`name:${decodedName}`, `query name ${name}`, replaced(`${name}x=${value}`)]);
    out.push([`value:${decodedName}`, `query value of ${name}`, replaced(`${name}=${value}x`)]);
    out.push([`drop:${decodedName}`, `query ${name} dropped`, rebuild(pairs.filter((_, j) => j !== i))]);
    out.push([`repeat:${decodedName}`, `query ${name} repeated`, rebuild([...pairs, pair])]);
  });
  out.push(['add', 'query pair added', rebuild([...pairs, 'extra=1'])]);
  return out;
}

/** Every hex digit changed, plus case, length. */
function signatureMutations(signature: string, build: (sig: string) => SignedRequest) {
  const out: Array<[string, SignedRequest]> = [...signature].map((c, i) => [
    `signature[${i}]`,
    build(signature.slice(0, i) + otherHex(c) + signature.slice(i + 1)),
  ]);
  out.push(['signature uppercased', build(signature.toUpperCase())]);
  out.push(['signature truncated', build(signature.slice(0, -1))]);
  out.push(['signature extended', build(`${signature}0`)]);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// DynamoDB

const DYNAMO_BODY = JSON.stringify({ TableName: 'Music', Key: { Artist: { S: 'Acme Band' }, SongTitle: { S: 'Happy Day ü' } } });

const dynamoRequest = (body = DYNAMO_BODY, path = '/') =>
  new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: 'localhost',
    port: 8000,
    path,
    headers: {
      host: 'localhost:8000',
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.GetItem',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  });

const signedDynamo = async (at = NOW) => onTheWire(await sign('dynamodb', dynamoRequest(), at), DYNAMO_BODY);

describe('DynamoDB signatures', () => {
  it('accepts a request signed by the SDK signer and names the signer', async () => {
    assert.deepEqual(verify(await signedDynamo(), 'dynamodb'), {
      accessKeyId: KEY.accessKeyId,
      accountId: KEY.accountId,
      region: REGION,
      service: 'dynamodb',
      signedPayload: true,
      declaredPayloadHash: sha256(DYNAMO_BODY),
    });
  });

  it('normalises and double-encodes the path like the SDK does for services other than S3', async () => {
    const path = '/foo%20bar/./baz//qux/../caf%C3%A9~+/';
    const req = onTheWire(await sign('dynamodb', dynamoRequest(DYNAMO_BODY, path)), DYNAMO_BODY);
    assert.equal(verify(req, 'dynamodb').accessKeyId, KEY.accessKeyId);
  });

  it('rejects every single-field change with the exact error', async () => {
    const req = await signedDynamo();
    const mismatch = (r: SignedRequest, label: string) =>
      rejects(r, 'dynamodb', 'InvalidSignatureException', SIGNATURE_MISMATCH_DYNAMO, label);

    mismatch({ ...req, method: 'PUT' }, 'method');
    for (const [label, r] of pathMutations(req)) mismatch(r, label);
    for (const [, label, r] of queryMutations(req)) mismatch(r, label);
    for (const name of ['host', 'content-type', 'x-amz-target', 'content-length']) {
      mismatch(withHeaders(req, { [name]: `${req.headers[name]}x` }), `header ${name}`);
      mismatch(withHeaders(req, { [name]: undefined }), `header ${name} removed`);
    }
    mismatch(withHeaders(req, { 'x-amz-date': '20240115T120001Z' }), 'x-amz-date one second later');
    mismatch({ ...req, payloadHash: sha256(`${DYNAMO_BODY} `) }, 'body');
    mismatch(
      withAuth(withHeaders(req, { 'x-extra': '1' }), { signedHeaders: 'content-length;content-type;host;x-amz-date;x-amz-target;x-extra' }),
      'extra signed header',
    );
    mismatch(withAuth(req, { signedHeaders: 'content-type;host;x-amz-date;x-amz-target' }), 'signed header dropped');
    mismatch(withAuth(req, { credential: replaceCredentialPart(2, 'us-east-1') }), 'credential region');
    mismatch(withAuth(req, { credential: replaceCredentialPart(0, OTHER_KEY.accessKeyId) }), 'other known access key');
    for (const [label, r] of signatureMutations(signatureOf(req), (signature) => withAuth(req, { signature }))) mismatch(r, label);

    rejects(
      withHeaders(req, { 'x-amz-date': '20240115T120000Zx' }),
      'dynamodb',
      'IncompleteSignatureException',
      "Date must be in ISO-8601 'basic format'. Got '20240115T120000Zx'. See http://en.wikipedia.org/wiki/ISO_8601",
      'x-amz-date malformed',
    );
    rejects(
      withAuth(req, { credential: replaceCredentialPart(1, '20240116') }),
      'dynamodb',
      'InvalidSignatureException',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240116' != '20240115', from '20240115T120000Z'.",
      'credential date',
    );
    rejects(
      withAuth(req, { credential: replaceCredentialPart(3, 's3') }),
      'dynamodb',
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'dynamodb'. ",
      'credential service',
    );
    rejects(
      withAuth(req, { credential: replaceCredentialPart(4, 'aws4_requestx') }),
      'dynamodb',
      'InvalidSignatureException',
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_requestx'. ",
      'credential terminator',
    );
    rejects(
      withAuth(req, { credential: replaceCredentialPart(2, '') }),
      'dynamodb',
      'InvalidSignatureException',
      "Credential should be scoped to a valid region, not ''. ",
      'credential region empty',
    );
    rejects(
      withAuth(req, { credential: (parts) => replaceCredentialPart(3, 's3')(replaceCredentialPart(1, '20240116')(parts)) }),
      'dynamodb',
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'dynamodb'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240116' != '20240115', from '20240115T120000Z'.",
      'credential service and date, in one message',
    );
    rejects(
      withAuth(req, { credential: replaceCredentialPart(0, 'AKIDUNKNOWN') }),
      'dynamodb',
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      'unknown access key',
    );
    rejects(
      withAuth(req, { signedHeaders: 'content-length;content-type;x-amz-date;x-amz-target' }),
      'dynamodb',
      'InvalidSignatureException',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      'host not signed',
    );
    rejects(
      withAuth(req, { algorithm: 'AWS4-HMAC-SHA512' }),
      'dynamodb',
      'IncompleteSignatureException',
      "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
      'algorithm',
    );
    // Every mutation above was of a copy: the original still passes.
    assert.equal(verify(req, 'dynamodb').accessKeyId, KEY.accessKeyId);
  });

  it('a header seen before (its parse is kept) is checked as fully as a new one', async () => {
    // Signed a moment before midnight, so the same header can come with the next day's date.
    const at = Date.UTC(2024, 0, 15, 23, 59, 50);
    const req = await signedDynamo(at);
    const outcome = (r: SignedRequest): string => {
      try {
        return `ok ${verify(r, 'dynamodb', at).accessKeyId}`;
      } catch (err) {
        return `${(err as AwsError).code}: ${(err as AwsError).message}`;
      }
    };
    const auth = req.headers.authorization as string;
    const signature = signatureOf(req);
    const variants: Array<[string, SignedRequest]> = [
      ['as signed', req],
      ['another signature', withAuth(req, { signature: signature.replace(/^./, (c) => otherHex(c)) })],
      ['a day later', withHeaders(req, { 'x-amz-date': '20240116T000005Z' })],
      ['no date', withHeaders(req, { 'x-amz-date': undefined })],
      ['host unsigned', withAuth(req, { signedHeaders: 'content-length;content-type;x-amz-date;x-amz-target' })],
      ['unknown key', withAuth(req, { credential: replaceCredentialPart(0, 'AKIDUNKNOWN') })],
      ['signature not last', withHeaders(req, { authorization: auth.replace(/^(\S+) (.*), (Signature=\w+)$/, '$1 $3, $2') })],
      ['a second signature after it', withHeaders(req, { authorization: `${auth}, Signature=${signature.replace(/^./, (c) => otherHex(c))}` })],
      ['spaces in the signature', withHeaders(req, { authorization: `${auth.slice(0, -4)} ${auth.slice(-4)}` })],
    ];
    const first = variants.map(([label, r]) => `${label}: ${outcome(r)}`);
    const again = variants.map(([label, r]) => `${label}: ${outcome(r)}`);
    assert.deepEqual(again, first);
    assert.deepEqual(first.slice(0, 2), [`as signed: ok ${KEY.accessKeyId}`, `another signature: InvalidSignatureException: ${SIGNATURE_MISMATCH_DYNAMO}`]);
    assert.equal(
      first[2],
      "a day later: InvalidSignatureException: Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240115' != '20240116', from '20240116T000005Z'.",
    );
    assert.ok(first[3]!.startsWith("no date: IncompleteSignatureException: Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."), first[3]);
    assert.equal(first[6], `signature not last: ok ${KEY.accessKeyId}`);
    // The last Signature parameter is the one checked, parsed or not.
    assert.equal(first[7], `a second signature after it: InvalidSignatureException: ${SIGNATURE_MISMATCH_DYNAMO}`);
  });

  it('answers unauthenticated and malformed requests like DynamoDB', async () => {
    const req = await signedDynamo();
    const missing = (r: SignedRequest, label: string) =>
      rejects(r, 'dynamodb', 'MissingAuthenticationTokenException', 'Request is missing Authentication Token', label);
    missing(withHeaders(req, { authorization: undefined }), 'no Authorization header');
    missing(withHeaders(req, { authorization: 'Bearer abc' }), 'another scheme');
    missing(withHeaders(req, { authorization: 'AWS AKIDBASALTEXAMPLE:c2lnbmF0dXJl' }), 'signature version 2');

    const incomplete = (auth: string, message: string, extra: Record<string, string | undefined> = {}) =>
      rejects(withHeaders(req, { authorization: auth, ...extra }), 'dynamodb', 'IncompleteSignatureException', message, auth);
    incomplete(
      'AWS4-HMAC-SHA256 Foo=Bar, Baz=Burp',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Foo=Bar, Baz=Burp",
    );
    incomplete(
      'AWS4-HMAC-SHA256 Credential=AKIDBASALTEXAMPLE/20240115/eu-west-3/dynamodb/aws4_request',
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=AKIDBASALTEXAMPLE/20240115/eu-west-3/dynamodb/aws4_request",
      { 'x-amz-date': undefined },
    );
    incomplete(
      'AWS4-HMAC-SHA256',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256",
    );
    incomplete(
      'AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders',
      "'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders'.",
    );
    incomplete(
      'AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host;x-amz-date, Signature=abc',
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'",
    );
    incomplete('AWS4-HMAC-SHA25 Credential=x', "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). ");
    const auth = req.headers.authorization as string;
    rejects(
      withHeaders(req, { 'x-amz-date': undefined }),
      'dynamodb',
      'IncompleteSignatureException',
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${auth}`,
      'no date',
    );
    // Trailing slashes after the terminator are ignored, as DynamoDB ignores them.
    assert.equal(verify(withAuth(req, { credential: (parts) => [...parts, '', ''] }), 'dynamodb').region, REGION);
  });

  it('rejects a clock skew beyond 15 minutes either way, and accepts 15 minutes exactly', async () => {
    rejects(
      await signedDynamo(NOW - 16 * MINUTE),
      'dynamodb',
      'InvalidSignatureException',
      'Signature expired: 20240115T114400Z is now earlier than 20240115T114500Z (20240115T120000Z - 15 min.)',
      'past',
    );
    rejects(
      await signedDynamo(NOW + 16 * MINUTE),
      'dynamodb',
      'InvalidSignatureException',
      'Signature not yet current: 20240115T121600Z is still later than 20240115T121500Z (20240115T120000Z + 15 min.)',
      'future',
    );
    assert.equal(verify(await signedDynamo(NOW - 15 * MINUTE), 'dynamodb').accountId, KEY.accountId);
    assert.equal(verify(await signedDynamo(NOW + 15 * MINUTE), 'dynamodb').accountId, KEY.accountId);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// S3

const BUCKET = 'basalt-bucket';
const ODD_KEY = "odd key+%~=ü/ünï cödé (1)!*'.txt";
const ODD_PATH = `/${BUCKET}/${ODD_KEY.split('/').map(escapeUri).join('/')}`;
const ODD_QUERY = {
  'response-content-disposition': 'attachment; filename="a b+c%d~e=f.txt"',
  versionId: 'v=1+2',
  tag: ['b', 'a', '', 'a'],
  empty: '',
  'x-id': 'GetObject',
};
const PUT_BODY = 'hello, odd world ü';

const s3Get = () =>
  new HttpRequest({
    method: 'GET',
    protocol: 'http:',
    hostname: 'localhost',
    port: 9000,
    path: ODD_PATH,
    query: { ...ODD_QUERY, tag: [...ODD_QUERY.tag] },
    headers: { host: 'localhost:9000', range: 'bytes=0-9', 'x-amz-request-payer': 'requester' },
  });

const s3Put = (headers: Record<string, string> = {}) =>
  new HttpRequest({
    method: 'PUT',
    protocol: 'http:',
    hostname: 'localhost',
    port: 9000,
    path: ODD_PATH,
    query: { 'x-id': 'PutObject' },
    headers: {
      host: 'localhost:9000',
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(Buffer.byteLength(PUT_BODY)),
      'x-amz-meta-greeting': '  multiple   spaces\there  ',
      ...headers,
    },
    body: PUT_BODY,
  });

const S3_MISMATCH = 'SignatureDoesNotMatch';

describe('S3 header signatures', () => {
  it('accepts GET and PUT requests with odd keys and query strings', async () => {
    const get = onTheWire(await sign('s3', s3Get()));
    assert.deepEqual(verify(get, 's3'), {
      accessKeyId: KEY.accessKeyId,
      accountId: KEY.accountId,
      region: REGION,
      service: 's3',
      signedPayload: false,
      declaredPayloadHash: sha256(''),
    });
    const put = onTheWire(await sign('s3', s3Put()));
    const streamed = verify(put, 's3');
    assert.ok(streamed !== 'anonymous');
    assert.equal(streamed.signedPayload, false, 'the S3 layer still has to hash the streamed body');
    assert.equal(streamed.declaredPayloadHash, sha256(PUT_BODY));
    const buffered = verify({ ...put, payloadHash: sha256(PUT_BODY) }, 's3');
    assert.ok(buffered !== 'anonymous');
    assert.equal(buffered.signedPayload, true);
  });

  it('accepts the declared payload modes and rejects others', async () => {
    for (const mode of ['UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER']) {
      const req = onTheWire(await sign('s3', s3Put({ 'x-amz-content-sha256': mode })));
      const result = verify({ ...req, payloadHash: sha256('anything') }, 's3');
      assert.ok(result !== 'anonymous');
      assert.deepEqual([result.signedPayload, result.declaredPayloadHash], [false, mode], mode);
    }
    const bogus = onTheWire(await sign('s3', s3Put({ 'x-amz-content-sha256': 'GIBBERISH' })));
    const error = rejects(bogus, 's3', 'InvalidArgument', undefined, 'bogus payload mode');
    assert.match(error.message, /^x-amz-content-sha256 must be UNSIGNED-PAYLOAD, .* or a valid sha256 value\.$/);
    assert.deepEqual(error.fields, { ArgumentName: 'x-amz-content-sha256', ArgumentValue: 'GIBBERISH' });
  });

  it('signs the canonical encoding, so equivalent encodings of the same path and query verify alike', async () => {
    const req = onTheWire(await sign('s3', s3Get()));
    const path = req.rawPath.replace('~', '%7E').replace('%C3%BC', '%c3%bc');
    const query = req.rawQuery.replace('attachment%3B%20filename', 'attachment%3B+filename');
    assert.notEqual(verify({ ...req, rawPath: path, rawQuery: query }, 's3'), 'anonymous');
  });

  it('rejects a buffered body that is not the declared one', async () => {
    const put = onTheWire(await sign('s3', s3Put()));
    const error = rejects({ ...put, payloadHash: sha256('tampered') }, 's3', 'XAmzContentSHA256Mismatch', undefined, 'body');
    assert.equal(error.status, 400);
    assert.deepEqual(error.fields, { ClientComputedContentSHA256: sha256(PUT_BODY), S3ComputedContentSHA256: sha256('tampered') });
  });

  it('explains a signature mismatch with the canonical request it signed', async () => {
    const req = onTheWire(await sign('s3', s3Get()));
    const good = signatureOf(req);
    const error = rejects(withAuth(req, { signature: '0'.repeat(64) }), 's3', S3_MISMATCH, undefined, 'wrong signature');
    assert.equal(error.status, 403);
    assert.equal(error.message, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    const fields = error.fields as Record<string, string>;
    assert.deepEqual(Object.keys(fields), [
      'AWSAccessKeyId', 'StringToSign', 'SignatureProvided', 'StringToSignBytes', 'CanonicalRequest', 'CanonicalRequestBytes',
    ]);
    assert.equal(fields.AWSAccessKeyId, KEY.accessKeyId);
    assert.equal(fields.SignatureProvided, '0'.repeat(64));
    assert.equal(fields.StringToSign, `AWS4-HMAC-SHA256\n20240115T120000Z\n20240115/${REGION}/s3/aws4_request\n${sha256(fields.CanonicalRequest!)}`);
    assert.match(fields.StringToSignBytes!, /^41 57 53 34 2d (?:[0-9a-f]{2} )+[0-9a-f]{2}$/);
    // The reported canonical request is byte for byte the SDK's: signing it reproduces the SDK's signature.
    const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
    const signingKey = hmac(hmac(hmac(hmac(`AWS4${KEY.secretAccessKey}`, '20240115'), REGION), 's3'), 'aws4_request');
    assert.equal(hmac(signingKey, fields.StringToSign!).toString('hex'), good);
    assert.match(fields.CanonicalRequest!, /^GET\n\/basalt-bucket\/odd%20key%2B%25~%3D%C3%BC\/.*\nempty=&response-content-disposition=/);
  });

  it('rejects every single-field change of a GET with the exact error', async () => {
    const req = onTheWire(await sign('s3', s3Get()));
    const mismatch = (r: SignedRequest, label: string) => rejects(r, 's3', S3_MISMATCH, undefined, label);

    mismatch({ ...req, method: 'HEAD' }, 'method');
    for (const [label, r] of pathMutations(req)) mismatch(r, label);
    for (const [, label, r] of queryMutations(req)) mismatch(r, label);
    for (const name of ['host', 'range', 'x-amz-request-payer']) {
      mismatch(withHeaders(req, { [name]: `${req.headers[name]}x` }), `header ${name}`);
    }
    mismatch(withHeaders(req, { range: undefined }), 'signed header removed');
    mismatch(withHeaders(req, { 'x-amz-content-sha256': sha256('x') }), 'x-amz-content-sha256');
    mismatch(withHeaders(req, { 'x-amz-date': '20240115T120001Z' }), 'x-amz-date one second later');
    const signed = 'host;range;x-amz-content-sha256;x-amz-date;x-amz-request-payer';
    mismatch(withAuth(withHeaders(req, { 'x-extra': '1' }), { signedHeaders: `${signed};x-extra` }), 'extra signed header');
    mismatch(withAuth(req, { credential: replaceCredentialPart(2, 'us-east-1') }), 'credential region');
    mismatch(withAuth(req, { credential: replaceCredentialPart(0, OTHER_KEY.accessKeyId) }), 'other known access key');
    for (const [label, r] of signatureMutations(signatureOf(req), (signature) => withAuth(req, { signature }))) mismatch(r, label);

    const malformed = (r: SignedRequest, detail: string, label: string) =>
      rejects(r, 's3', 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`, label);
    malformed(
      withAuth(req, { credential: replaceCredentialPart(1, '20240116') }),
      'Invalid credential date. Date is not the same as X-Amz-Date.',
      'credential date',
    );
    malformed(
      withAuth(req, { credential: replaceCredentialPart(3, 'dynamodb') }),
      'incorrect service "dynamodb". This endpoint belongs to "s3".',
      'credential service',
    );
    malformed(
      withAuth(req, { credential: replaceCredentialPart(4, 'aws4_requestx') }),
      'incorrect terminal "aws4_requestx". This endpoint uses "aws4_request".',
      'credential terminal',
    );
    const unknown = rejects(
      withAuth(req, { credential: replaceCredentialPart(0, 'AKIDUNKNOWN') }),
      's3',
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      'unknown access key',
    );
    assert.deepEqual(unknown.fields, { AWSAccessKeyId: 'AKIDUNKNOWN' });

    const notSigned = (r: SignedRequest, headers: string, label: string) => {
      const error = rejects(r, 's3', 'AccessDenied', 'There were headers present in the request which were not signed', label);
      assert.deepEqual(error.fields, { HeadersNotSigned: headers }, label);
    };
    notSigned(withAuth(req, { signedHeaders: 'range;x-amz-content-sha256;x-amz-date;x-amz-request-payer' }), 'host', 'host unsigned');
    notSigned(withAuth(req, { signedHeaders: 'host;range;x-amz-content-sha256;x-amz-date' }), 'x-amz-request-payer', 'x-amz header dropped');
    notSigned(withHeaders(req, { 'x-amz-copy-source': '/other/key', 'x-amz-acl': 'public-read' }), 'x-amz-acl, x-amz-copy-source', 'unsigned x-amz headers added');
    // An unsigned header outside x-amz-* changes nothing S3 cares about.
    assert.notEqual(verify(withHeaders(req, { 'user-agent': 'curl/8' }), 's3'), 'anonymous');

    rejects(
      withHeaders(req, { 'x-amz-date': '20240115T120000Zx' }),
      's3',
      'AccessDenied',
      'AWS authentication requires a valid Date or x-amz-date header',
      'x-amz-date malformed',
    );
    rejects(withHeaders(req, { 'x-amz-date': undefined }), 's3', 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', 'no date');
    rejects(
      withHeaders(req, { 'x-amz-content-sha256': undefined }),
      's3',
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
      'no x-amz-content-sha256',
    );
    assert.notEqual(verify(req, 's3'), 'anonymous');
  });

  it('rejects every single-field change of a PUT, body included', async () => {
    const req = { ...onTheWire(await sign('s3', s3Put())), payloadHash: sha256(PUT_BODY) };
    const mismatch = (r: SignedRequest, label: string) => rejects(r, 's3', S3_MISMATCH, undefined, label);
    mismatch({ ...req, method: 'POST' }, 'method');
    for (const [label, r] of pathMutations(req)) mismatch(r, label);
    for (const [, label, r] of queryMutations(req)) mismatch(r, label);
    for (const name of ['host', 'content-type', 'content-length', 'x-amz-meta-greeting']) {
      mismatch(withHeaders(req, { [name]: `${req.headers[name]}x` }), `header ${name}`);
    }
    // Spacing inside a header value is canonicalised away, as the SDK does when signing.
    assert.notEqual(verify(withHeaders(req, { 'x-amz-meta-greeting': 'multiple spaces here' }), 's3'), 'anonymous');
    rejects({ ...req, payloadHash: sha256(`${PUT_BODY}!`) }, 's3', 'XAmzContentSHA256Mismatch', undefined, 'body');
  });

  it('answers other authorization forms and malformed headers like S3', async () => {
    const req = onTheWire(await sign('s3', s3Get()));
    const unsigned = { ...req, headers: { host: 'localhost:9000' } };
    assert.equal(verify(unsigned, 's3'), 'anonymous');

    const unsupported = rejects(withHeaders(unsigned, { authorization: 'Bearer abc' }), 's3', 'InvalidArgument', 'Unsupported Authorization Type', 'bearer');
    assert.deepEqual(unsupported.fields, { ArgumentName: 'Authorization', ArgumentValue: 'Bearer abc' });
    // Signature Version 2 (`AWS AKID:signature`, `AWSAccessKeyId=…&Signature=…`) has its own tests: s3-sigv2.test.ts.
    const both = rejects({ ...req, rawQuery: `${req.rawQuery}&X-Amz-Algorithm=AWS4-HMAC-SHA256` }, 's3', 'InvalidArgument', undefined, 'both');
    assert.equal(
      both.message,
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    );

    const malformed = (auth: string, detail: string) =>
      rejects(withHeaders(req, { authorization: auth }), 's3', 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`, auth);
    const cred = `${KEY.accessKeyId}/20240115/${REGION}/s3/aws4_request`;
    const three = 'the authorization header requires three components: Credential, SignedHeaders, and Signature.';
    malformed('AWS4-HMAC-SHA256', three);
    malformed(`AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=host`, three);
    malformed(`AWS4-HMAC-SHA256 Credential=${cred}, Foo=bar, Signature=abc`, 'the authorization component "Foo=bar" is malformed.');
    malformed(`AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders, Signature=abc`, 'the authorization component "SignedHeaders" is malformed.');
    const malformedCredential = 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".';
    malformed(`AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/20240115/${REGION}/s3, SignedHeaders=host, Signature=abc`, malformedCredential);
    malformed(`AWS4-HMAC-SHA256 Credential=/20240115/${REGION}/s3/aws4_request, SignedHeaders=host, Signature=abc`,
      'a non-empty Access Key (AKID) must be provided in the credential.');
    malformed(`AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/2024011/${REGION}/s3/aws4_request, SignedHeaders=host, Signature=abc`,
      'incorrect date format "2024011". This date in the credential must be in the format "yyyyMMdd".');
  });

  it('reports a clock skew beyond 15 minutes with S3 fields', async () => {
    for (const offset of [-16 * MINUTE, 16 * MINUTE]) {
      const req = onTheWire(await sign('s3', s3Get(), NOW + offset));
      const error = rejects(req, 's3', 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', `skew ${offset}`);
      assert.equal(error.status, 403);
      assert.deepEqual(error.fields, {
        RequestTime: req.headers['x-amz-date'],
        ServerTime: '2024-01-15T12:00:00Z',
        MaxAllowedSkewMilliseconds: 900000,
      });
    }
    assert.notEqual(verify(onTheWire(await sign('s3', s3Get(), NOW - 15 * MINUTE)), 's3'), 'anonymous');
  });
});

describe('S3 presigned URLs', () => {
  it('accepts URLs presigned like the JS presigner and like boto3 (no X-Amz-Content-Sha256)', async () => {
    const js = onTheWire(await presign(s3Get()));
    assert.match(js.rawQuery, /X-Amz-Content-Sha256=UNSIGNED-PAYLOAD/);
    assert.deepEqual(verify(js, 's3', NOW + 10 * MINUTE), {
      accessKeyId: KEY.accessKeyId,
      accountId: KEY.accountId,
      region: REGION,
      service: 's3',
      signedPayload: false,
      declaredPayloadHash: 'UNSIGNED-PAYLOAD',
    });
    // boto3 signs UNSIGNED-PAYLOAD without putting it in the URL: keep the header out of the query and out of
    // the signed headers, then leave it off the wire.
    const request = s3Get();
    request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const boto = (await signer('s3').presign(request, {
      signingDate: new Date(NOW),
      expiresIn: 3600,
      unhoistableHeaders: new Set(['x-amz-content-sha256']),
      unsignableHeaders: new Set(['x-amz-content-sha256']),
    })) as HttpRequest;
    delete boto.headers['x-amz-content-sha256'];
    assert.notEqual(verify(onTheWire(boto), 's3'), 'anonymous');
    // A PUT URL carries the upload's headers signed; the body is the S3 layer's business.
    assert.notEqual(verify(onTheWire(await presign(s3Put())), 's3'), 'anonymous');
  });

  it('rejects every single-field change with the exact error', async () => {
    const req = onTheWire(await presign(s3Get()));
    const queryErrors: Record<string, [string, string?]> = {
      'value:X-Amz-Algorithm': ['AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"'],
      'value:X-Amz-Credential': ['AuthorizationQueryParametersError', 'Error parsing the X-Amz-Credential parameter; incorrect terminal "aws4_requestx". This endpoint uses "aws4_request".'],
      'value:X-Amz-Date': ['AuthorizationQueryParametersError', `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`],
      'value:X-Amz-Expires': ['AuthorizationQueryParametersError', 'X-Amz-Expires should be a number'],
      'value:X-Amz-Content-Sha256': ['InvalidArgument'],
    };
    const missingParams = 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.';
    for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires']) {
      queryErrors[`name:${name}`] = ['AuthorizationQueryParametersError', missingParams];
      queryErrors[`drop:${name}`] = ['AuthorizationQueryParametersError', missingParams];
    }
    for (const [key, label, r] of queryMutations(req)) {
      const [code, message] = queryErrors[key] ?? [S3_MISMATCH];
      rejects(r, 's3', code, message, label);
    }
    rejects({ ...req, method: 'PUT' }, 's3', S3_MISMATCH, undefined, 'method');
    for (const [label, r] of pathMutations(req)) rejects(r, 's3', S3_MISMATCH, undefined, label);
    for (const name of ['host', 'range']) rejects(withHeaders(req, { [name]: `${req.headers[name]}x` }), 's3', S3_MISMATCH, undefined, `header ${name}`);
    const setParam = (name: string, value: string) => ({
      ...req,
      rawQuery: req.rawQuery.replace(new RegExp(`${name}=[^&]*`), `${name}=${encodeURIComponent(value)}`),
    });
    const signature = new URLSearchParams(req.rawQuery).get('X-Amz-Signature')!;
    for (const [label, r] of signatureMutations(signature, (sig) => setParam('X-Amz-Signature', sig))) {
      rejects(r, 's3', S3_MISMATCH, undefined, label);
    }
    const credential = (index: number, value: string) =>
      setParam('X-Amz-Credential', `${KEY.accessKeyId}/20240115/${REGION}/s3/aws4_request`.split('/').map((p, i) => (i === index ? value : p)).join('/'));
    rejects(credential(2, 'us-east-1'), 's3', S3_MISMATCH, undefined, 'credential region');
    rejects(credential(0, OTHER_KEY.accessKeyId), 's3', S3_MISMATCH, undefined, 'other known key');
    rejects(credential(0, 'AKIDUNKNOWN'), 's3', 'InvalidAccessKeyId', undefined, 'unknown key');
    rejects(credential(1, '20240116'), 's3', 'AuthorizationQueryParametersError',
      'Invalid credential date "20240116". This date is not the same as X-Amz-Date: "20240115".', 'credential date');
    rejects(credential(3, 'dynamodb'), 's3', 'AuthorizationQueryParametersError',
      'Error parsing the X-Amz-Credential parameter; incorrect service "dynamodb". This endpoint belongs to "s3".', 'credential service');
    rejects(setParam('X-Amz-Credential', 'AKID/20240115'), 's3', 'AuthorizationQueryParametersError',
      'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".', 'credential shape');
    rejects(setParam('X-Amz-Date', '20240115T120001Z'), 's3', S3_MISMATCH, undefined, 'X-Amz-Date one second later');
    rejects(setParam('X-Amz-Expires', '901'), 's3', S3_MISMATCH, undefined, 'X-Amz-Expires changed');
    rejects(setParam('X-Amz-Expires', '-1'), 's3', 'AuthorizationQueryParametersError', 'X-Amz-Expires must be non-negative', 'negative expiry');
    const notSigned = 'There were headers present in the request which were not signed';
    rejects(setParam('X-Amz-SignedHeaders', 'range'), 's3', 'AccessDenied', notSigned, 'host unsigned');
    rejects(withHeaders(req, { 'x-amz-acl': 'public-read' }), 's3', 'AccessDenied', notSigned, 'unsigned x-amz header');
    assert.notEqual(verify(req, 's3'), 'anonymous');
  });

  it('expires, is not valid before its date, and lasts at most a week', async () => {
    const expired = rejects(onTheWire(await presign(s3Get(), 900, NOW - 1000_000)), 's3', 'AccessDenied', 'Request has expired', 'expired');
    assert.equal(expired.status, 403);
    assert.deepEqual(expired.fields, { 'X-Amz-Expires': '900', Expires: '2024-01-15T11:58:20Z', ServerTime: '2024-01-15T12:00:00Z' });
    assert.notEqual(verify(onTheWire(await presign(s3Get(), 900, NOW - 900_000)), 's3'), 'anonymous', 'valid through its last second');

    const early = rejects(onTheWire(await presign(s3Get(), 900, NOW + 20 * MINUTE)), 's3', 'AccessDenied', 'Request is not yet valid', 'future');
    assert.deepEqual(early.fields, {
      'X-Amz-Date': String(NOW + 20 * MINUTE),
      Expires: '2024-01-15T12:35:00Z',
      ServerTime: '2024-01-15T12:00:00Z',
    });

    const week = onTheWire(await presign(s3Get(), 604800));
    assert.notEqual(verify(week, 's3', NOW + 604800_000), 'anonymous');
    rejects(
      { ...week, rawQuery: week.rawQuery.replace('X-Amz-Expires=604800', 'X-Amz-Expires=604801') },
      's3',
      'AuthorizationQueryParametersError',
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
      'more than a week',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The real clients, end to end: whatever headers and encodings they add, their signatures verify.

async function captureWith(send: (handler: { handle(request: HttpRequest): Promise<never> }) => Promise<unknown>): Promise<HttpRequest> {
  let captured: HttpRequest | undefined;
  const handler = {
    handle: async (request: HttpRequest): Promise<never> => {
      captured = request;
      throw new Error('captured');
    },
  };
  await send(handler).catch(() => undefined);
  assert.ok(captured, 'the client sent a request');
  return captured;
}

describe('real SDK clients', () => {
  const credentials = { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey };

  it('verifies a DynamoDB client request', async () => {
    const request = await captureWith((requestHandler) =>
      new DynamoDBClient({ region: REGION, endpoint: 'http://localhost:8000', credentials, requestHandler, maxAttempts: 1 }).send(
        new GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'Acme Band ü' } } }),
      ),
    );
    const result = verifyRequest(onTheWire(request, request.body as Uint8Array), store, { service: 'dynamodb' });
    assert.equal(result.accountId, KEY.accountId);
  });

  it('verifies an S3 client PutObject of an odd key', async () => {
    const request = await captureWith((requestHandler) =>
      new S3Client({ region: REGION, endpoint: 'http://localhost:9000', forcePathStyle: true, credentials, requestHandler, maxAttempts: 1 }).send(
        new PutObjectCommand({ Bucket: BUCKET, Key: ODD_KEY, Body: PUT_BODY, Metadata: { note: 'two  spaces' } }),
      ),
    );
    const result = verifyRequest({ ...onTheWire(request), payloadHash: sha256(PUT_BODY) }, store, { service: 's3' });
    assert.ok(result !== 'anonymous');
    assert.equal(result.signedPayload, true);
  });
});

describe('request time', () => {
  it('takes X-Amz-Date, else Date in ISO 8601 basic or RFC 1123 form', () => {
    const instant = { ms: NOW, amzDate: '20240115T120000Z' };
    assert.deepEqual(requestTime({ 'x-amz-date': '20240115T120000Z', date: 'garbage' }), { raw: '20240115T120000Z', instant });
    assert.deepEqual(requestTime({ date: 'Mon, 15 Jan 2024 12:00:00 GMT' }), { raw: 'Mon, 15 Jan 2024 12:00:00 GMT', instant });
    assert.deepEqual(requestTime({ date: '20240115T120000Z' }), { raw: '20240115T120000Z', instant });
    // X-Amz-Date must be the basic format; an invalid calendar date is no date.
    assert.deepEqual(requestTime({ 'x-amz-date': 'Mon, 15 Jan 2024 12:00:00 GMT' }), { raw: 'Mon, 15 Jan 2024 12:00:00 GMT' });
    assert.deepEqual(requestTime({ 'x-amz-date': '20230229T120000Z' }), { raw: '20230229T120000Z' });
    assert.equal(requestTime({ 'x-amz-date': '20240229T235959Z' })?.instant?.ms, Date.UTC(2024, 1, 29, 23, 59, 59));
    assert.equal(requestTime({}), undefined);
  });
});

describe('CredentialStore', () => {
  it('looks keys up and refuses duplicates', () => {
    assert.equal(store.lookup(KEY.accessKeyId)?.accountId, KEY.accountId);
    assert.equal(store.lookup('nope'), undefined);
    assert.throws(() => new CredentialStore([KEY, { ...KEY, secretAccessKey: 'x' }]), /duplicate access key id/);
  });
});
