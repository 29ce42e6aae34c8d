// The workloads: identical requests and data for every system. Setup (tables, buckets, seed data) is done
// before timing with the same kind of signed requests; seeding failures mark the system FAILED.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { BenchRequest, Response, Validator } from './load';
import type { BodyFile, Service } from './sigv4';

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
  | 's3get1g';

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
];

export interface SetupContext {
  /** Sends one signed request to the system under test. */
  call(req: BenchRequest): Promise<Response>;
}

export interface Workload {
  id: WorkloadId;
  title: string;
  service: Service;
  /** Concurrent connections for this workload, from the --connections setting (same for every system). */
  connections(requested: number): number;
  setup(ctx: SetupContext): Promise<void>;
  next(seq: number): BenchRequest;
  validate?: Validator;
  /** Whether the validator reads the body. */
  keepBody: boolean;
  /** Size of the answer the ceiling server sends in json mode (what a real server answers for this request). */
  ceilingBytes: number;
  /**
   * How the ceiling server serves it: `json` answers a same-size JSON body (DynamoDB); `file` writes PUT
   * bodies to files (fsynced) and answers GETs from them (S3), after the same setup as the other systems.
   */
  ceilingMode: 'json' | 'file';
  /** Object bytes moved per request, for the MB/s column. */
  objectBytes?: number;
  /** Exactly this many requests per round instead of a timed window (no warm-up). */
  requestsPerRound?: number;
  /** Per-request timeout, ms (default 120 s). */
  timeoutMs?: number;
  /** Work before anything starts (e.g. generating a large body file); awaited once. */
  prepare?(): Promise<void>;
  /** The bound the server's peak RSS should stay under (printed as met or not). */
  memoryBoundMB?: number;
  /** Issue 8's targets: Basalt's throughput at least `ratio` x that of `vs`. */
  targets?: { vs: string; ratio: number }[];
}

export interface WorkloadOptions {
  quick: boolean;
  /** Where large generated bodies go (removed by the caller). */
  tmpDir: string;
}

// ---- helpers ----------------------------------------------------------------------------------------------

type AttributeValue = { S: string } | { N: string };
type Item = Record<string, AttributeValue>;

/** A deterministic PRNG-like spread of seq over [0, n). */
function spread(seq: number, n: number): number {
  return (Math.imul(seq + 1, 2654435761) >>> 0) % n;
}

const PAYLOAD = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A ~200-byte item (its DynamoDB JSON is 200 bytes ± a few). */
export function item(pk: string, sk: string): Item {
  const base = JSON.stringify({ pk: { S: pk }, sk: { S: sk }, n: { N: '0' }, payload: { S: '' } }).length;
  const fill = Math.max(10, 200 - base);
  return { pk: { S: pk }, sk: { S: sk }, n: { N: '0' }, payload: { S: PAYLOAD.repeat(4).slice(0, fill) } };
}

function ddb(op: string, body: unknown): BenchRequest {
  return {
    service: 'dynamodb',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${op}` },
    body: Buffer.from(JSON.stringify(body)),
  };
}

function describe(res: Response): string {
  return `HTTP ${res.status}: ${res.body.subarray(0, 300).toString('utf8').replace(/\s+/g, ' ').trim()}`;
}

async function must(ctx: SetupContext, req: BenchRequest, what: string, okStatuses: number[] = []): Promise<Response> {
  const res = await ctx.call(req);
  if ((res.status < 200 || res.status >= 300) && !okStatuses.includes(res.status)) {
    throw new Error(`setup (${what}) failed: ${describe(res)}`);
  }
  return res;
}

async function createTable(ctx: SetupContext, table: string): Promise<void> {
  const res = await ctx.call(
    ddb('CreateTable', {
      TableName: table,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  if (res.status !== 200 && !res.body.toString().includes('ResourceInUseException')) {
    throw new Error(`setup (CreateTable ${table}) failed: ${describe(res)}`);
  }
  for (let i = 0; i < 100; i++) {
    const d = await must(ctx, ddb('DescribeTable', { TableName: table }), `DescribeTable ${table}`);
    if ((JSON.parse(d.body.toString()) as { Table?: { TableStatus?: string } }).Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`setup: table ${table} never became ACTIVE`);
}

async function parallel(count: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

async function seedItems(ctx: SetupContext, table: string, items: Item[]): Promise<void> {
  await parallel(items.length, 16, async (i) => {
    await must(ctx, ddb('PutItem', { TableName: table, Item: items[i] }), `PutItem into ${table}`);
  });
}

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

function jsonCheck(check: (doc: Record<string, unknown>) => string | undefined): Validator {
  return (res) => {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return 'the body is not JSON';
    }
    return check(doc);
  };
}

function jsonSize(doc: unknown): number {
  return Buffer.byteLength(JSON.stringify(doc));
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
      validate: jsonCheck((d) => {
        const un = d.UnprocessedItems as Record<string, unknown> | undefined;
        return un && Object.keys(un).length > 0 ? 'UnprocessedItems not empty' : undefined;
      }),
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
      memoryBoundMB: 150,
      targets: [{ vs: 'ceiling', ratio: 0.7 }],
    },
  };
}
