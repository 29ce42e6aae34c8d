// What every workload is, and the DynamoDB request and setup helpers the workload modules share.
import type { BenchRequest, Response, Validator } from './load';
import type { Service } from './sigv4';

export interface SetupContext {
  /** Sends one signed request to the system under test. */
  call(req: BenchRequest): Promise<Response>;
}

export interface Workload {
  id: string;
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
  /** Rounds of this workload regardless of --rounds (the scale load builds its table once). */
  rounds?: number;
  /** Systems that do not run it (shown as n/a), e.g. one far too slow to load a million items. */
  skip?: string[];
  /** Items written or read per request, for an items/s column. */
  itemsPerRequest?: number;
  /** The issue whose targets and bounds below are printed under the table. */
  issue?: number;
  /** The bound the server's peak RSS should stay under (printed as met or not). */
  memoryBoundMB?: number;
  /** The bound Basalt's p99 latency should stay under (printed as met or not). */
  p99BoundMs?: number;
  /** Targets: Basalt's throughput at least `ratio` x that of `vs`. */
  targets?: { vs: string; ratio: number }[];
}

export interface WorkloadOptions {
  quick: boolean;
  /** Where large generated bodies go (removed by the caller). */
  tmpDir: string;
}

// ---- helpers ----------------------------------------------------------------------------------------------

export type AttributeValue = { S: string } | { N: string };
export type Item = Record<string, AttributeValue>;

/** A deterministic PRNG-like spread of seq over [0, n). */
export function spread(seq: number, n: number): number {
  return (Math.imul(seq + 1, 2654435761) >>> 0) % n;
}

const PAYLOAD = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A ~200-byte item (its DynamoDB JSON is 200 bytes ± a few). */
export function item(pk: string, sk: string): Item {
  const base = JSON.stringify({ pk: { S: pk }, sk: { S: sk }, n: { N: '0' }, payload: { S: '' } }).length;
  const fill = Math.max(10, 200 - base);
  return { pk: { S: pk }, sk: { S: sk }, n: { N: '0' }, payload: { S: PAYLOAD.repeat(4).slice(0, fill) } };
}

export function ddb(op: string, body: unknown): BenchRequest {
  return {
    service: 'dynamodb',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${op}` },
    body: Buffer.from(JSON.stringify(body)),
  };
}

export function describe(res: Response): string {
  return `HTTP ${res.status}: ${res.body.subarray(0, 300).toString('utf8').replace(/\s+/g, ' ').trim()}`;
}

export async function must(ctx: SetupContext, req: BenchRequest, what: string, okStatuses: number[] = []): Promise<Response> {
  const res = await ctx.call(req);
  if ((res.status < 200 || res.status >= 300) && !okStatuses.includes(res.status)) {
    throw new Error(`setup (${what}) failed: ${describe(res)}`);
  }
  return res;
}

export async function createTable(ctx: SetupContext, table: string): Promise<void> {
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

export async function parallel(count: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

export async function seedItems(ctx: SetupContext, table: string, items: Item[]): Promise<void> {
  await parallel(items.length, 16, async (i) => {
    await must(ctx, ddb('PutItem', { TableName: table, Item: items[i] }), `PutItem into ${table}`);
  });
}

export function jsonCheck(check: (doc: Record<string, unknown>) => string | undefined): Validator {
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

export function jsonSize(doc: unknown): number {
  return Buffer.byteLength(JSON.stringify(doc));
}

/** A BatchWriteItem answer that left nothing unprocessed. */
export const batchWriteComplete = jsonCheck((d) => {
  const un = d.UnprocessedItems as Record<string, unknown> | undefined;
  return un && Object.keys(un).length > 0 ? 'UnprocessedItems not empty' : undefined;
});
