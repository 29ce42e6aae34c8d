// The ceiling: a bare node:http server doing the least a workload needs in the plainest way. No parsing, no
// auth check, no checksums. A server can pass it only by doing that least work more cleverly (Basalt parses
// DynamoDB requests on the socket and commits small object bodies together). Two modes, chosen per request
// by the x-bench-ceiling header the bench adds:
//   json (DynamoDB workloads, the default): reads the request body and answers a JSON body of the size a real
//     server would send (told by x-bench-reply-bytes; without it, as large as the request body: an echo).
//   file (S3 workloads): PUT streams the body to a file in the data dir (written to a temp file, fsynced,
//     renamed over the final name, directory fsynced: a durable file per object, as Basalt keeps bodies
//     over 64 KiB) and answers 200 with no body; GET answers the file (one read for files up to 64 KiB, streamed
//     above that) or 404; other methods (CreateBucket...) answer 200.
// Run: node dist/bench/ceiling-server.js --port PORT [--dir DIR]
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const cache = new Map<number, Buffer>();

/** A valid JSON document of exactly n bytes (n >= 2), or an empty body for 0. */
export function jsonOfSize(n: number): Buffer {
  let b = cache.get(n);
  if (b) return b;
  if (n <= 0) b = Buffer.alloc(0);
  else if (n < 10) b = Buffer.from('{}' + ' '.repeat(n - 2));
  else {
    const head = '{"echo":"';
    const tail = '"}';
    b = Buffer.alloc(n, 'x');
    b.write(head, 0);
    b.write(tail, n - tail.length);
  }
  if (cache.size > 64) cache.clear();
  cache.set(n, b);
  return b;
}

function json(req: http.IncomingMessage, res: http.ServerResponse): void {
  let received = 0;
  req.on('data', (c: Buffer) => {
    received += c.length;
  });
  req.on('end', () => {
    const asked = req.headers['x-bench-reply-bytes'];
    const size = typeof asked === 'string' ? Number(asked) : Math.max(2, received);
    const body = jsonOfSize(Number.isFinite(size) ? size : 2);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
}

/** A PUT body queued for writing beyond this pauses the request until the writes catch up. */
const QUEUE_MAX = 4 * 1024 * 1024;
/** Files up to this size are answered with one read; larger ones are streamed. */
const SMALL_FILE = 64 * 1024;

function failed(res: http.ServerResponse, err: NodeJS.ErrnoException): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(`ceiling: ${err.code ?? ''} ${err.message}`);
  res.writeHead(err.code === 'ENOENT' ? 404 : 500, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
}

export class FileStore {
  private tmpSeq = 0;
  private dirFd = -1;
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.dirFd = fs.openSync(dir, 'r');
  }

  /** The request path as one flat file name in the data dir (no subdirectories to create). */
  fileOf(url: string | undefined): string {
    const p = (url ?? '/').split('?')[0]!;
    return path.join(this.dir, encodeURIComponent(p));
  }

  /** PUT: body -> <file>.<n>.tmp (written as it arrives), fsync, rename over <file>, fsync the directory, answer. */
  put(req: http.IncomingMessage, res: http.ServerResponse): void {
    const file = this.fileOf(req.url);
    const tmp = `${file}.${++this.tmpSeq}.tmp`;
    fs.open(tmp, 'w', (err, fd) => {
      if (err) {
        req.resume();
        return failed(res, err);
      }
      // Chunks arriving while a write is pending are queued and written together (writev); the request is
      // paused only when the queue is large, so the socket keeps flowing as a well-written server's would.
      let position = 0;
      let writing = false;
      let ended = false;
      let paused = false;
      let queue: Buffer[] = [];
      let queued = 0;
      let error: NodeJS.ErrnoException | null = null;
      const finish = (): void => {
        if (error) {
          fs.close(fd, () => fs.unlink(tmp, () => failed(res, error!)));
          return;
        }
        fs.fsync(fd, (e1) => {
          fs.close(fd, (e2) => {
            const e = e1 ?? e2;
            if (e) return failed(res, e);
            fs.rename(tmp, file, (e3) => {
              if (e3) return failed(res, e3);
              fs.fsync(this.dirFd, (e4) => {
                if (e4) return failed(res, e4);
                res.writeHead(200, { 'content-length': 0 });
                res.end();
              });
            });
          });
        });
      };
      const flush = (): void => {
        if (queue.length === 0 || error) {
          writing = false;
          queue = [];
          queued = 0;
          if (ended) return finish();
          if (paused) {
            paused = false;
            req.resume();
          }
          return;
        }
        writing = true;
        const bufs = queue;
        const total = queued;
        queue = [];
        queued = 0;
        fs.writev(fd, bufs, position, (e, n) => {
          if (e) error ??= e;
          else {
            position += n;
            if (n < total) {
              // A short write: put back what was not written.
              let skip = n;
              const rest: Buffer[] = [];
              for (const b of bufs) {
                if (skip >= b.length) skip -= b.length;
                else {
                  rest.push(skip ? b.subarray(skip) : b);
                  skip = 0;
                }
              }
              queue = [...rest, ...queue];
              queued += total - n;
            }
          }
          flush();
        });
      };
      req.on('data', (chunk: Buffer) => {
        if (error) return;
        queue.push(chunk);
        queued += chunk.length;
        if (queued >= QUEUE_MAX && !paused) {
          paused = true;
          req.pause();
        }
        if (!writing) flush();
      });
      req.on('end', () => {
        ended = true;
        if (!writing) flush();
      });
      req.on('error', (e) => {
        error ??= e;
      });
    });
  }

  get(req: http.IncomingMessage, res: http.ServerResponse): void {
    const file = this.fileOf(req.url);
    req.resume();
    fs.open(file, 'r', (err, fd) => {
      if (err) return failed(res, err);
      fs.fstat(fd, (e1, st) => {
        if (e1) return fs.close(fd, () => failed(res, e1));
        const size = st.size;
        if (size > SMALL_FILE) {
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
          fs.createReadStream('', { fd, highWaterMark: 256 * 1024 }).pipe(res);
          return;
        }
        const buf = Buffer.allocUnsafe(size);
        const readAt = (off: number): void => {
          if (off >= size) {
            fs.close(fd, () => undefined);
            res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
            res.end(buf);
            return;
          }
          fs.read(fd, buf, off, size - off, off, (e2, n) => {
            if (e2 || n === 0) return fs.close(fd, () => failed(res, e2 ?? Object.assign(new Error('file shrank'), { code: 'EIO' })));
            readAt(off + n);
          });
        };
        readAt(0);
      });
    });
  }
}

export function createCeilingServer(dir?: string): http.Server {
  let store: FileStore | undefined;
  return http.createServer((req, res) => {
    if (req.headers['x-bench-ceiling'] !== 'file') return json(req, res);
    store ??= new FileStore(dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ceiling-')));
    if (req.method === 'PUT' && (req.url ?? '/').split('?')[0]!.indexOf('/', 1) > 0) return store.put(req, res);
    if (req.method === 'GET' || req.method === 'HEAD') return store.get(req, res);
    // CreateBucket and the like: nothing to store.
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-length': 0 });
      res.end();
    });
  });
}

if (require.main === module) {
  const arg = (flag: string): string | undefined => {
    const i = process.argv.indexOf(flag);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const port = Number(arg('--port') ?? 0);
  const server = createCeilingServer(arg('--dir'));
  server.keepAliveTimeout = 60_000;
  server.requestTimeout = 0; // a 1 GiB upload may take longer than the default 5 minutes on a slow disk
  server.listen(port, '127.0.0.1', () => {
    const addr = server.address();
    const p = typeof addr === 'object' && addr ? addr.port : port;
    process.stdout.write(`ceiling listening on http://127.0.0.1:${p}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}
