import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isLoopback, type Config } from '../config';
import type { BlobStore } from '../storage/blob-store';
import type { StorageEngine } from '../storage/engine';
import type { Logger } from '../util/log';
import { createAuthenticator } from './authenticate';
import { serveDynamo } from './dynamodb-endpoint';
import { route } from './router';
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

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createBasaltServer(deps: BasaltServerDeps): BasaltServer {
  const { config, store, log } = deps;
  const authenticate = createAuthenticator(config);
  const startedAt = Date.now();
  const dynamo = { store, settings: { transitionDelayMs: config.transitionDelayMs, itemCollectionLimitBytes: config.itemCollectionLimitBytes }, authenticate, log };
  const s3 = { store, blobs: deps.blobs, authenticate, log, loopback: isLoopback(config.host) };
  let closing = false;
  const idle = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const target = route(
      {
        method: req.method ?? 'GET',
        rawPath: query >= 0 ? url.slice(0, query) : url,
        host: header(req, 'host'),
        target: header(req, 'x-amz-target'),
      },
      config.s3BaseDomains,
    );
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
        return serveDynamo(req, res, target, dynamo);
      case 's3':
        return serveS3(req, res, target, s3);
    }
  };

  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
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
  server.on('connection', (socket: Socket) => {
    idle.add(socket);
    socket.on('close', () => idle.delete(socket));
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
        server.close(() => resolve());
        for (const socket of idle) socket.destroySoon();
        idle.clear();
      }),
  };
}
