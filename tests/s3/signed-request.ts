import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_CREDENTIALS } from '../helpers/basalt';
import { rawRequest, type RawResponse } from '../helpers/raw';

type S3RawOptions = { headers?: Record<string, string>; repeated?: Record<string, string[]>; body?: string | Buffer; region?: string; payloadHash?: string };

/**
 * The headers of a path-style S3 request signed like the SDK signs it. `repeated` headers are signed as SigV4
 * signs a header sent once per value: the values, trimmed, joined by ",".
 */
export async function s3SignedHeaders(endpoint: string, method: string, path: string, options: S3RawOptions = {}): Promise<Record<string, string>> {
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
      ...Object.fromEntries(Object.entries(options.repeated ?? {}).map(([name, values]) => [name, values.map((v) => v.trim()).join(',')])),
    },
  });
  return signed.headers as Record<string, string>;
}

/** A path-style S3 request signed like the SDK signs it; `repeated` headers go on the wire once per value. */
export async function s3Raw(endpoint: string, method: string, path: string, options: S3RawOptions = {}): Promise<RawResponse> {
  const headers = await s3SignedHeaders(endpoint, method, path, options);
  return rawRequest(endpoint, { method, path, headers: { ...headers, ...options.repeated }, body: options.body ?? '' });
}
