// The one load generator used for every system: N concurrent keep-alive connections issuing SigV4-signed
// requests for a fixed duration after a warm-up whose requests are not counted.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Signer, type Service, type UnsignedRequest } from './sigv4';

export interface BenchRequest extends UnsignedRequest {
  service: Service;
}

export interface Response {
  status: number;
  /** The body, unless the caller asked only for its length. */
  body: Buffer;
  length: number;
}

/** Returns an error message when the response is not what a working server answers, else undefined. */
export type Validator = (res: Response) => string | undefined;

export interface Target {
  host: string; // 127.0.0.1:PORT
  signer: Signer;
  /** Extra unsigned headers (the ceiling server is told how big an answer to send). */
  extraHeaders?: Record<string, string>;
}

export function encodeQuery(query: Record<string, string> | undefined): string {
  if (!query) return '';
  const parts = Object.keys(query)
    .sort()
    .map((k) => (query[k] === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(query[k]!)}`));
  return parts.length ? `?${parts.join('&')}` : '';
}

export async function send(
  target: Target,
  agent: http.Agent,
  req: BenchRequest,
  keepBody: boolean,
  timeoutMs = 120_000,
): Promise<Response> {
  const headers = await target.signer.sign(req.service, target.host, req);
  if (target.extraHeaders) Object.assign(headers, target.extraHeaders);
  const [hostname, port] = target.host.split(':');
  return new Promise<Response>((resolve, reject) => {
    const r = http.request(
      { agent, hostname, port: Number(port), method: req.method, path: req.path + encodeQuery(req.query), headers },
      (res) => {
        const chunks: Buffer[] = [];
        let length = 0;
        res.on('data', (c: Buffer) => {
          length += c.length;
          if (keepBody) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: keepBody ? Buffer.concat(chunks) : Buffer.alloc(0), length }));
        res.on('error', reject);
      },
    );
    r.setTimeout(timeoutMs, () => r.destroy(new Error(`request timed out after ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body && req.body.length ? req.body : undefined);
  });
}

export interface LoadOptions {
  target: Target;
  connections: number;
  warmupMs: number;
  durationMs: number;
  next: (seq: number) => BenchRequest;
  /** Checked on every measured response; undefined means any 2xx is fine. */
  validate?: Validator;
  /** Whether the validator needs the body (otherwise only its length is counted). */
  keepBody: boolean;
}

export interface LoadResult {
  ok: number;
  errors: number;
  firstError?: string;
  /** Measured seconds. */
  seconds: number;
  /** Successful requests per second. */
  throughput: number;
  /** Latencies of the successful measured requests, ms, sorted ascending. */
  latencies: number[];
  /** Set when the run was cut short because nothing succeeded. */
  aborted?: boolean;
}

function describe(res: Response): string {
  const text = res.body.subarray(0, 300).toString('utf8').replace(/\s+/g, ' ').trim();
  return `HTTP ${res.status}${text ? `: ${text}` : ''}`;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

/**
 * Runs the load. Requests completing inside the measurement window are counted (successes give throughput
 * and latency; failures are counted as errors); those completing during the warm-up or after the window are not.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections, maxFreeSockets: opts.connections });
  const t0 = performance.now();
  const measureStart = t0 + opts.warmupMs;
  const end = measureStart + opts.durationMs;
  let seq = 0;
  let ok = 0;
  let errors = 0;
  let warmupOk = 0;
  let warmupErrors = 0;
  let firstError: string | undefined;
  let aborted = false;
  const latencies: number[] = [];

  const worker = async (): Promise<void> => {
    while (!aborted) {
      const started = performance.now();
      if (started >= end) return;
      const req = opts.next(seq++);
      let error: string | undefined;
      try {
        // Requests must never be compared on bodies a validator did not need: keepBody only when checking.
        const res = await send(opts.target, agent, req, opts.keepBody || !opts.validate);
        if (res.status < 200 || res.status >= 300) error = describe(res);
        else if (opts.validate) {
          const why = opts.validate(res);
          if (why) error = `HTTP ${res.status} but ${why}`;
        }
      } catch (err) {
        error = (err as Error).message || String(err);
      }
      const done = performance.now();
      if (done < measureStart) {
        if (error) {
          warmupErrors++;
          firstError ??= error;
        } else warmupOk++;
        // A server that answers nothing but errors is not worth the whole window.
        if (warmupOk === 0 && warmupErrors >= 50) aborted = true;
        continue;
      }
      if (done > end) return;
      if (error) {
        errors++;
        firstError ??= error;
        if (ok === 0 && errors >= 200) aborted = true;
      } else {
        ok++;
        latencies.push(done - started);
      }
    }
  };

  await Promise.all(Array.from({ length: opts.connections }, () => worker()));
  agent.destroy();
  const measuredEnd = aborted ? Math.min(performance.now(), end) : end;
  const seconds = Math.max(0.001, (measuredEnd - measureStart) / 1000);
  if (aborted && errors === 0) errors = warmupErrors; // nothing reached the window: report what failed
  latencies.sort((a, b) => a - b);
  return { ok, errors, firstError, seconds, throughput: ok / seconds, latencies, aborted: aborted || undefined };
}
