// The one load generator used for every system: N concurrent keep-alive connections issuing SigV4-signed
// requests for a fixed duration after a warm-up whose requests are not counted.
//
// It has to be much cheaper per request than the cheapest server it measures (a bare node:http server, the
// ceiling), or every ratio is compressed toward 1. So it is a raw HTTP/1.1 client on net.Socket: each
// request is signed afresh (bench/sigv4.ts) and written as one Buffer (head and body; a large body goes as a
// second write under cork), responses are parsed by a minimal parser (status line, Content-Length or chunked
// or read-to-close), one request in flight per connection (closed loop, like the keep-alive agent it
// replaced), latencies kept in a preallocated Float64Array. No promises or timers per request.
import fs from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { canonicalQuery, Signer, wirePath, type BodyFile, type Service, type UnsignedRequest } from './sigv4';

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

/** Bodies up to this size are copied into the request's single Buffer; larger ones are written separately. */
const INLINE_BODY_MAX = 64 * 1024;
const EMPTY = Buffer.alloc(0);
const READ_BUFFER = 64 * 1024;
/** An error answer's body is kept (for the error message) up to this size even when bodies are not kept. */
const ERROR_BODY_MAX = 16 * 1024;

/** Signs `req` afresh and serializes it: [head+body] or, for a large body, [head, body]; a `bodyFile` is
 * not included (Connection.send streams it after the head). */
export function buildRequest(target: Target, req: BenchRequest): Buffer[] {
  const headers = target.signer.sign(req.service, target.host, req);
  const q = canonicalQuery(req.query);
  let head = `${req.method} ${wirePath(req.path)}${q ? `?${q}` : ''} HTTP/1.1\r\n`;
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  if (target.extraHeaders) for (const name of Object.keys(target.extraHeaders)) head += `${name}: ${target.extraHeaders[name]}\r\n`;
  head += 'connection: keep-alive\r\n\r\n';
  const body = req.body;
  if (!body || body.length === 0) return [Buffer.from(head, 'latin1')];
  if (body.length > INLINE_BODY_MAX) return [Buffer.from(head, 'latin1'), body];
  const headLen = Buffer.byteLength(head, 'latin1');
  const buf = Buffer.allocUnsafe(headLen + body.length);
  buf.write(head, 0, headLen, 'latin1');
  body.copy(buf, headLen);
  return [buf];
}

type Done = (err: Error | undefined, res: Response | undefined) => void;

const enum State {
  Head,
  Body, // Content-Length
  ChunkSize,
  ChunkData,
  ChunkDataEnd, // the CRLF after a chunk's data
  Trailers,
  UntilClose,
}

/** One keep-alive HTTP/1.1 connection with at most one request in flight; reconnects when the server closes. */
export class Connection {
  private socket?: net.Socket;
  private done?: Done;
  private keepBody = false;
  private state = State.Head;
  private pending?: Buffer; // unparsed bytes (head or chunk-size line split across reads)
  private status = 0;
  private remaining = 0; // body or chunk bytes still to come
  private length = 0;
  private chunks: Buffer[] = [];
  private closeAfter = false;
  private noBody = false;
  private sentAt = 0;
  private readBuffer?: Buffer;
  /** The file body being streamed to the socket, until it has all been sent. */
  private upload?: fs.ReadStream;

  constructor(
    private readonly port: number,
    private readonly host: string,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Sends one request (the Buffers from buildRequest, then the file body if any, streamed with backpressure)
   * and calls `done` once with the response or an error.
   */
  send(parts: Buffer[], method: string, keepBody: boolean, done: Done, bodyFile?: BodyFile): void {
    if (this.done) throw new Error('a request is already in flight on this connection');
    this.done = done;
    this.keepBody = keepBody;
    this.noBody = method === 'HEAD';
    this.state = State.Head;
    this.pending = undefined;
    this.length = 0;
    this.chunks = [];
    this.closeAfter = false;
    this.sentAt = performance.now();
    const s = this.socket ?? this.connect();
    if (parts.length === 1) s.write(parts[0]!);
    else {
      s.cork();
      for (const p of parts) s.write(p);
      s.uncork();
    }
    if (bodyFile) {
      const rs = fs.createReadStream(bodyFile.path, { highWaterMark: 1024 * 1024 });
      this.upload = rs;
      rs.on('end', () => {
        if (this.upload === rs) this.upload = undefined;
      });
      rs.on('error', (err) => {
        if (this.upload === rs && this.done) this.fail(new Error(`reading the body file: ${err.message}`));
      });
      rs.pipe(s, { end: false });
    }
  }

  /** An answer came before the whole file body was sent: stop sending; the socket is out of step. */
  private abortUpload(): void {
    const rs = this.upload;
    if (!rs) return;
    this.upload = undefined;
    rs.unpipe();
    rs.destroy();
    this.closeAfter = true;
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  /** Fails the request in flight if it has taken longer than the timeout (called from a periodic sweep). */
  checkTimeout(now: number): void {
    if (this.done && now - this.sentAt > this.timeoutMs) this.fail(new Error(`request timed out after ${this.timeoutMs} ms`));
  }

  private connect(): net.Socket {
    // No socket.setTimeout: it re-arms a timer on every read and write; a sweep every second does instead.
    // Reads land in one reused buffer per connection (no allocation, no stream machinery per response);
    // whatever must outlive the callback (a split head, a kept body) is copied out.
    this.readBuffer ??= Buffer.allocUnsafe(READ_BUFFER);
    const s = net.connect({
      port: this.port,
      host: this.host,
      noDelay: true,
      onread: {
        buffer: this.readBuffer,
        callback: (nread: number, buf: Buffer): boolean => {
          if (this.socket === s) this.onData(buf.subarray(0, nread));
          return true;
        },
      },
    });
    s.on('error', (err) => this.onClose(s, err));
    s.on('close', () => this.onClose(s, undefined));
    this.socket = s;
    return s;
  }

  private onClose(s: net.Socket, err: Error | undefined): void {
    if (this.socket !== s) return; // an old socket, already given up
    this.socket = undefined;
    if (!this.done) return;
    if (!err && this.state === State.UntilClose) return this.finish();
    this.fail(err ?? new Error('the server closed the connection before answering in full'));
  }

  private fail(err: Error): void {
    const done = this.done!;
    this.done = undefined;
    this.abortUpload();
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
    done(err, undefined);
  }

  private finish(): void {
    const done = this.done!;
    this.done = undefined;
    this.abortUpload();
    const body = this.chunks.length === 0 ? EMPTY : this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [];
    if (this.closeAfter || this.state === State.UntilClose) this.close();
    this.state = State.Head;
    done(undefined, { status: this.status, body, length: this.length });
  }

  private bodyBytes(b: Buffer): void {
    // b is a view into the reused read buffer: copy what is kept. An error answer's head is kept for the
    // error message even when bodies are not (a 1 GiB GET must not be buffered).
    if (this.keepBody) this.chunks.push(Buffer.from(b));
    else if ((this.status < 200 || this.status >= 300) && this.length < ERROR_BODY_MAX) this.chunks.push(Buffer.from(b.subarray(0, ERROR_BODY_MAX - this.length)));
    this.length += b.length;
  }

  private onData(chunk: Buffer): void {
    if (!this.done) {
      // Bytes nobody asked for: the connection is out of step; drop it.
      this.close();
      return;
    }
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let i = 0;
    while (this.done) {
      switch (this.state) {
        case State.Head: {
          const end = buf.indexOf('\r\n\r\n', i, 'latin1');
          if (end < 0) {
            if (buf.length - i > 64 * 1024) return this.fail(new Error('response head larger than 64 KiB'));
            this.pending = Buffer.from(buf.subarray(i));
            return;
          }
          const err = this.parseHead(buf.toString('latin1', i, end));
          if (err) return this.fail(new Error(err));
          i = end + 4;
          if ((this.state as State) === State.Body && this.remaining === 0) return this.finishAt(buf, i);
          break;
        }
        case State.Body: {
          const n = Math.min(this.remaining, buf.length - i);
          if (n > 0) this.bodyBytes(i === 0 && n === buf.length ? buf : buf.subarray(i, i + n));
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) return this.finishAt(buf, i);
          return;
        }
        case State.UntilClose: {
          if (i < buf.length) this.bodyBytes(buf.subarray(i));
          return;
        }
        case State.ChunkSize: {
          const eol = buf.indexOf('\r\n', i, 'latin1');
          if (eol < 0) {
            this.pending = Buffer.from(buf.subarray(i));
            return;
          }
          const line = buf.toString('latin1', i, eol);
          const size = parseInt(line, 16); // chunk extensions (";...") are ignored by parseInt
          if (!Number.isFinite(size) || size < 0) return this.fail(new Error(`bad chunk size line "${line.slice(0, 40)}"`));
          i = eol + 2;
          if (size === 0) this.state = State.Trailers;
          else {
            this.remaining = size;
            this.state = State.ChunkData;
          }
          break;
        }
        case State.ChunkData: {
          const n = Math.min(this.remaining, buf.length - i);
          if (n > 0) this.bodyBytes(buf.subarray(i, i + n));
          this.remaining -= n;
          i += n;
          if (this.remaining > 0) return;
          this.state = State.ChunkDataEnd;
          this.remaining = 2;
          break;
        }
        case State.ChunkDataEnd: {
          const n = Math.min(this.remaining, buf.length - i);
          this.remaining -= n;
          i += n;
          if (this.remaining > 0) return;
          this.state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const eol = buf.indexOf('\r\n', i, 'latin1');
          if (eol < 0) {
            this.pending = Buffer.from(buf.subarray(i));
            return;
          }
          const empty = eol === i;
          i = eol + 2;
          if (empty) return this.finishAt(buf, i);
          break;
        }
      }
      if (i >= buf.length) return;
    }
  }

  private finishAt(buf: Buffer, i: number): void {
    if (i < buf.length) this.closeAfter = true; // pipelined junk after the response: don't reuse this socket
    this.finish();
  }

  /** Parses the status line and headers; sets the body framing. Returns an error message or undefined. */
  private parseHead(head: string): string | undefined {
    const firstEol = head.indexOf('\r\n');
    const statusLine = firstEol < 0 ? head : head.slice(0, firstEol);
    const m = /^HTTP\/1\.([01]) (\d{3})/.exec(statusLine);
    if (!m) return `malformed status line "${statusLine.slice(0, 60)}"`;
    const http10 = m[1] === '0';
    this.status = Number(m[2]);
    let contentLength = -1;
    let chunked = false;
    let connection = '';
    let pos = firstEol < 0 ? head.length : firstEol + 2;
    while (pos < head.length) {
      let eol = head.indexOf('\r\n', pos);
      if (eol < 0) eol = head.length;
      const colon = head.indexOf(':', pos);
      if (colon > pos && colon < eol) {
        const nameLen = colon - pos;
        // Only three headers matter; compare lengths first to skip the rest cheaply.
        if (nameLen === 14 || nameLen === 17 || nameLen === 10) {
          const name = head.slice(pos, colon).toLowerCase();
          const value = head.slice(colon + 1, eol).trim();
          if (name === 'content-length') contentLength = Number(value);
          else if (name === 'transfer-encoding') chunked = /chunked/i.test(value);
          else if (name === 'connection') connection = value.toLowerCase();
        }
      }
      pos = eol + 2;
    }
    this.closeAfter = connection.includes('close') || (http10 && !connection.includes('keep-alive'));
    if (this.status === 100) {
      // 100 Continue (unasked for): skip it and read the real response head.
      this.state = State.Head;
      return undefined;
    }
    if (this.noBody || this.status === 204 || this.status === 304 || (this.status >= 100 && this.status < 200)) {
      this.state = State.Body;
      this.remaining = 0;
    } else if (chunked) this.state = State.ChunkSize;
    else if (contentLength >= 0 && Number.isFinite(contentLength)) {
      this.state = State.Body;
      this.remaining = contentLength;
    } else {
      this.state = State.UntilClose;
      this.closeAfter = true;
    }
    return undefined;
  }
}

function hostPort(host: string): [string, number] {
  const i = host.lastIndexOf(':');
  return [host.slice(0, i), Number(host.slice(i + 1))];
}

/** A small pool for setup calls: `call(req)` signs, sends and resolves with the response. */
export class Client {
  private readonly idle: Connection[] = [];
  private readonly all: Connection[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly target: Target,
    private readonly maxConnections = 16,
    private readonly timeoutMs = 120_000,
  ) {
    this.sweep = setInterval(() => {
      const now = performance.now();
      for (const c of this.all) c.checkTimeout(now);
    }, 1000);
    this.sweep.unref();
  }

  async call(req: BenchRequest, keepBody = true): Promise<Response> {
    const conn = await this.acquire();
    try {
      return await new Promise<Response>((resolve, reject) => {
        conn.send(buildRequest(this.target, req), req.method, keepBody, (err, res) => (err ? reject(err) : resolve(res!)), req.bodyFile);
      });
    } finally {
      this.idle.push(conn);
      this.waiting.shift()?.();
    }
  }

  private async acquire(): Promise<Connection> {
    for (;;) {
      const c = this.idle.pop();
      if (c) return c;
      if (this.all.length < this.maxConnections) {
        const [h, p] = hostPort(this.target.host);
        const conn = new Connection(p, h, this.timeoutMs);
        this.all.push(conn);
        return conn;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  close(): void {
    clearInterval(this.sweep);
    for (const c of this.all) c.close();
  }
}

/** One request through a throwaway connection (kept for callers that want the old shape). */
export async function send(target: Target, req: BenchRequest, keepBody: boolean): Promise<Response> {
  const client = new Client(target, 1);
  try {
    return await client.call(req, keepBody);
  } finally {
    client.close();
  }
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
  /**
   * Instead of a timed window: exactly this many requests, no warm-up; the measured time runs from the
   * first request to the last answer (for requests far longer than any window, e.g. a 1 GiB PUT).
   */
  requests?: number;
  /** Per-request timeout (default 120 s). */
  timeoutMs?: number;
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

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

/**
 * Runs the load. Requests completing inside the measurement window are counted (successes give throughput
 * and latency; failures are counted as errors); those completing during the warm-up or after the window are not.
 */
export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const [hostname, port] = hostPort(opts.target.host);
  const t0 = performance.now();
  const counted = opts.requests !== undefined;
  const measureStart = counted ? t0 : t0 + opts.warmupMs;
  const end = counted ? Infinity : measureStart + opts.durationMs;
  let lastDone = t0;
  // Bodies are kept only when the validator reads them (error answers keep their first bytes regardless).
  const keepBody = opts.keepBody;
  let seq = 0;
  let ok = 0;
  let errors = 0;
  let warmupOk = 0;
  let warmupErrors = 0;
  let firstError: string | undefined;
  let aborted = false;
  let latencies = new Float64Array(1 << 16);
  let active = opts.connections;

  return new Promise<LoadResult>((resolve) => {
    const conns: Connection[] = [];
    const sweep = setInterval(() => {
      const now = performance.now();
      for (const c of conns) c.checkTimeout(now);
    }, 1000);
    const finished = (): void => {
      if (--active > 0) return;
      clearInterval(sweep);
      for (const c of conns) c.close();
      const measuredEnd = counted ? lastDone : aborted ? Math.min(performance.now(), end) : end;
      const seconds = Math.max(0.001, (measuredEnd - measureStart) / 1000);
      if (aborted && errors === 0) errors = warmupErrors; // nothing reached the window: report what failed
      const lat = latencies.subarray(0, ok).sort();
      resolve({ ok, errors, firstError, seconds, throughput: ok / seconds, latencies: Array.from(lat), aborted: aborted || undefined });
    };

    const loop = (conn: Connection): void => {
      const issue = (): void => {
        if (aborted) return finished();
        const started = performance.now();
        if (started >= end || (counted && seq >= opts.requests!)) return finished();
        let parts: Buffer[];
        const req = opts.next(seq++);
        try {
          parts = buildRequest(opts.target, req);
        } catch (err) {
          return complete(started, (err as Error).message || String(err));
        }
        conn.send(parts, req.method, keepBody, (err, res) => {
          let error: string | undefined;
          if (err) error = err.message || String(err);
          else if (res!.status < 200 || res!.status >= 300) error = describe(res!);
          else if (opts.validate) {
            const why = opts.validate(res!);
            if (why) error = `HTTP ${res!.status} but ${why}`;
          }
          complete(started, error);
        }, req.bodyFile);
      };
      const complete = (started: number, error: string | undefined): void => {
        const done = performance.now();
        lastDone = done;
        if (done < measureStart) {
          if (error) {
            warmupErrors++;
            firstError ??= error;
          } else warmupOk++;
          // A server that answers nothing but errors is not worth the whole window.
          if (warmupOk === 0 && warmupErrors >= 50) aborted = true;
        } else if (done > end) return finished();
        else if (error) {
          errors++;
          firstError ??= error;
          if (ok === 0 && errors >= 200) aborted = true;
        } else {
          if (ok === latencies.length) {
            const bigger = new Float64Array(latencies.length * 2);
            bigger.set(latencies);
            latencies = bigger;
          }
          latencies[ok++] = done - started;
        }
        // Errors (a refused connection, say) come back synchronously-fast; yield so timers still run.
        if (error) setImmediate(issue);
        else issue();
      };
      issue();
    };

    for (let i = 0; i < opts.connections; i++) {
      const c = new Connection(port, hostname, opts.timeoutMs ?? 120_000);
      conns.push(c);
      loop(c);
    }
  });
}
