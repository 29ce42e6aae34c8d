import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_CREDENTIALS } from '../helpers/basalt';
import { rawRequest, type RawResponse } from '../helpers/raw';

/** A path-style S3 request signed like the SDK signs it, with whatever headers and body the test needs. */
export async function s3Raw(
  endpoint: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; region?: string; payloadHash?: string } = {},
): Promise<RawResponse> {
  const url = new URL(endpoint);
  const body = options.body ?? '';
  const signer = new SignatureV4({ credentials: TEST_CREDENTIALS, region: options.region ?? 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const [pathOnly, query] = path.split('?') as [string, string | undefined];
  const queryObj: Record<string, string> = {};
  for (const part of (query ?? '').split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    queryObj[decodeURIComponent(eq < 0 ? part : part.slice(0, eq))] = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
  }
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: pathOnly,
    query: queryObj,
    headers: {
      host: url.host,
      'x-amz-content-sha256': options.payloadHash ?? createHash('sha256').update(body).digest('hex'),
      ...(body.length > 0 ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
      ...options.headers,
    },
  });
  return rawRequest(endpoint, { method, path, headers: signed.headers as Record<string, string>, body });
}
