// SigV4 signing for the load generator: @smithy/signature-v4, the signer the AWS SDK for JavaScript v3 uses,
// with a node:crypto SHA-256 (what the SDK itself plugs in on Node.js, @smithy/hash-node). Every request is
// signed afresh, so the signing cost is part of the load, exactly as with a real client.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

export type Service = 'dynamodb' | 's3';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

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

export function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

export interface UnsignedRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body?: Buffer;
}

export class Signer {
  private readonly signers = new Map<Service, SignatureV4>();
  constructor(
    private readonly credentials: Credentials,
    private readonly region = 'us-east-1',
  ) {}

  private signer(service: Service): SignatureV4 {
    let s = this.signers.get(service);
    if (!s) {
      s = new SignatureV4({
        service,
        region: this.region,
        credentials: this.credentials,
        sha256: NodeSha256,
        uriEscapePath: service !== 's3',
        applyChecksum: service === 's3',
      });
      this.signers.set(service, s);
    }
    return s;
  }

  /** Returns the headers to send (including host, x-amz-date, authorization). */
  async sign(service: Service, host: string, req: UnsignedRequest): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...req.headers, host };
    const body = req.body ?? Buffer.alloc(0);
    headers['content-length'] = String(body.length);
    // S3 clients over plain HTTP send the payload's SHA-256 (signed); computing it is client work per request.
    if (service === 's3') headers['x-amz-content-sha256'] = sha256Hex(body);
    const [hostname, port] = host.split(':');
    const signed = await this.signer(service).sign({
      method: req.method,
      protocol: 'http:',
      hostname: hostname!,
      port: port ? Number(port) : undefined,
      path: req.path,
      query: req.query ?? {},
      headers,
      body,
    });
    return signed.headers as Record<string, string>;
  }
}
