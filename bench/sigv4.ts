// SigV4 signing for the load generator. Every request is signed afresh with the current X-Amz-Date, so the
// server's verification cost is part of the load exactly as with a real client. The generator's own signing
// is kept cheap, the way a long-running SDK client keeps it: the derived signing key is computed once per
// date/region/service (the SDK caches it too), and the canonical request and string to sign are built
// directly with node:crypto. `ReferenceSigner` (@smithy/signature-v4, the AWS SDK for JavaScript v3 signer,
// with a node:crypto SHA-256 as the SDK plugs in on Node.js) checks the fast signer at start-up
// (`checkSigner`): both must produce the same Authorization header byte for byte.
import crypto, { createHash, createHmac, type BinaryToTextEncoding, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

export type Service = 'dynamodb' | 's3';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** One-shot hashing (crypto.hash, Node >= 20.12) avoids a Hash object per call; createHash otherwise. */
const hashOnce: (data: Buffer | string, enc: BinaryToTextEncoding | 'buffer') => string | Buffer =
  typeof crypto.hash === 'function'
    ? (data, enc) => crypto.hash('sha256', data, enc as BinaryToTextEncoding)
    : (data, enc) => (enc === 'buffer' ? createHash('sha256').update(data).digest() : createHash('sha256').update(data).digest(enc));

/** SHA-256 as lower-case hex; a string is hashed as UTF-8. */
export function sha256Hex(body: Buffer | string): string {
  return hashOnce(body, 'hex') as string;
}

/**
 * HMAC-SHA256 with a fixed 32-byte key, from its precomputed pads (RFC 2104):
 * H((K ^ opad) || H((K ^ ipad) || message)). Same bytes as createHmac, half the cost per call.
 */
class FixedKeyHmac {
  private readonly ipad = Buffer.alloc(64, 0x36);
  private readonly outer = Buffer.alloc(96, 0x5c); // opad-keyed block, then the inner digest
  constructor(key: Buffer) {
    if (key.length > 64) throw new Error('FixedKeyHmac: key longer than a block');
    for (let i = 0; i < key.length; i++) {
      this.ipad[i]! ^= key[i]!;
      this.outer[i]! ^= key[i]!;
    }
  }
  /** The hex HMAC of an ASCII message. */
  hex(message: string): string {
    const inner = Buffer.allocUnsafe(64 + message.length);
    this.ipad.copy(inner, 0);
    inner.write(message, 64, 'latin1');
    (hashOnce(inner, 'buffer') as Buffer).copy(this.outer, 64);
    return hashOnce(this.outer, 'hex') as string;
  }
}

/** A body streamed from a file (too large to hold in memory), its SHA-256 computed beforehand. */
export interface BodyFile {
  path: string;
  size: number;
  /** Hex SHA-256 of the whole file (the signed x-amz-content-sha256). */
  sha256: string;
}

export interface UnsignedRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body?: Buffer;
  /** Instead of `body`: the body is streamed from this file. */
  bodyFile?: BodyFile;
}

/** RFC 3986 percent-encoding, as SigV4 (and the SDK's escapeUri) wants it. */
export function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A path as sent on the wire: each segment RFC 3986-encoded (the bench's paths only hold safe characters). */
export function wirePath(path: string): string {
  return /^[A-Za-z0-9\-._~/]*$/.test(path) ? path : path.split('/').map(escapeUri).join('/');
}

/** The query string as sent (and, sorted the same way, as signed): `?a=1&b=` or ''. */
export function canonicalQuery(query: Record<string, string> | undefined): string {
  if (!query) return '';
  const keys = Object.keys(query);
  if (keys.length === 0) return '';
  return keys
    .map((k) => `${escapeUri(k)}=${escapeUri(query[k]!)}`)
    .sort()
    .join('&');
}

const ALWAYS_UNSIGNABLE = new Set([
  'authorization',
  'cache-control',
  'connection',
  'expect',
  'from',
  'keep-alive',
  'max-forwards',
  'pragma',
  'referer',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'x-amzn-trace-id',
]);

export interface SignedHeaders {
  /** Every header to send, lower-case names, in signing order (host, x-amz-date, authorization included). */
  headers: [string, string][];
}

function amzDateOf(ms: number): string {
  // 2026-11-21T11:28:16.123Z -> 20261121T112816Z
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** The fast signer used for every request the bench sends. */
export class Signer {
  private readonly keys = new Map<string, FixedKeyHmac>();
  private dateSecond = -1;
  private amzDate = '';

  constructor(
    private readonly credentials: Credentials,
    private readonly region = 'us-east-1',
  ) {}

  /** The current X-Amz-Date (recomputed whenever the wall-clock second changes). */
  private now(): string {
    const ms = Date.now();
    const second = Math.floor(ms / 1000);
    if (second !== this.dateSecond) {
      this.dateSecond = second;
      this.amzDate = amzDateOf(ms);
    }
    return this.amzDate;
  }

  /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), cached. */
  private signingKey(date: string, service: string): FixedKeyHmac {
    const id = `${date}/${service}`;
    let key = this.keys.get(id);
    if (!key) {
      const h = (k: Buffer | string, d: string): Buffer => createHmac('sha256', k).update(d).digest();
      key = new FixedKeyHmac(h(h(h(h(`AWS4${this.credentials.secretAccessKey}`, date), this.region), service), 'aws4_request'));
      if (this.keys.size > 16) this.keys.clear();
      this.keys.set(id, key);
    }
    return key;
  }

  /**
   * Signs a request: returns the headers to send (lower-case names; host, content-length, x-amz-date,
   * x-amz-content-sha256 for S3, authorization). `at` overrides the clock (for the self-check only).
   */
  sign(service: Service, host: string, req: UnsignedRequest, at?: number): [string, string][] {
    const amzDate = at === undefined ? this.now() : amzDateOf(at);
    const date = amzDate.slice(0, 8);
    const body = req.body;
    const payloadHash = req.bodyFile ? req.bodyFile.sha256 : sha256Hex(body ?? EMPTY);
    const length = req.bodyFile ? req.bodyFile.size : body ? body.length : 0;
    const headers: [string, string][] = [];
    for (const name of Object.keys(req.headers)) headers.push([name.toLowerCase(), req.headers[name]!]);
    headers.push(['host', host], ['content-length', String(length)], ['x-amz-date', amzDate]);
    // S3 clients over plain HTTP send the payload's SHA-256 (signed); computing it is client work per request.
    if (service === 's3') headers.push(['x-amz-content-sha256', payloadHash]);
    headers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

    let canonicalHeaders = '';
    let signedHeaders = '';
    for (const [name, value] of headers) {
      if (ALWAYS_UNSIGNABLE.has(name) || name.startsWith('proxy-') || name.startsWith('sec-')) continue;
      const v = NEEDS_TRIM.test(value) ? value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '') : value;
      canonicalHeaders += `${name}:${v}\n`;
      signedHeaders += signedHeaders ? `;${name}` : name;
    }
    const canonicalPath = service === 's3' ? wirePath(req.path) : doubleEncodedPath(req.path);
    const canonicalRequest = `${req.method}\n${canonicalPath}\n${canonicalQuery(req.query)}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
    const scope = `${date}/${this.region}/${service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const signature = this.signingKey(date, service).hex(stringToSign);
    headers.push([
      'authorization',
      `AWS4-HMAC-SHA256 Credential=${this.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    ]);
    return headers;
  }
}

const EMPTY = Buffer.alloc(0);
/** Header values needing the SigV4 whitespace normalization (rare: skip the three regexes otherwise). */
const NEEDS_TRIM = /[\r\n\t]| {2}|^ | $/;

/** Non-S3 services: the path normalized, then URI-encoded once more (what the SDK signs). */
function doubleEncodedPath(path: string): string {
  if (path === '/') return '/';
  const segs: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segs.pop();
    else segs.push(s);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segs.join('/')}${segs.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(wirePath(normalized)).replace(/%2F/g, '/');
}

// ---- the reference signer (start-up check only) -------------------------------------------------------------

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The Checksum shape @smithy/signature-v4 expects, backed by node:crypto. */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

/** @smithy/signature-v4 as the SDK configures it for DynamoDB and S3. */
export class ReferenceSigner {
  constructor(
    private readonly credentials: Credentials,
    private readonly region = 'us-east-1',
  ) {}

  async sign(service: Service, host: string, req: UnsignedRequest, at: number): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...req.headers, host };
    // A file body is not read here: its precomputed hash goes in x-amz-content-sha256, which the signer uses as is.
    const body = req.bodyFile ? undefined : (req.body ?? Buffer.alloc(0));
    headers['content-length'] = String(req.bodyFile ? req.bodyFile.size : body!.length);
    if (service === 's3') headers['x-amz-content-sha256'] = req.bodyFile ? req.bodyFile.sha256 : sha256Hex(body!);
    const [hostname, port] = host.split(':');
    const signer = new SignatureV4({
      service,
      region: this.region,
      credentials: this.credentials,
      sha256: NodeSha256,
      uriEscapePath: service !== 's3',
      applyChecksum: service === 's3',
    });
    const signed = await signer.sign(
      { method: req.method, protocol: 'http:', hostname: hostname!, port: port ? Number(port) : undefined, path: req.path, query: req.query ?? {}, headers, body },
      { signingDate: new Date(at) },
    );
    return signed.headers as Record<string, string>;
  }
}

/**
 * Signs sample requests with both signers at the same instant and throws unless the Authorization headers
 * (and the other signed headers) are identical.
 */
export async function checkSigner(samples: { service: Service; req: UnsignedRequest }[]): Promise<void> {
  const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const fast = new Signer(creds);
  const ref = new ReferenceSigner(creds);
  const at = Date.now();
  for (const { service, req } of samples) {
    const got = new Map(fast.sign(service, '127.0.0.1:8000', req, at));
    const want = await ref.sign(service, '127.0.0.1:8000', req, at);
    for (const [name, value] of Object.entries(want)) {
      if (got.get(name.toLowerCase()) !== value) {
        throw new Error(
          `the bench's SigV4 signer disagrees with @smithy/signature-v4 on ${service} ${req.method} ${req.path} header ${name}:\n  fast: ${got.get(name.toLowerCase())}\n  ref:  ${value}`,
        );
      }
    }
  }
}
