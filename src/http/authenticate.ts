import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config';
import { CredentialStore } from './auth/credentials';
import { verifyRequest } from './auth/sigv4';
import type { ChunkSigningContext } from '../s3/aws-chunked';

export type AuthService = 'dynamodb' | 's3';

export interface Identity {
  accessKeyId: string;
  accountId: string;
  region: string;
  /** S3 only: the request carried no authentication at all. */
  anonymous: boolean;
  /** S3 only: the signed x-amz-content-sha256 (digest, UNSIGNED-PAYLOAD or STREAMING-* mode), for the body checks. */
  declaredPayloadHash?: string;
  /** S3 only: what a signed aws-chunked body's chunk signatures chain from. */
  chunkSigning?: ChunkSigningContext;
}

/**
 * Authenticates a request or throws the service's AWS error. `payloadHash` is the body's SHA-256 when the
 * caller has buffered it (DynamoDB); S3 streams bodies and checks the declared hash itself. `hostBucket`: the
 * bucket a virtual-hosted S3 request named in its Host header.
 */
export type Authenticator = (
  req: AuthRequest,
  service: AuthService,
  payloadHash: string | undefined,
  hostBucket?: string,
) => Identity;

/** What authentication and routing read of a request (node:http's IncomingMessage has it, and so does the fast path's head). */
export interface AuthRequest {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
}

const DEFAULT_REGION = 'us-east-1';

/** With --auth off, the scope still names the region and the key still names the account when it is known. */
function unverifiedIdentity(req: AuthRequest, store: CredentialStore, accountId: string): Identity {
  const header = String(req.headers.authorization ?? '');
  const url = req.url ?? '';
  const match = /Credential=([^/,\s&]+)\/\d{8}\/([^/,\s&]+)\//.exec(header) ??
    /X-Amz-Credential=([^%/&]+)(?:%2F|\/)\d{8}(?:%2F|\/)([^%/&]+)/i.exec(url);
  // Signature Version 2 names the key alone.
  const v2 = match ? undefined : /^AWS ([^:\s]+):/.exec(header) ?? /[?&]AWSAccessKeyId=([^&]+)/.exec(url);
  const accessKeyId = match?.[1] ?? v2?.[1] ?? '';
  return {
    accessKeyId,
    accountId: store.lookup(accessKeyId)?.accountId ?? accountId,
    region: match?.[2] ?? DEFAULT_REGION,
    anonymous: false,
  };
}

export function createAuthenticator(config: Config): Authenticator {
  const store = new CredentialStore(config.credentials);
  if (!config.auth) return (req) => unverifiedIdentity(req, store, config.accountId);
  return (req, service, payloadHash, hostBucket) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const result = verifyRequest(
      {
        method: req.method ?? 'GET',
        rawPath: query < 0 ? url : url.slice(0, query),
        rawQuery: query < 0 ? '' : url.slice(query + 1),
        headers: req.headers,
        payloadHash,
        hostBucket,
      },
      store,
      { service },
    );
    if (result === 'anonymous') return { accessKeyId: '', accountId: '', region: DEFAULT_REGION, anonymous: true };
    return {
      accessKeyId: result.accessKeyId,
      accountId: result.accountId,
      region: result.region,
      anonymous: false,
      declaredPayloadHash: result.declaredPayloadHash,
      chunkSigning: result.chunkSigning,
    };
  };
}
