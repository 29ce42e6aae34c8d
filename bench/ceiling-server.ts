// The ceiling: a bare Node.js HTTP server that reads each request body and answers with a JSON body of the
// same size a real server would send for that workload (told by the x-bench-reply-bytes header; without it,
// as large as the request body: an echo). No parsing, no auth check, no storage: the request rate no Node.js
// server on this machine can beat. Run: node dist/bench/ceiling-server.js --port PORT
import http from 'node:http';

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

export function createCeilingServer(): http.Server {
  return http.createServer((req, res) => {
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
  });
}

if (require.main === module) {
  const i = process.argv.indexOf('--port');
  const port = i >= 0 ? Number(process.argv[i + 1]) : 0;
  const server = createCeilingServer();
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1', () => {
    const addr = server.address();
    const p = typeof addr === 'object' && addr ? addr.port : port;
    process.stdout.write(`ceiling listening on http://127.0.0.1:${p}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}
