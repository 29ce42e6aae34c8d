import { request } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_CREDENTIALS } from './basalt';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends bytes exactly as given (no client-side fixing up), for protocol tests; an array is a repeated header. */
export function rawRequest(
  endpoint: string,
  options: { method?: string; path?: string; headers?: Record<string, string | string[]>; body?: string | Buffer },
): Promise<RawResponse> {
  const url = new URL(options.path ?? '/', endpoint);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // A server may answer and close before reading a large body; the write then fails, the answer stands.
    req.on('error', (err) => (answered ? undefined : reject(err)));
    req.end(options.body);
  });
}

/** Signs a DynamoDB JSON 1.0 request the way the SDK does and returns its headers. */
export async function signedDynamoHeaders(
  endpoint: string,
  target: string,
  body: string | Buffer,
  options: { credentials?: { accessKeyId: string; secretAccessKey: string }; extraHeaders?: Record<string, string>; region?: string } = {},
): Promise<Record<string, string>> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    credentials: options.credentials ?? TEST_CREDENTIALS,
    region: options.region ?? 'us-east-1',
    service: 'dynamodb',
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': target,
      ...options.extraHeaders,
    },
    body,
  });
  return signed.headers as Record<string, string>;
}

/** Posts a signed DynamoDB request with an arbitrary body. */
export async function dynamoCall(endpoint: string, target: string, body: string | Buffer, extraHeaders: Record<string, string> = {}): Promise<RawResponse> {
  const headers = await signedDynamoHeaders(endpoint, target, body, { extraHeaders });
  return rawRequest(endpoint, { headers, body });
}

/** Sends a signed S3 request with an explicit Host header (for virtual-hosted addressing on loopback). */
export async function signedS3Request(endpoint: string, method: string, path: string, host: string): Promise<RawResponse> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials: TEST_CREDENTIALS, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  return rawRequest(endpoint, { method, path, headers: signed.headers as Record<string, string> });
}
