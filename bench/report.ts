// Results: the printed tables, the JSON file, the hand-written SVG chart and the comparison with a saved run.

export type Status = 'ok' | 'FAILED' | 'n/a';

export interface SystemResult {
  status: Status;
  /** Median of the rounds' throughputs (successful requests per second). */
  throughput: number | null;
  rounds: number[];
  p50: number | null;
  p99: number | null;
  peakMB: number | null;
  ok: number;
  errors: number;
  firstError?: string;
}

export interface WorkloadResult {
  id: string;
  title: string;
  connections: number;
  systems: Record<string, SystemResult>;
  /** Basalt's throughput divided by each other system's (null when either failed or is n/a). */
  basaltRatio: Record<string, number | null>;
  /** Object bytes per request (S3 workloads): MB/s = req/s x this / 2^20. */
  objectBytes?: number;
  /** Items written or read per request: items/s = req/s x this. */
  itemsPerRequest?: number;
  /** Set when each round was a fixed number of requests rather than a timed window. */
  requestsPerRound?: number;
  /** Lines printed under the table: an issue's targets and bounds, met or not. */
  notes?: string[];
}

export interface BenchResults {
  timestamp: string;
  mode: 'quick' | 'full';
  settings: { durationS: number; warmupS: number; rounds: number; connections: number };
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  systems: Record<string, string>;
  workloads: WorkloadResult[];
}

const fmt = (n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const ms = (n: number | null): string => (n === null ? '-' : n < 10 ? fmt(n, 2) : n < 100 ? fmt(n, 1) : fmt(n, 0));

/** req/s: whole numbers, except the slow large-object rates (a 1 GiB PUT is well under 1 req/s). */
const rate = (n: number | null): string => (n !== null && n < 10 ? fmt(n, 3) : fmt(n));

/** MB/s (MB = 2^20 bytes, as peak MB) of a workload moving `objectBytes` per request. */
export function mbPerS(w: { objectBytes?: number }, r: SystemResult): number | null {
  return w.objectBytes && r.status === 'ok' && r.throughput !== null ? (r.throughput * w.objectBytes) / 1048576 : null;
}

function pad(s: string, w: number, right = false): string {
  return right ? s.padStart(w) : s.padEnd(w);
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function renderTable(w: WorkloadResult): string {
  const names = Object.keys(w.systems);
  const mb = w.objectBytes !== undefined;
  const perItem = w.itemsPerRequest !== undefined;
  const head = ['system', 'status', 'req/s', ...(perItem ? ['items/s'] : []), ...(mb ? ['MB/s'] : []), 'p50 ms', 'p99 ms', 'peak MB', 'errors', 'Basalt/x'];
  const rows = names.map((name) => {
    const r = w.systems[name]!;
    if (r.status === 'n/a') return [name, 'n/a', ...head.slice(2).map(() => '')];
    const ratio = name === 'basalt' ? '' : w.basaltRatio[name] == null ? '-' : `${fmt(w.basaltRatio[name]!, 2)}x`;
    const m = mbPerS(w, r);
    return [
      name,
      r.status,
      r.status === 'FAILED' ? '-' : rate(r.throughput),
      ...(perItem ? [r.status === 'FAILED' || r.throughput === null ? '-' : fmt(r.throughput * w.itemsPerRequest!)] : []),
      ...(mb ? [m === null ? '-' : fmt(m, m < 100 ? 1 : 0)] : []),
      r.status === 'FAILED' ? '-' : ms(r.p50),
      r.status === 'FAILED' ? '-' : ms(r.p99),
      fmt(r.peakMB, 0),
      fmt(r.errors),
      ratio,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i >= 2)).join('  ');
  const shape = `${w.connections} connection${w.connections === 1 ? '' : 's'}${w.requestsPerRound ? `, ${w.requestsPerRound} request${w.requestsPerRound === 1 ? '' : 's'} per round` : ''}`;
  const out = [`${w.title}  [${shape}]`, line(head), widths.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)];
  for (const name of names) {
    const r = w.systems[name]!;
    if (r.status === 'FAILED' && r.firstError) out.push(`  ${name} FAILED: ${r.firstError.slice(0, 220)}`);
    else if (r.errors > 0 && r.firstError) out.push(`  ${name}: ${r.errors} errors, first: ${r.firstError.slice(0, 200)}`);
  }
  for (const n of w.notes ?? []) out.push(`  ${n}`);
  return out.join('\n');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const COLORS: Record<string, string> = {
  basalt: '#c0392b',
  dynalite: '#2980b9',
  s3rver: '#16a085',
  moto: '#8e44ad',
  ceiling: '#7f8c8d',
};

/** Horizontal grouped bars, one group per workload, each bar scaled to the fastest system of that workload. */
export function renderSvg(res: BenchResults): string {
  const width = 900;
  const labelW = 300;
  const barMax = 430;
  const barH = 16;
  const gap = 4;
  const groupGap = 22;
  let y = 60;
  const parts: string[] = [];
  for (const w of res.workloads) {
    const names = Object.keys(w.systems);
    const best = Math.max(1, ...names.map((n) => (w.systems[n]!.status === 'ok' ? w.systems[n]!.throughput ?? 0 : 0)));
    parts.push(`<text x="10" y="${y + 12}" font-weight="bold">${esc(w.title)}</text>`);
    y += 20;
    for (const n of names) {
      const r = w.systems[n]!;
      parts.push(`<text x="${labelW - 10}" y="${y + 12}" text-anchor="end">${esc(n)}</text>`);
      if (r.status === 'ok') {
        const len = Math.max(1, ((r.throughput ?? 0) / best) * barMax);
        parts.push(`<rect x="${labelW}" y="${y}" width="${len.toFixed(1)}" height="${barH}" fill="${COLORS[n] ?? '#555'}"/>`);
        const m = mbPerS(w, r);
        const label = `${rate(r.throughput)} req/s${m !== null && (w.objectBytes ?? 0) > 65536 ? ` · ${fmt(m, 0)} MB/s` : ''} · p99 ${ms(r.p99)} ms`;
        parts.push(`<text x="${labelW + len + 6}" y="${y + 12}">${esc(label)}</text>`);
      } else {
        const color = r.status === 'FAILED' ? '#c0392b' : '#999';
        parts.push(`<text x="${labelW}" y="${y + 12}" fill="${color}" font-weight="bold">${r.status}</text>`);
      }
      y += barH + gap;
    }
    y += groupGap;
  }
  const title = `Basalt benchmark — ${res.timestamp} (${res.mode}, ${res.settings.connections} connections, median of ${res.settings.rounds} rounds × ${res.settings.durationS} s)`;
  const sub = `${res.machine.cpuModel} × ${res.machine.cpus}, Node ${res.machine.node}; bars scaled to the fastest system per workload`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" viewBox="0 0 ${width} ${y + 10}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="10" y="40" fill="#555">${esc(sub)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

export function renderComparison(before: BenchResults, after: BenchResults): string {
  const out = [`Compared with ${before.timestamp} (${before.mode}):`];
  const head = ['workload', 'system', 'req/s before', 'req/s now', 'delta', 'p99 before', 'p99 now'];
  const rows: string[][] = [];
  for (const w of after.workloads) {
    const old = before.workloads.find((x) => x.id === w.id);
    if (!old) continue;
    for (const [name, r] of Object.entries(w.systems)) {
      const o = old.systems[name];
      if (!o || (o.status === 'n/a' && r.status === 'n/a')) continue;
      const show = (x: SystemResult) => (x.status === 'ok' ? rate(x.throughput) : x.status);
      const delta =
        o.status === 'ok' && r.status === 'ok' && o.throughput && r.throughput !== null
          ? `${r.throughput >= o.throughput ? '+' : ''}${fmt(((r.throughput - o.throughput) / o.throughput) * 100, 1)}%`
          : o.status !== r.status
            ? `${o.status} -> ${r.status}`
            : '';
      rows.push([w.id, name, show(o), show(r), delta, o.status === 'ok' ? ms(o.p99) : '-', r.status === 'ok' ? ms(r.p99) : '-']);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!, i >= 2)).join('  ');
  out.push(line(head), widths.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line));
  return out.join('\n');
}
