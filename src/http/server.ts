import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isLoopback, type Config } from '../config';
import type { BlobStore } from '../storage/blob-store';
import type { StorageEngine } from '../storage/engine';
import type { Logger } from '../util/log';
import { createAuthenticator, type AuthRequest } from './authenticate';
import { FastConnection } from './connections';
import { MAX_REQUEST_BYTES, nodeRequestBody, nodeResponder, serveDynamo, type DynamoResponder } from './dynamodb-endpoint';
import type { RequestHead } from './request-head';
import { route, type Route } from './router';
import { joinRepeatedHeaders } from './repeated-headers';
import { serveS3 } from './s3-endpoint';

export interface BasaltServerDeps {
  config: Config;
  store: StorageEngine;
  /** Object bodies for S3. */
  blobs: BlobStore;
  log: Logger;
  version: string;
}

export interface BasaltServer {
  server: Server;
  listen(): Promise<{ host: string; port: number }>;
  /** Stops accepting, lets requests in flight finish, then resolves. */
  close(): Promise<void>;
}

function header(req: AuthRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** How long an idle keep-alive connection stays open (node:http's keepAliveTimeout, and the fast path's). */
const KEEP_ALIVE_MS = 65_000;
/** How often fast-path connections are checked for requests arriving too slowly. */
const SWEEP_MS = 10_000;

/**
 * node:http attaches its own 'connection' listener when the server is made; taking it out lets the fast
 * path see every socket first and pass on the ones it does not serve.
 */
function takeConnectionListener(server: Server): (this: Server, socket: Socket) => void {
  const listeners = server.listeners('connection');
  if (listeners.length !== 1) throw new Error(`node:http has ${listeners.length} connection listeners, expected its own only`);
  const listener = listeners[0] as (this: Server, socket: Socket) => void;
  server.removeListener('connection', listener);
  return listener;
}

export function createBasaltServer(deps: BasaltServerDeps): BasaltServer {
  const { config, store, log } = deps;
  const authenticate = createAuthenticator(config);
  const startedAt = Date.now();
  const dynamo = { store, settings: { transitionDelayMs: config.transitionDelayMs, itemCollectionLimitBytes: config.itemCollectionLimitBytes }, authenticate, log };
  const s3 = { store, blobs: deps.blobs, authenticate, log, loopback: isLoopback(config.host) };
  let closing = false;
  /** Sockets node:http serves, while between requests. */
  const idle = new Set<Socket>();
  /** Connections served by the fast path (connections.ts). */
  const fast = new Set<FastConnection>();

  const routeOf = (req: AuthRequest): Route => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    return route(
      {
        method: req.method ?? 'GET',
        rawPath: query >= 0 ? url.slice(0, query) : url,
        host: header(req, 'host'),
        target: header(req, 'x-amz-target'),
      },
      config.s3BaseDomains,
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    joinRepeatedHeaders(req);
    const target = routeOf(req);
    if (closing) res.setHeader('connection', 'close');
    switch (target.kind) {
      case 'health': {
        const body = JSON.stringify({
          status: 'ok',
          version: deps.version,
          storage: store.info,
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      case 'dynamodb':
        return serveDynamo({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers }, nodeRequestBody(req), nodeResponder(res), target, dynamo);
      case 's3':
        return serveS3(req, res, target, s3);
    }
  };

  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_MS }, (req, res) => {
    // A socket is idle between requests; on close, idle sockets go at once and busy ones after their reply.
    const socket = req.socket;
    idle.delete(socket);
    res.on('close', () => {
      if (closing) socket.destroySoon();
      else idle.add(socket);
    });
    handle(req, res).catch((err) => {
      // Endpoints render their own errors; reaching here means a response could not be written at all.
      log.error(`request failed: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // Every connection starts on the fast path; node:http gets the ones it hands over (connections.ts).
  const nodeConnection = takeConnectionListener(server);
  const handlers = {
    keepAliveMs: KEEP_ALIVE_MS,
    headersTimeoutMs: server.headersTimeout,
    requestTimeoutMs: server.requestTimeout,
    accepts: (head: RequestHead, contentLength: number): boolean =>
      head.method === 'POST' &&
      typeof head.headers['x-amz-target'] === 'string' &&
      contentLength <= MAX_REQUEST_BYTES &&
      head.headers['transfer-encoding'] === undefined &&
      head.headers.expect === undefined &&
      head.headers.upgrade === undefined,
    serve: (head: RequestHead, body: Buffer, respond: DynamoResponder): void => {
      const target = routeOf(head);
      if (target.kind !== 'dynamodb') throw new Error('the fast path took a request that is not DynamoDB');
      serveDynamo(head, body, respond, target, dynamo).catch((err) => {
        // serveDynamo answers its own errors; reaching here means no answer could be made at all.
        log.error(`request failed: ${(err as Error)?.stack ?? String(err)}`);
        respond(500, ['content-length', '0'], Buffer.alloc(0));
      });
    },
    handOff: (socket: Socket, buffered: Buffer): void => {
      idle.add(socket);
      socket.on('close', () => idle.delete(socket));
      nodeConnection.call(server, socket);
      if (closing) socket.destroySoon();
      else if (buffered.length > 0) socket.emit('data', buffered);
    },
  };
  // Like node:http's own sweep of its connections for requests that take too long to arrive.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const connection of fast) connection.expire(now);
  }, SWEEP_MS).unref();
  server.on('connection', (socket: Socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    fast.add(new FastConnection(socket, handlers, (connection) => fast.delete(connection)));
  });
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });

  return {
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve({ host: config.host, port: typeof address === 'object' && address ? address.port : config.port });
        });
      }),
    close: () =>
      new Promise((resolve) => {
        closing = true;
        clearInterval(sweep);
        server.close(() => resolve());
        for (const socket of idle) socket.destroySoon();
        idle.clear();
        for (const connection of fast) connection.closeWhenIdle();
      }),
  };
}
