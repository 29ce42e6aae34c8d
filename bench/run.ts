// npm run bench [-- --quick] [--duration S] [--warmup S] [--rounds N] [--connections N]
//               [--only putitem,getitem] [--systems basalt,dynalite] [--compare bench/results/X.json]
// Starts every system, runs each workload against each in alternating rounds, prints the tables and saves
// bench/results/<timestamp>.json and .svg (plus latest.json / latest.svg).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, runLoad, percentile, type Target } from './load';
import { median, renderComparison, renderSvg, renderTable, type BenchResults, type SystemResult, type WorkloadResult } from './report';
import { checkSigner, Signer } from './sigv4';
import { ALL_SYSTEMS, MemorySampler, startSystem, SYSTEM_DEFS, type RunningSystem, type SystemName } from './systems';
import { waitForQuiet } from './quiet';
import { ALL_WORKLOADS, makeWorkloads, type Workload, type WorkloadId } from './workloads';

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS = path.join(ROOT, 'bench', 'results');

interface Options {
  quick: boolean;
  durationS: number;
  warmupS: number;
  rounds: number;
  connections: number;
  only: WorkloadId[];
  systems: SystemName[];
  compare?: string;
}

const USAGE = `Usage: npm run bench -- [options]
  --quick              short run (2 rounds x 0.6 s, 8 MiB large objects, 128 MiB instead of 1 GiB, less seed data)
  --duration S         measured seconds per system per round (default 4; quick 0.6)
  --warmup S           warm-up seconds before each measurement, not counted (default 1; quick 0.15)
  --rounds N           rounds per workload, systems alternating order (default 3; quick 2)
  --connections N      concurrent keep-alive connections (default 32)
  --only LIST          workloads: ${ALL_WORKLOADS.join(',')}
  --systems LIST       systems: ${ALL_SYSTEMS.join(',')}
  --compare FILE       print the deltas against an earlier results JSON`;

function parseArgs(argv: string[]): Options {
  const opts: Options = { quick: false, durationS: NaN, warmupS: NaN, rounds: NaN, connections: 32, only: ALL_WORKLOADS, systems: ALL_SYSTEMS };
  const list = <T extends string>(v: string | undefined, all: T[], what: string): T[] => {
    const items = (v ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    for (const i of items) if (!all.includes(i as T)) throw new Error(`unknown ${what} "${i}" (known: ${all.join(', ')})`);
    if (items.length === 0) throw new Error(`--${what === 'workload' ? 'only' : 'systems'} needs a list`);
    return all.filter((a) => items.includes(a));
  };
  const num = (v: string | undefined, flag: string): number => {
    const n = Number(v);
    if (!v || !Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--quick':
        opts.quick = true;
        break;
      case '--duration':
        opts.durationS = num(value(), flag);
        break;
      case '--warmup':
        opts.warmupS = Number(value());
        break;
      case '--rounds':
        opts.rounds = Math.round(num(value(), flag));
        break;
      case '--connections':
        opts.connections = Math.round(num(value(), flag));
        break;
      case '--only':
        opts.only = list(value(), ALL_WORKLOADS, 'workload');
        break;
      case '--systems':
        opts.systems = list(value(), ALL_SYSTEMS, 'system');
        break;
      case '--compare':
        opts.compare = value();
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  if (Number.isNaN(opts.durationS)) opts.durationS = opts.quick ? 0.6 : 4;
  if (Number.isNaN(opts.warmupS) || opts.warmupS < 0) opts.warmupS = opts.quick ? 0.15 : 1;
  if (Number.isNaN(opts.rounds)) opts.rounds = opts.quick ? 2 : 3;
  return opts;
}

/** Round r's order: the list rotated by r, reversed on odd rounds, so no system always goes first or last. */
function roundOrder<T>(items: T[], r: number): T[] {
  const rot = items.map((_, i) => items[(i + r) % items.length]!);
  return r % 2 ? rot.reverse() : rot;
}

/** Whether `name` runs `w`: it serves the workload's API and the workload does not leave it out. */
function runs(name: SystemName, w: Workload): boolean {
  return SYSTEM_DEFS[name].services.includes(w.service) && !w.skip?.includes(name);
}

function timestampNow(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  let before: BenchResults | undefined;
  if (opts.compare) before = JSON.parse(fs.readFileSync(path.resolve(opts.compare), 'utf8')) as BenchResults;

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'basalt-bench-'));
  const running = new Map<SystemName, RunningSystem>();
  const startErrors = new Map<SystemName, string>();
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all([...running.values()].map((s) => s.stop()));
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      void stopAll().then(() => process.exit(130));
    });
  }

  try {
    const started = Date.now();
    const workloads = makeWorkloads({ quick: opts.quick, tmpDir: tmp });
    const wanted = opts.only.map((id) => workloads[id]);
    for (const w of wanted) {
      if (!w.prepare) continue;
      const t = Date.now();
      await w.prepare();
      if (Date.now() - t > 200) console.log(`  (${w.id}: body file generated with its SHA-256, MD5 and CRC32 in ${((Date.now() - t) / 1000).toFixed(1)} s)`);
    }
    // The generator's fast signer must sign exactly as the SDK's signer does (same Authorization header).
    await checkSigner([
      ...wanted.map((w) => ({ service: w.service, req: w.next(1) })),
      { service: 's3', req: { method: 'GET', path: '/basalt-bench', query: { 'list-type': '2', prefix: 'a b/c*', uploads: '' }, headers: {} } },
    ]);
    const needed = opts.systems.filter((s) => wanted.some((w) => runs(s, w)));
    console.log(
      `Basalt bench (${opts.quick ? 'quick' : 'full'}): ${opts.rounds} rounds x ${opts.durationS} s after ${opts.warmupS} s warm-up, ` +
        `${opts.connections} connections, ${os.cpus().length} CPUs`,
    );
    await Promise.all(
      needed.map(async (name) => {
        try {
          running.set(name, await startSystem(name, tmp));
        } catch (err) {
          startErrors.set(name, (err as Error).message);
        }
      }),
    );
    const notes: Record<string, string> = {};
    for (const name of needed) {
      const r = running.get(name);
      notes[name] = r ? `${r.note} [port ${r.port}]` : `NOT STARTED: ${startErrors.get(name)}`;
      console.log(`  ${name.padEnd(9)} ${notes[name]}`);
    }

    const results: WorkloadResult[] = [];
    for (const w of wanted) {
      const connections = w.connections(opts.connections);
      const systems = needed.filter((s) => runs(s, w));
      const rounds = w.rounds ?? opts.rounds;
      const perSystem = new Map<SystemName, { rounds: number[]; lat: number[][]; peak: number; ok: number; errors: number; firstError?: string; dead?: boolean }>();
      const targets = new Map<SystemName, Target>();

      // Setup, once per system, before any timing.
      for (const name of systems) {
        const acc = { rounds: [] as number[], lat: [] as number[][], peak: 0, ok: 0, errors: 0, firstError: undefined as string | undefined, dead: false };
        perSystem.set(name, acc);
        const sys = running.get(name);
        if (!sys) {
          acc.dead = true;
          acc.firstError = `not started: ${startErrors.get(name)}`;
          continue;
        }
        const target: Target = { host: `127.0.0.1:${sys.port}`, signer: new Signer(sys.def.credentials) };
        if (name === 'ceiling') {
          target.extraHeaders =
            w.ceilingMode === 'file' ? { 'x-bench-ceiling': 'file' } : { 'x-bench-ceiling': 'json', 'x-bench-reply-bytes': String(w.ceilingBytes) };
        }
        targets.set(name, target);
        // The JSON-echo ceiling has nothing to set up; the file ceiling stores the same seed objects as the others.
        if (name === 'ceiling' && w.ceilingMode === 'json') continue;
        const client = new Client(target, 16, w.timeoutMs ?? 120_000);
        try {
          await w.setup({ call: (req) => client.call(req, true) });
        } catch (err) {
          acc.dead = true;
          acc.errors = 1;
          acc.firstError = (err as Error).message;
        } finally {
          client.close();
        }
      }

      for (let r = 0; r < rounds; r++) {
        for (const name of roundOrder(systems, r)) {
          const acc = perSystem.get(name)!;
          if (acc.dead) continue;
          const sys = running.get(name)!;
          if ((await waitForQuiet()) < 0) console.log(`  (the machine stayed busy for 20 s before ${name}'s round; measuring anyway)`);
          const mem = new MemorySampler(sys.pid);
          mem.start();
          const echo = name === 'ceiling' && w.ceilingMode === 'json'; // its answers are filler: nothing to validate
          const res = await runLoad({
            target: targets.get(name)!,
            connections,
            warmupMs: opts.warmupS * 1000,
            durationMs: opts.durationS * 1000,
            next: w.next,
            validate: echo ? undefined : w.validate,
            keepBody: echo ? false : w.keepBody,
            requests: w.requestsPerRound,
            timeoutMs: w.timeoutMs,
          });
          const roundPeak = mem.stop();
          acc.peak = Math.max(acc.peak, roundPeak);
          acc.rounds.push(res.throughput);
          acc.lat.push(res.latencies);
          acc.ok += res.ok;
          acc.errors += res.errors;
          acc.firstError ??= res.firstError;
          // Nothing succeeded: the system does not do this workload (yet); no need for more rounds.
          if (res.ok === 0) acc.dead = true;
          const rps = res.throughput < 10 ? res.throughput.toFixed(3) : Math.round(res.throughput).toString();
          const mbs = w.objectBytes ? `  ${((res.throughput * w.objectBytes) / 1048576).toFixed(1).padStart(7)} MB/s` : '';
          const items = w.itemsPerRequest ? `  ${Math.round(res.throughput * w.itemsPerRequest).toString().padStart(7)} items/s` : '';
          const big = w.requestsPerRound ? `  ${res.seconds.toFixed(2)} s, peak ${Math.round(roundPeak)} MB` : '';
          console.log(
            `  ${w.id.padEnd(10)} round ${r + 1}/${rounds} ${name.padEnd(9)} ${rps.padStart(7)} req/s${mbs}${items}${big}` +
              `${res.errors ? `  ${res.errors} errors` : ''}${res.aborted ? ' (stopped early: nothing succeeded)' : ''}`,
          );
        }
      }

      const out: Record<string, SystemResult> = {};
      for (const name of needed) {
        if (!systems.includes(name)) {
          out[name] = { status: 'n/a', throughput: null, rounds: [], p50: null, p99: null, peakMB: null, ok: 0, errors: 0 };
          continue;
        }
        const acc = perSystem.get(name)!;
        const total = acc.ok + acc.errors;
        const failed = acc.ok === 0 || acc.errors / Math.max(1, total) > 0.01;
        const lat = acc.lat.flat().sort((a, b) => a - b);
        out[name] = {
          status: failed ? 'FAILED' : 'ok',
          throughput: failed ? null : median(acc.rounds),
          rounds: acc.rounds.map((x) => Math.round(x)),
          p50: lat.length ? +percentile(lat, 50).toFixed(3) : null,
          p99: lat.length ? +percentile(lat, 99).toFixed(3) : null,
          peakMB: acc.peak ? Math.round(acc.peak) : null,
          ok: acc.ok,
          errors: acc.errors,
          ...(acc.firstError ? { firstError: acc.firstError.slice(0, 500) } : {}),
        };
      }
      const basaltRatio: Record<string, number | null> = {};
      const b = out.basalt;
      for (const name of Object.keys(out)) {
        if (name === 'basalt' || !b) continue;
        const o = out[name]!;
        basaltRatio[name] = b.status === 'ok' && o.status === 'ok' && b.throughput && o.throughput ? +(b.throughput / o.throughput).toFixed(3) : null;
      }
      const notes: string[] = [];
      for (const t of w.targets ?? []) {
        if (!out.basalt || !out[t.vs]) continue;
        const got = basaltRatio[t.vs];
        notes.push(
          `issue ${w.issue} target: Basalt >= ${t.ratio < 1 ? `${Math.round(t.ratio * 100)}% of` : `${t.ratio}x`} ${t.vs}: ` +
            (got == null ? 'not measured (a system failed)' : `${t.ratio < 1 ? `${Math.round(got * 100)}%` : `${got.toFixed(2)}x`}, ${got >= t.ratio ? 'met' : 'NOT met'}`),
        );
      }
      if (w.memoryBoundMB) {
        const peaks = Object.entries(out)
          .filter(([, r]) => r.peakMB !== null)
          .map(([n, r]) => `${n} ${r.peakMB} MB ${r.peakMB! < w.memoryBoundMB! ? 'under' : 'OVER'}`);
        if (peaks.length) notes.push(`server peak RSS vs issue ${w.issue}'s ${w.memoryBoundMB} MB bound: ${peaks.join(', ')}`);
      }
      if (w.p99BoundMs && out.basalt?.p99 != null) {
        const p99 = out.basalt.p99;
        notes.push(`issue ${w.issue} bound: Basalt p99 < ${w.p99BoundMs} ms: ${p99} ms, ${p99 < w.p99BoundMs ? 'met' : 'NOT met'}`);
      }
      results.push({
        id: w.id,
        title: w.title,
        connections,
        systems: out,
        basaltRatio,
        ...(w.objectBytes ? { objectBytes: w.objectBytes } : {}),
        ...(w.requestsPerRound ? { requestsPerRound: w.requestsPerRound } : {}),
        ...(w.itemsPerRequest ? { itemsPerRequest: w.itemsPerRequest } : {}),
        ...(notes.length ? { notes } : {}),
      });
    }

    const cpu = os.cpus();
    const res: BenchResults = {
      timestamp: timestampNow(),
      mode: opts.quick ? 'quick' : 'full',
      settings: { durationS: opts.durationS, warmupS: opts.warmupS, rounds: opts.rounds, connections: opts.connections },
      machine: { cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? '?', node: process.version, platform: `${os.platform()} ${os.release()}` },
      systems: notes,
      workloads: results,
    };

    console.log('');
    for (const w of results) console.log(`${renderTable(w)}\n`);
    console.log('req/s: median over rounds of successful requests per second; p50/p99 over all measured requests;');
    console.log('peak MB: the server process group\'s peak RSS during its runs; Basalt/x: Basalt\'s req/s divided by x\'s.');
    if (results.some((w) => w.itemsPerRequest)) console.log('items/s: req/s x items per request.');
    if (results.some((w) => w.objectBytes)) console.log('MB/s: req/s x object size (MB = 2^20 bytes); a 1-request round is timed from its first byte sent to its last byte received.');
    if (needed.includes('ceiling') && wanted.some((w) => w.ceilingMode === 'file')) {
      console.log('ceiling (S3): PUT writes a temp file, fsyncs it, renames it and fsyncs the directory before answering (a durable file per object, as Basalt keeps bodies over 64 KiB); GET reads the file back. No auth, no checksums.');
    }

    fs.mkdirSync(RESULTS, { recursive: true });
    const stamp = res.timestamp.replace(/:/g, '-');
    const json = `${JSON.stringify(res, null, 1)}\n`;
    const svg = renderSvg(res);
    fs.writeFileSync(path.join(RESULTS, `${stamp}.json`), json);
    fs.writeFileSync(path.join(RESULTS, `${stamp}.svg`), svg);
    fs.writeFileSync(path.join(RESULTS, 'latest.json'), json);
    fs.writeFileSync(path.join(RESULTS, 'latest.svg'), svg);
    console.log(`\nSaved bench/results/${stamp}.json and .svg (also latest.json, latest.svg) in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    if (before) console.log(`\n${renderComparison(before, res)}`);
  } finally {
    await stopAll();
  }
}

main().catch((err: unknown) => {
  console.error(`bench: ${(err as Error).message ?? String(err)}`);
  process.exit(1);
});
