// Issue 5's reads at scale: one table of 1,000,000 items of ~200 bytes in 10,000 partitions (100,000 in 1,000
// with --quick), loaded with BatchWriteItem of 25 items (itself a workload, measured in items/s), then Query of
// 10 and of 100 items of a random partition and Scan pages of 1 MB (no Limit) from random start keys. moto is
// left out: loading a million items into it would take far too long.
import type { BenchRequest, Validator } from './load';
import { batchWriteComplete, createTable, ddb, item, jsonCheck, jsonSize, must, parallel, spread, type SetupContext, type Workload, type WorkloadOptions } from './workload';

export type ScaleWorkloadId = 'scaleload' | 'scalequery10' | 'scalequery100' | 'scalescan1mb';
export const SCALE_WORKLOADS: ScaleWorkloadId[] = ['scaleload', 'scalequery10', 'scalequery100', 'scalescan1mb'];

const TABLE = 'bench_scale';
const PER_PARTITION = 100;
const BATCH = 25;
const PAGE_BYTES = 1024 * 1024;

/** Issue 5's targets and bounds, shared by the four workloads. */
const ISSUE_5 = { issue: 5, skip: ['moto'], memoryBoundMB: 300, targets: [{ vs: 'dynalite', ratio: 3 }] };

/** DynamoDB's size of an item of S and N attributes (names plus values; a small integer N is 2 bytes). */
function itemSize(it: ReturnType<typeof item>): number {
  let n = 0;
  for (const [name, v] of Object.entries(it)) n += Buffer.byteLength(name) + ('S' in v ? Buffer.byteLength(v.S) : 2);
  return n;
}

/**
 * A 1 MB page's answer, checked without parsing a megabyte of JSON in the load generator (which shares the
 * CPUs with the server): some items, and a full page whenever LastEvaluatedKey says more follow.
 */
const fullPage: Validator = (res) => {
  const at = res.body.indexOf('"Count":');
  const count = at < 0 ? NaN : parseInt(res.body.toString('latin1', at + 8, at + 20), 10);
  if (!(count > 0)) return `Count ${count}, expected items`;
  if (res.body.indexOf('"LastEvaluatedKey"') >= 0 && res.body.length < PAGE_BYTES * 0.9) return `a ${res.body.length}-byte page with LastEvaluatedKey, expected about 1 MB`;
  return undefined;
};

export function makeScaleWorkloads(opts: WorkloadOptions): Record<ScaleWorkloadId, Workload> {
  const items = opts.quick ? 100_000 : 1_000_000;
  const partitions = items / PER_PARTITION;
  const label = `${items.toLocaleString('en-US')} items in ${partitions.toLocaleString('en-US')} partitions`;
  const pk = (p: number) => `p${String(p).padStart(5, '0')}`;
  const sk = (s: number) => String(s).padStart(4, '0');
  // Item k goes to partition k mod P, so each batch writes 25 partitions, as a real load would.
  const nth = (k: number) => item(pk(k % partitions), sk(Math.floor(k / partitions)));
  const batch = (seq: number): BenchRequest =>
    ddb('BatchWriteItem', { RequestItems: { [TABLE]: Array.from({ length: BATCH }, (_, j) => ({ PutRequest: { Item: nth(seq * BATCH + j) } })) } });

  /** The table loaded, untimed, unless a load (the scaleload workload) already filled it. */
  const ensureLoaded = async (ctx: SetupContext): Promise<void> => {
    await createTable(ctx, TABLE);
    const last = nth(items - 1);
    const got = await must(ctx, ddb('GetItem', { TableName: TABLE, Key: { pk: last.pk, sk: last.sk } }), `GetItem from ${TABLE}`);
    if ((JSON.parse(got.body.toString()) as { Item?: unknown }).Item) return;
    await parallel(items / BATCH, 16, async (seq) => {
      const res = await must(ctx, batch(seq), `BatchWriteItem into ${TABLE}`);
      const problem = batchWriteComplete(res);
      if (problem) throw new Error(`setup (BatchWriteItem into ${TABLE}): ${problem}`);
    });
  };

  const query = (seq: number, limit?: number): BenchRequest =>
    ddb('Query', {
      TableName: TABLE,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: pk(spread(seq, partitions)) } },
      ...(limit !== undefined && { Limit: limit }),
    });
  const counted = (n: number) => jsonCheck((d) => (d.Count === n && Array.isArray(d.Items) && d.Items.length === n ? undefined : `Count ${String(d.Count)}, expected ${n}`));
  const partition = (n: number) => Array.from({ length: n }, (_, s) => item(pk(0), sk(s)));
  const pageItems = Math.ceil(PAGE_BYTES / itemSize(nth(0)));
  const all = (n: number) => n;

  return {
    scaleload: {
      id: 'scaleload',
      title: `DynamoDB load of ${label} (BatchWriteItem of 25)`,
      service: 'dynamodb',
      connections: all,
      setup: (ctx) => createTable(ctx, TABLE),
      next: batch,
      validate: batchWriteComplete,
      keepBody: true,
      ceilingBytes: jsonSize({ UnprocessedItems: {} }),
      ceilingMode: 'json',
      rounds: 1,
      requestsPerRound: items / BATCH,
      itemsPerRequest: BATCH,
      ...ISSUE_5,
    },
    scalequery10: {
      id: 'scalequery10',
      title: `DynamoDB Query of 10 items, random partition (table of ${label})`,
      service: 'dynamodb',
      connections: all,
      setup: ensureLoaded,
      next: (seq) => query(seq, 10),
      validate: counted(10),
      keepBody: true,
      ceilingBytes: jsonSize({ Count: 10, Items: partition(10), LastEvaluatedKey: { pk: { S: pk(0) }, sk: { S: sk(9) } }, ScannedCount: 10 }),
      ceilingMode: 'json',
      p99BoundMs: 20,
      ...ISSUE_5,
    },
    scalequery100: {
      id: 'scalequery100',
      title: `DynamoDB Query of 100 items, random partition (table of ${label})`,
      service: 'dynamodb',
      connections: all,
      setup: ensureLoaded,
      next: (seq) => query(seq),
      validate: counted(100),
      keepBody: true,
      ceilingBytes: jsonSize({ Count: 100, Items: partition(100), ScannedCount: 100 }),
      ceilingMode: 'json',
      p99BoundMs: 20,
      ...ISSUE_5,
    },
    scalescan1mb: {
      id: 'scalescan1mb',
      title: `DynamoDB Scan page of 1 MB from a random start key (table of ${label})`,
      service: 'dynamodb',
      // Megabyte answers: at most 4 in flight (the same for every system), so that each completes inside
      // even the quick run's window and the servers' memory measures a page, not 32 of them queued.
      connections: (n) => Math.min(n, 4),
      setup: ensureLoaded,
      next: (seq) => ddb('Scan', { TableName: TABLE, ExclusiveStartKey: { pk: { S: pk(spread(seq, partitions)) }, sk: { S: sk(0) } } }),
      validate: fullPage,
      keepBody: true,
      ceilingBytes: jsonSize({ Count: pageItems, Items: partition(pageItems), LastEvaluatedKey: { pk: { S: pk(0) }, sk: { S: sk(0) } }, ScannedCount: pageItems }),
      ceilingMode: 'json',
      ...ISSUE_5,
    },
  };
}
