/**
 * Pure routing: from the parts of a request that decide where it goes to a typed endpoint. No I/O, so it is
 * table-tested on its own.
 */

export type DynamoApi = 'DynamoDB_20120810' | 'DynamoDB_20111205' | 'DynamoDBStreams_20120810';

export type Route =
  | { kind: 'health' }
  | { kind: 'dynamodb'; api: DynamoApi | undefined; operation: string; target: string }
  | { kind: 's3'; bucket: string | undefined; key: string | undefined; virtualHost: boolean };

export interface RoutingInput {
  method: string;
  /** Path as received (still percent-encoded), without the query string. */
  rawPath: string;
  host: string | undefined;
  target: string | undefined;
}

const DYNAMO_APIS: readonly DynamoApi[] = ['DynamoDB_20120810', 'DynamoDB_20111205', 'DynamoDBStreams_20120810'];

function hostName(host: string | undefined): string {
  if (!host) return '';
  const h = host.toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** The bucket named by a virtual-hosted `BUCKET.DOMAIN` host, for any of the configured base domains. */
function virtualHostBucket(host: string | undefined, baseDomains: readonly string[]): string | undefined {
  const name = hostName(host);
  for (const domain of baseDomains) {
    const suffix = `.${domain.toLowerCase()}`;
    if (name.endsWith(suffix) && name.length > suffix.length) return name.slice(0, -suffix.length);
  }
  return undefined;
}

function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    // S3 treats an undecodable key literally rather than failing the route.
    return raw;
  }
}

export function route(input: RoutingInput, baseDomains: readonly string[]): Route {
  if (input.target !== undefined) {
    const dot = input.target.indexOf('.');
    const prefix = dot >= 0 ? input.target.slice(0, dot) : input.target;
    const api = DYNAMO_APIS.find((a) => a === prefix);
    return { kind: 'dynamodb', api, operation: dot >= 0 ? input.target.slice(dot + 1) : '', target: input.target };
  }
  if (input.rawPath === '/_basalt/health' && (input.method === 'GET' || input.method === 'HEAD')) return { kind: 'health' };

  const vhost = virtualHostBucket(input.host, baseDomains);
  const path = input.rawPath.startsWith('/') ? input.rawPath.slice(1) : input.rawPath;
  if (vhost !== undefined) {
    return { kind: 's3', bucket: vhost, key: path === '' ? undefined : decodeSegment(path), virtualHost: true };
  }
  if (path === '') return { kind: 's3', bucket: undefined, key: undefined, virtualHost: false };
  const slash = path.indexOf('/');
  const bucket = decodeSegment(slash >= 0 ? path.slice(0, slash) : path);
  const rest = slash >= 0 ? path.slice(slash + 1) : '';
  return { kind: 's3', bucket, key: slash >= 0 && rest !== '' ? decodeSegment(rest) : undefined, virtualHost: false };
}
