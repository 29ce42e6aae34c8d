// The workloads: identical requests and data for every system. Setup (tables, buckets, seed data) is done
// before timing with the same kind of signed requests; seeding failures mark the system FAILED.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { BenchRequest, Response } from './load';
import { makeScaleWorkloads, SCALE_WORKLOADS, type ScaleWorkloadId } from './scale';
import type { BodyFile } from './sigv4';
import { batchWriteComplete, createTable, ddb, describe, item, jsonCheck, jsonSize, must, parallel, seedItems, spread, type SetupContext, type Workload, type WorkloadOptions } from './workload';

export type { Workload } from './workload';

export type WorkloadId =
  | 'putitem'
  | 'getitem'
  | 'updateitem'
  | 'query'
  | 'scan'
  | 'batchwrite'
  | 'transact4'
  | 'put4'
  | 's3put4k'
  | 's3get4k'
  | 's3putlarge'
  | 's3getlarge'
  | 's3put1g'
  | 's3get1g'
  | ScaleWorkloadId;

export const ALL_WORKLOADS: WorkloadId[] = [
  'putitem',
  'getitem',
  'updateitem',
  'query',
  'scan',
  'batchwrite',
  'transact4',
  'put4',
  's3put4k',
  's3get4k',
  's3putlarge',
  's3getlarge',
  's3put1g',
  's3get1g',
  ...SCALE_WORKLOADS,
];

function s3(method: string, key: string, body?: Buffer): BenchRequest {
  return {
    service: 's3',
    method,
    path: `/${BUCKET}${key ? `/${key}` : ''}`,
    headers: body ? { 'content-type': 'application/octet-stream' } : {},
    body,
  };
}

/** The integrity headers the SDK v3 sends on a PutObject: Content-MD5 and the default flexible checksum, CRC32. */
function checksumHeaders(md5: Buffer, crc32: number): Record<string, string> {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32 >>> 0);
  return {
    'content-md5': md5.toString('base64'),
    'x-amz-checksum-crc32': crc.toString('base64'),
    'x-amz-sdk-checksum-algorithm': 'CRC32',
  };
}

const putHeaderCache = new WeakMap<Buffer, Record<string, string>>();

/** PutObject of an in-memory body, with Content-MD5 and CRC32 (computed once per distinct body). */
function s3put(key: string, body: Buffer): BenchRequest {
  let h = putHeaderCache.get(body);
  if (!h) {
    h = { 'content-type': 'application/octet-stream', ...checksumHeaders(createHash('md5').update(body).digest(), zlib.crc32(body)) };
    putHeaderCache.set(body, h);
  }
  return { service: 's3', method: 'PUT', path: `/${BUCKET}/${key}`, headers: h, body };
}

interface BigBody {
  file: BodyFile;
  headers: Record<string, string>;
}

/**
 * Writes a `size`-byte file of deterministic pseudo-random bytes chunk by chunk (never the whole body in
 * memory) and computes its MD5, CRC32 and SHA-256 on the way, once, for the request headers.
 */
function writeBigBody(file: string, size: number): BigBody {
  const CHUNK = 8 * 1024 * 1024;
  const chunk = Buffer.allocUnsafe(CHUNK);
  const words = new Uint32Array(chunk.buffer, chunk.byteOffset, CHUNK / 4);
  const md5 = createHash('md5');
  const sha = createHash('sha256');
  let crc = 0;
  const fd = fs.openSync(file, 'w');
  try {
    for (let off = 0, n = 0; off < size; off += CHUNK, n++) {
      const len = Math.min(CHUNK, size - off);
      for (let i = 0; i < words.length; i++) words[i] = Math.imul(i + n * words.length + 7, 2654435761) >>> 0;
      const part = chunk.subarray(0, len);
      md5.update(part);
      sha.update(part);
      crc = zlib.crc32(part, crc);
      let written = 0;
      while (written < len) written += fs.writeSync(fd, part, written, len - written, off + written);
    }
  } finally {
    fs.closeSync(fd);
  }
  return {
    file: { path: file, size, sha256: sha.digest('hex') },
    headers: { 'content-type': 'application/octet-stream', ...checksumHeaders(md5.digest(), crc) },
  };
}

const BUCKET = 'basalt-bench';

async function ensureBucket(ctx: SetupContext): Promise<void> {
  const res = await ctx.call(s3('PUT', ''));
  if (res.status >= 300 && !/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(res.body.toString())) {
    throw new Error(`setup (CreateBucket) failed: ${describe(res)}`);
  }
}

function bytes(n: number, salt: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i += 4) b.writeUInt32LE(Math.imul(i + salt, 2654435761) >>> 0, Math.min(i, n - 4));
  return b;
}


// ---- the workloads -----------------------------------------------------------------------------------------

export function makeWorkloads(opts: WorkloadOptions): Record<WorkloadId, Workload> {
  const getKeys = opts.quick ? 200 : 1000;
  const scanItems = opts.quick ? 300 : 1000;
  const largeSize = (opts.quick ? 8 : 64) * 1024 * 1024;
  // Issue 8's single large object: 1 GiB (128 MiB in --quick), streamed from a file generated once.
  const bigSize = (opts.quick ? 128 : 1024) * 1024 * 1024;
  const bigLabel = bigSize >= 1 << 30 ? `${bigSize / (1 << 30)} GiB` : `${bigSize / (1 << 20)} MiB`;
  let big: BigBody | undefined;
  const prepareBig = async (): Promise<void> => {
    big ??= writeBigBody(path.join(opts.tmpDir, `body-${bigSize}.bin`), bigSize);
  };
  const bigPut = (key: string): BenchRequest => {
    if (!big) throw new Error('the large body file was not prepared');
    return { service: 's3', method: 'PUT', path: `/${BUCKET}/${key}`, headers: big.headers, bodyFile: big.file };
  };
  const small = Array.from({ length: 16 }, (_, i) => bytes(4096, i));
  const large = bytes(largeSize, 7);
  const queryItems = Array.from({ length: 100 }, (_, i) => item('q', String(i).padStart(4, '0')));
  const all = (n: number) => n;

  return {
    ...makeScaleWorkloads(opts),
    putitem: {
      id: 'putitem',
      title: 'DynamoDB PutItem (200 B item)',
      service: 'dynamodb',
      connections: all,
      setup: (ctx) => createTable(ctx, 'bench_put'),
      next: (seq) => ddb('PutItem', { TableName: 'bench_put', Item: item(`p${seq % 20000}`, 'a') }),
      keepBody: false,
      ceilingBytes: 2,
      ceilingMode: 'json',
      issue: 3,
      p99BoundMs: 10,
      targets: [
        { vs: 'ceiling', ratio: 0.4 },
        { vs: 'dynalite', ratio: 1.5 },
      ],
    },
    getitem: {
      id: 'getitem',
      title: `DynamoDB GetItem (${getKeys} keys)`,
      service: 'dynamodb',
      connections: all,
      setup: async (ctx) => {
        await createTable(ctx, 'bench_get');
        await seedItems(ctx, 'bench_get', Array.from({ length: getKeys }, (_, i) => item(`g${i}`, 'a')));
      },
      next: (seq) => ddb('GetItem', { TableName: 'bench_get', Key: { pk: { S: `g${spread(seq, getKeys)}` }, sk: { S: 'a' } } }),
      validate: jsonCheck((d) => (d.Item ? undefined : 'no Item in the answer')),
      keepBody: true,
      ceilingBytes: jsonSize({ Item: item('g100', 'a') }),
      ceilingMode: 'json',
      issue: 3,
      p99BoundMs: 10,
      targets: [
        { vs: 'ceiling', ratio: 0.6 },
        { vs: 'dynalite', ratio: 1.5 },
      ],
    },
    updateitem: {
      id: 'updateitem',
      title: 'DynamoDB UpdateItem (counter ADD)',
      service: 'dynamodb',
      connections: all,
      setup: async (ctx) => {
        await createTable(ctx, 'bench_update');
        await seedItems(ctx, 'bench_update', Array.from({ length: 100 }, (_, i) => item(`u${i}`, 'a')));
      },
      next: (seq) =>
        ddb('UpdateItem', {
          TableName: 'bench_update',
          Key: { pk: { S: `u${seq % 100}` }, sk: { S: 'a' } },
          UpdateExpression: 'ADD #n :one',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: { ':one': { N: '1' } },
          ReturnValues: 'UPDATED_NEW',
        }),
      validate: jsonCheck((d) => ((d.Attributes as Record<string, unknown> | undefined)?.n ? undefined : 'no updated counter in the answer')),
      keepBody: true,
      ceilingBytes: jsonSize({ Attributes: { n: { N: '12345' } } }),
      ceilingMode: 'json',
    },
    query: {
      id: 'query',
      title: 'DynamoDB Query (100 items, one partition)',
      service: 'dynamodb',
      connections: all,
      setup: async (ctx) => {
        await createTable(ctx, 'bench_query');
        await seedItems(ctx, 'bench_query', [...queryItems, item('q-other', '0000'), item('r', '0000')]);
      },
      next: () =>
        ddb('Query', {
          TableName: 'bench_query',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'q' } },
        }),
      validate: jsonCheck((d) => (d.Count === 100 && Array.isArray(d.Items) && d.Items.length === 100 ? undefined : `Count ${String(d.Count)}, expected 100`)),
      keepBody: true,
      ceilingBytes: jsonSize({ Count: 100, Items: queryItems, ScannedCount: 100 }),
      ceilingMode: 'json',
    },
    scan: {
      id: 'scan',
      title: `DynamoDB Scan page (Limit 100 of ${scanItems})`,
      service: 'dynamodb',
      connections: all,
      setup: async (ctx) => {
        await createTable(ctx, 'bench_scan');
        await seedItems(ctx, 'bench_scan', Array.from({ length: scanItems }, (_, i) => item(`s${i % 30}`, String(i).padStart(5, '0'))));
      },
      next: () => ddb('Scan', { TableName: 'bench_scan', Limit: 100 }),
      validate: jsonCheck((d) => (d.Count === 100 && d.LastEvaluatedKey ? undefined : `Count ${String(d.Count)}, expected a page of 100 with LastEvaluatedKey`)),
      keepBody: true,
      ceilingBytes: jsonSize({ Count: 100, Items: queryItems, LastEvaluatedKey: { pk: { S: 's1' }, sk: { S: '00100' } }, ScannedCount: 100 }),
      ceilingMode: 'json',
    },
    batchwrite: {
      id: 'batchwrite',
      title: 'DynamoDB BatchWriteItem (25 items)',
      service: 'dynamodb',
      connections: all,
      setup: (ctx) => createTable(ctx, 'bench_batch'),
      next: (seq) =>
        ddb('BatchWriteItem', {
          RequestItems: {
            bench_batch: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: item(`b${(seq * 25 + j) % 50000}`, 'a') } })),
          },
        }),
      validate: batchWriteComplete,
      keepBody: true,
      ceilingBytes: jsonSize({ UnprocessedItems: {} }),
      ceilingMode: 'json',
    },
    transact4: {
      id: 'transact4',
      title: 'DynamoDB TransactWriteItems (4 Puts, 200 B items)',
      service: 'dynamodb',
      connections: all,
      setup: (ctx) => createTable(ctx, 'bench_tx'),
      next: (seq) =>
        ddb('TransactWriteItems', {
          TransactItems: Array.from({ length: 4 }, (_, j) => ({ Put: { TableName: 'bench_tx', Item: item(`t${seq % 5000}`, `${j}`) } })),
        }),
      keepBody: false,
      ceilingBytes: 2,
      ceilingMode: 'json',
    },
    // The same four items as transact4, one PutItem each: req/s / 4 is the rate at which plain puts write what
    // one transaction writes, to compare with transact4's transactions/s.
    put4: {
      id: 'put4',
      title: 'DynamoDB PutItem x4 (transact4 items one by one; req/s / 4 compares)',
      service: 'dynamodb',
      connections: all,
      setup: (ctx) => createTable(ctx, 'bench_put4'),
      next: (seq) => ddb('PutItem', { TableName: 'bench_put4', Item: item(`t${Math.floor(seq / 4) % 5000}`, `${seq % 4}`) }),
      keepBody: false,
      ceilingBytes: 2,
      ceilingMode: 'json',
    },
    s3put4k: {
      id: 's3put4k',
      title: 'S3 PutObject 4 KiB',
      service: 's3',
      connections: all,
      setup: ensureBucket,
      next: (seq) => s3put(`small-put/${seq % 1000}`, small[seq % small.length]!),
      keepBody: false,
      ceilingBytes: 0,
      ceilingMode: 'file',
      objectBytes: 4096,
      issue: 8,
      targets: [
        { vs: 's3rver', ratio: 2 },
        { vs: 'ceiling', ratio: 0.6 },
      ],
    },
    s3get4k: {
      id: 's3get4k',
      title: 'S3 GetObject 4 KiB (100 objects)',
      service: 's3',
      connections: all,
      setup: async (ctx) => {
        await ensureBucket(ctx);
        await parallel(100, 16, async (i) => {
          await must(ctx, s3put(`small-get/${i}`, small[i % small.length]!), 'PutObject 4 KiB');
        });
      },
      next: (seq) => s3('GET', `small-get/${spread(seq, 100)}`),
      validate: (res: Response) => (res.length === 4096 ? undefined : `${res.length} bytes, expected 4096`),
      keepBody: false,
      ceilingBytes: 4096,
      ceilingMode: 'file',
      objectBytes: 4096,
      issue: 8,
      targets: [
        { vs: 's3rver', ratio: 2 },
        { vs: 'ceiling', ratio: 0.6 },
      ],
    },
    s3putlarge: {
      id: 's3putlarge',
      title: `S3 PutObject ${largeSize / 1048576} MiB`,
      service: 's3',
      // Large bodies: at most 4 in flight (the same for every system), to keep memory sane.
      connections: (n) => Math.min(n, 4),
      setup: ensureBucket,
      next: (seq) => s3put(`large-put/${seq % 4}`, large),
      keepBody: false,
      ceilingBytes: 0,
      ceilingMode: 'file',
      objectBytes: largeSize,
    },
    s3getlarge: {
      id: 's3getlarge',
      title: `S3 GetObject ${largeSize / 1048576} MiB`,
      service: 's3',
      connections: (n) => Math.min(n, 4),
      setup: async (ctx) => {
        await ensureBucket(ctx);
        await must(ctx, s3put('large-get/0', large), `PutObject ${largeSize} bytes`);
      },
      next: () => s3('GET', 'large-get/0'),
      validate: (res: Response) => (res.length === largeSize ? undefined : `${res.length} bytes, expected ${largeSize}`),
      keepBody: false,
      ceilingBytes: largeSize,
      ceilingMode: 'file',
      objectBytes: largeSize,
    },
    // Issue 8: one object of 1 GiB, one connection, one request per round, body streamed from a file (with
    // its precomputed SHA-256, MD5 and CRC32 in the headers); MB/s and the server's peak RSS.
    s3put1g: {
      id: 's3put1g',
      title: `S3 PutObject ${bigLabel}, one object, one connection (Content-MD5 + CRC32)`,
      service: 's3',
      connections: () => 1,
      prepare: prepareBig,
      setup: ensureBucket,
      next: () => bigPut('big-put/0'),
      keepBody: false,
      ceilingBytes: 0,
      ceilingMode: 'file',
      objectBytes: bigSize,
      requestsPerRound: 1,
      timeoutMs: 600_000,
      issue: 8,
      memoryBoundMB: 150,
      targets: [{ vs: 'ceiling', ratio: 0.5 }],
    },
    s3get1g: {
      id: 's3get1g',
      title: `S3 GetObject ${bigLabel}, one object, one connection`,
      service: 's3',
      connections: () => 1,
      prepare: prepareBig,
      setup: async (ctx) => {
        await ensureBucket(ctx);
        await must(ctx, bigPut('big-get/0'), `PutObject ${bigSize} bytes`);
      },
      next: () => s3('GET', 'big-get/0'),
      validate: (res: Response) => (res.length === bigSize ? undefined : `${res.length} bytes, expected ${bigSize}`),
      keepBody: false,
      ceilingBytes: bigSize,
      ceilingMode: 'file',
      objectBytes: bigSize,
      requestsPerRound: 1,
      timeoutMs: 600_000,
      issue: 8,
      memoryBoundMB: 150,
      targets: [{ vs: 'ceiling', ratio: 0.7 }],
    },
  };
}
