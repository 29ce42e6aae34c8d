import type { Readable } from 'node:stream';
import type { ChunkSigningContext } from './aws-chunked';
import type { BlobStore } from '../storage/blob-store';
import type { StorageEngine } from '../storage/engine';
import type { ObjectBody } from './object-body';
import type { XmlDocument } from './xml-tree';

/** The caller of an S3 request: account from the credential, region from the signature's scope. */
export interface S3Context {
  accountId: string;
  accessKeyId: string;
  region: string;
  requestId: string;
  store: StorageEngine;
  blobs: BlobStore;
  /**
   * SSE-C is accepted over plain HTTP: the listener is loopback-only, so keys never cross a network.
   * Otherwise SSE-C requests get S3's refusal of insecure connections (Basalt serves HTTP only).
   */
  plainSseC?: boolean;
}

/**
 * What the HTTP layer hands the S3 layer. `query` is decoded; `body` is the raw request stream (turn it into
 * object bytes with `plainBody` in body.ts, which undoes aws-chunked framing).
 */
export interface S3Request {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: Map<string, string>;
  /** Node's lowercase headers. */
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
  /** The signed x-amz-content-sha256: hex SHA-256, `UNSIGNED-PAYLOAD` or a `STREAMING-*` mode. */
  declaredPayloadHash: string | undefined;
  /** For signed aws-chunked bodies: what the chunk signatures chain from. */
  chunkSigning?: ChunkSigningContext;
  /** The path as received, for error `Resource` fields. */
  resource: string;
}

/** What the S3 layer answers; the HTTP layer writes it. HEAD responses never carry a body. */
export interface S3Response {
  status: number;
  headers: Record<string, string>;
  /** An ObjectBody is an object's stored bytes, which write themselves into the response. */
  body?: XmlDocument | Buffer | Readable | ObjectBody;
}

export type S3Handler = (ctx: S3Context, req: S3Request) => Promise<S3Response>;

export function header(req: S3Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export const xmlResponse = (doc: XmlDocument, status = 200, headers: Record<string, string> = {}): S3Response => ({
  status,
  headers,
  body: doc,
});
