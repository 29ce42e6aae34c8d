import { mkdirSync, accessSync, constants } from 'node:fs';
import { resolve, join } from 'node:path';
import { ConfigError, helpText, parseConfig, type Config } from './config';
import { createBasaltServer } from './http/server';
import { startOrphanReclaim } from './s3/reclaim';
import { FileBlobStore, MemoryBlobStore, type BlobStore } from './storage/blob-store';
import { INLINE_BODY_MAX, TieredBlobStore } from './storage/tiered-blob-store';
import { StorageOpenError, type StorageEngine } from './storage/engine';
import { openSqliteEngine } from './storage/sqlite-engine';
import { createLogger } from './util/log';

const VERSION: string = require('../../package.json').version;

function openStore(config: Config): StorageEngine {
  if (config.inMemory) return openSqliteEngine({ memory: true });
  const dir = resolve(config.dataDir);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.R_OK | constants.W_OK);
  } catch (err) {
    throw new StorageOpenError(`data directory ${dir} is not usable: ${(err as Error).message}`);
  }
  return openSqliteEngine({ path: join(dir, 'basalt.sqlite') });
}

function fail(message: string): never {
  process.stderr.write(`basalt: ${message}\n`);
  process.exit(1);
}

export async function main(argv: string[]): Promise<void> {
  let config: Config;
  try {
    const parsed = parseConfig(argv, process.env);
    if (parsed === 'help') {
      process.stdout.write(helpText() + '\n');
      return;
    }
    config = parsed;
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const log = createLogger(config.logLevel);

  let store: StorageEngine;
  try {
    store = openStore(config);
  } catch (err) {
    if (err instanceof StorageOpenError) fail(err.message);
    throw err;
  }

  // Small object bodies live in the store, larger ones beside the database under <dataDir>/objects.
  let blobs: BlobStore;
  try {
    blobs = config.inMemory ? new MemoryBlobStore() : new TieredBlobStore(store, new FileBlobStore(resolve(config.dataDir)), INLINE_BODY_MAX);
  } catch (err) {
    await store.close();
    fail(`object directory under ${resolve(config.dataDir)} is not usable: ${(err as Error).message}`);
  }
  const basalt = createBasaltServer({ config, store, blobs, log, version: VERSION });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: finishing requests in flight`);
    await basalt.close();
    await blobs.close();
    await store.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  let address: { host: string; port: number };
  try {
    address = await basalt.listen();
  } catch (err) {
    await store.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`port ${config.port} on ${config.host} is already in use`);
    if (code === 'EADDRNOTAVAIL') fail(`cannot listen on ${config.host}: no such local address`);
    if (code === 'EACCES') fail(`not allowed to listen on ${config.host}:${config.port}`);
    throw err;
  }

  const hostForUrl = address.host.includes(':') ? `[${address.host}]` : address.host;
  // One write, so that whoever waits for the endpoint line also has the rest.
  const banner = [
    `Basalt ${VERSION} listening on http://${hostForUrl}:${address.port} (DynamoDB and S3)`,
    `data: ${config.inMemory ? 'in memory (nothing is written to disk)' : resolve(config.dataDir)}`,
    ...(config.auth ? [] : ['auth: off (signatures are not checked)']),
    ...config.credentials.map(
      (c) => `credentials: ${c.accessKeyId} / ${config.defaultCredentials ? c.secretAccessKey : '********'} (account ${c.accountId})`,
    ),
  ];
  log.info(banner.join('\n'));
  // Blobs a crash left without metadata are swept in the background, never delaying start-up.
  if (!config.inMemory) void startOrphanReclaim(store, blobs, log);
}
