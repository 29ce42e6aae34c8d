import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { AwsError, isAwsError } from '../errors/aws-error';
import { s3Error } from '../errors/s3-errors';
import type { S3Context, S3Request, S3Response } from '../s3/operation';
import { ObjectBody } from '../s3/object-body';
import { handleS3 } from '../s3/service';
import { S3_XMLNS } from '../s3/xml-tree';
import type { BlobStore } from '../storage/blob-store';
import type { StorageEngine } from '../storage/engine';
import type { Logger } from '../util/log';
import type { Authenticator } from './authenticate';
import { writeSoon } from './reply-batch';
import { s3RequestIds } from './request-id';
import type { Route } from './router';
import { escapeXml, toXmlDocument } from '../s3/xml';

export interface S3EndpointDeps {
  store: StorageEngine;
  blobs: BlobStore;
  authenticate: Authenticator;
  log: Logger;
  /** The listener is loopback-only: SSE-C is accepted over plain HTTP. */
  loopback?: boolean;
}

type S3Route = Extract<Route, { kind: 's3' }>;

/** An unread body larger than this is not drained: the connection is closed after the answer instead. */
const MAX_DRAIN_BYTES = 1024 * 1024;
const EMPTY = Buffer.alloc(0);
const DRAIN_GRACE_MS = 2000;

export function renderS3Error(err: AwsError, resource: string, requestId: string, hostId: string): string {
  let extra = '';
  for (const [name, value] of Object.entries(err.fields)) extra += `<${name}>${escapeXml(String(value))}</${name}>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message>${extra}` +
    `<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId><HostId>${escapeXml(hostId)}</HostId></Error>`
  );
}

/** Query parameters decoded, first occurrence wins; a name without `=` has the value ''. */
export function parseS3Query(url: string): Map<string, string> {
  const q = url.indexOf('?');
  const out = new Map<string, string>();
  if (q < 0) return out;
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  for (const part of url.slice(q + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    if (!out.has(name)) out.set(name, eq < 0 ? '' : decode(part.slice(eq + 1)));
  }
  return out;
}

/** What the signature vouches for about the body; presigned URLs sign no payload unless the header says. */
function declaredPayloadHash(req: IncomingMessage): string | undefined {
  const value = req.headers['x-amz-content-sha256'];
  return typeof value === 'string' ? value : req.headers.authorization === undefined ? 'UNSIGNED-PAYLOAD' : undefined;
}

/** Leaves the connection usable after an answer that did not read the whole body. */
function settleBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.readableEnded || req.destroyed) return;
  const chunked = req.headers['transfer-encoding'] !== undefined;
  const length = chunked ? NaN : Number(req.headers['content-length'] ?? 0);
  if (Number.isFinite(length) && length <= MAX_DRAIN_BYTES) {
    req.resume();
    return;
  }
  // Chunked or large: reading gigabytes to keep one connection alive is not worth it, so the answer says
  // `connection: close`. Node then destroys the socket as soon as the answer is written, and closing with body
  // bytes still arriving makes the kernel send RST, which can reach the client before the answer does. So
  // only our side is shut once the answer is out (FIN), the rest of the body is discarded, and the socket
  // goes when the body has ended or after a grace period.
  res.setHeader('connection', 'close');
  req.resume();
  const socket = req.socket;
  const destroySoon = socket.destroySoon.bind(socket);
  socket.destroySoon = () => {
    if (req.readableEnded) return destroySoon();
    socket.end();
    const timer = setTimeout(() => socket.destroy(), DRAIN_GRACE_MS);
    req.once('end', () => {
      clearTimeout(timer);
      destroySoon();
    });
  };
}

function send(req: IncomingMessage, res: ServerResponse, answer: S3Response): void {
  const head = req.method === 'HEAD';
  const headers: Record<string, string | number> = { ...answer.headers };
  const body = answer.body;
  if (body === undefined) {
    if (headers['content-length'] === undefined) headers['content-length'] = 0;
    settleBody(req, res);
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  if (body instanceof Readable || body instanceof ObjectBody) {
    settleBody(req, res);
    res.writeHead(answer.status, headers);
    if (head) {
      body.destroy();
      res.end();
    } else if (body instanceof Readable) {
      body.on('error', () => res.destroy());
      // pipe() stops at a response closed early but leaves the source open (and its file).
      res.on('close', () => body.destroy());
      body.pipe(res);
    } else {
      body.writeTo(res).then(
        () => res.end(),
        () => res.destroy(),
      );
    }
    return;
  }
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(toXmlDocument(body.root, body.body, S3_XMLNS), 'utf8');
  headers['content-type'] ??= 'application/xml';
  headers['content-length'] = bytes.length;
  settleBody(req, res);
  res.writeHead(answer.status, headers);
  // Answers with a body (GETs of small objects, listings) are batched like DynamoDB's (reply-batch.ts).
  writeSoon(() => res.end(head ? EMPTY : bytes));
}

function sendError(req: IncomingMessage, res: ServerResponse, err: AwsError, resource: string, requestId: string, hostId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // HEAD answers and 304 carry no body.
  if (req.method === 'HEAD' || err.status === 304) {
    send(req, res, { status: err.status, headers: {} });
    return;
  }
  const xml = Buffer.from(renderS3Error(err, resource, requestId, hostId), 'utf8');
  send(req, res, { status: err.status, headers: { 'content-type': 'application/xml' }, body: xml });
}

export async function serveS3(req: IncomingMessage, res: ServerResponse, target: S3Route, deps: S3EndpointDeps): Promise<void> {
  const { requestId, hostId } = s3RequestIds();
  res.setHeader('x-amz-request-id', requestId);
  res.setHeader('x-amz-id-2', hostId);
  const url = req.url ?? '/';
  const resource = url.split('?')[0]!;
  try {
    const identity = deps.authenticate(req, 's3', undefined, target.virtualHost ? target.bucket : undefined);
    if (identity.anonymous) throw s3Error('AccessDenied');
    const ctx: S3Context = {
      accountId: identity.accountId,
      accessKeyId: identity.accessKeyId,
      region: identity.region,
      requestId,
      store: deps.store,
      blobs: deps.blobs,
      plainSseC: deps.loopback === true,
    };
    const request: S3Request = {
      method: req.method ?? 'GET',
      bucket: target.bucket,
      key: target.key,
      query: parseS3Query(url),
      headers: req.headers,
      body: req,
      declaredPayloadHash: identity.declaredPayloadHash ?? declaredPayloadHash(req),
      chunkSigning: identity.chunkSigning,
      resource,
    };
    send(req, res, await handleS3(ctx, request));
  } catch (err) {
    if (!isAwsError(err)) deps.log.error(`S3 ${req.method} ${resource} failed: ${(err as Error)?.stack ?? String(err)}`);
    sendError(req, res, isAwsError(err) ? err : s3Error('InternalError'), resource, requestId, hostId);
  }
}
