import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { crc32 } from 'node:zlib';
import { startBasalt, type BasaltProcess } from '../helpers/basalt';

// The connection layer (src/http/connections.ts) on raw sockets: DynamoDB requests it serves itself,
// pipelining, bytes arriving in pieces, connections handed to node:http mid-way, closing. Signatures are
// not what is tested here, so the server runs with --auth off.

let basalt: BasaltProcess;
before(async () => {
  basalt = await startBasalt(['--in-memory', '--auth', 'off']);
});
after(async () => {
  await basalt.stop();
});

function dynamoRequest(target: string, body: string, extra = ''): string {
  return (
    `POST / HTTP/1.1\r\nhost: 127.0.0.1:${basalt.port}\r\ncontent-type: application/x-amz-json-1.0\r\n` +
    `x-amz-target: DynamoDB_20120810.${target}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`
  );
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A raw connection that reads answers one by one (Content-Length or chunked bodies). */
class RawConnection {
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  closed = false;
  readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiting?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
  }

  /** Runs `use` on a new connection, which is closed afterwards whatever happens. */
  static async using(use: (conn: RawConnection) => Promise<void>): Promise<void> {
    const conn = await RawConnection.open();
    try {
      await use(conn);
    } finally {
      conn.end();
    }
  }

  static open(): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(basalt.port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  private async more(): Promise<void> {
    if (this.closed) throw new Error(`connection closed with ${this.buffered.length} bytes unread: ${this.buffered.toString()}`);
    await new Promise<void>((resolve) => (this.waiting = resolve));
    this.waiting = undefined;
  }

  async answer(): Promise<Answer> {
    let end: number;
    while ((end = this.buffered.indexOf('\r\n\r\n')) < 0) await this.more();
    const [statusLine, ...lines] = this.buffered.subarray(0, end).toString('latin1').split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
    let at = end + 4;
    let body: Buffer;
    if (headers['transfer-encoding'] === 'chunked') {
      const parts: Buffer[] = [];
      for (;;) {
        let lineEnd: number;
        while ((lineEnd = this.buffered.indexOf('\r\n', at)) < 0) await this.more();
        const size = parseInt(this.buffered.toString('latin1', at, lineEnd), 16);
        while (this.buffered.length < lineEnd + 2 + size + 2) await this.more();
        parts.push(this.buffered.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
      body = Buffer.concat(parts);
    } else {
      const length = Number(headers['content-length'] ?? 0);
      while (this.buffered.length < at + length) await this.more();
      body = this.buffered.subarray(at, at + length);
      at += length;
    }
    this.buffered = this.buffered.subarray(at);
    return { status: Number(statusLine!.split(' ')[1]), headers, body: body.toString('utf8') };
  }

  async closedByServer(): Promise<void> {
    while (!this.closed) await this.more().catch(() => undefined);
  }

  end(): void {
    this.socket.destroy();
  }
}

test('a DynamoDB answer carries what node:http would send: status, request id, CRC32, length, date, keep-alive', async () => {
  await RawConnection.using(async (conn) => {
    conn.write(dynamoRequest('ListTables', '{}'));
    const res = await conn.answer();
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"TableNames":[]}');
    assert.match(res.headers['x-amzn-requestid']!, /^[A-Z0-9]{52}$/);
    assert.equal(res.headers['x-amz-crc32'], String(crc32(Buffer.from(res.body))));
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
    assert.equal(res.headers['content-length'], String(res.body.length));
    assert.ok(Math.abs(Date.parse(res.headers.date!) - Date.now()) < 5000);
    assert.equal(res.headers.connection, 'keep-alive');
    assert.equal(res.headers['keep-alive'], 'timeout=65');
    // The same connection serves the next request.
    conn.write(dynamoRequest('DescribeTable', '{"TableName":"missing"}'));
    const missing = await conn.answer();
    assert.equal(missing.status, 400);
    assert.match(missing.body, /ResourceNotFoundException/);
  });
});

test('pipelined requests in one write are answered in order', async () => {
  await RawConnection.using(async (conn) => {
    const create = JSON.stringify({
      TableName: 'piped',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    const puts = Array.from({ length: 20 }, (_, i) => dynamoRequest('PutItem', JSON.stringify({ TableName: 'piped', Item: { id: { S: `k${i}` }, n: { N: String(i) } } })));
    const gets = Array.from({ length: 20 }, (_, i) => dynamoRequest('GetItem', JSON.stringify({ TableName: 'piped', Key: { id: { S: `k${i}` } } })));
    conn.write([dynamoRequest('CreateTable', create), ...puts, ...gets].join(''));
    assert.equal((await conn.answer()).status, 200);
    for (let i = 0; i < 20; i++) assert.equal((await conn.answer()).body, '{}');
    for (let i = 0; i < 20; i++) assert.deepEqual(JSON.parse((await conn.answer()).body), { Item: { id: { S: `k${i}` }, n: { N: String(i) } } });
  });
});

test('a request arriving a byte at a time, and a body in pieces, is served', async () => {
  await RawConnection.using(async (conn) => {
    const bytes = Buffer.from(dynamoRequest('ListTables', JSON.stringify({ Limit: 5, ExclusiveStartTableName: 'x'.repeat(200) })));
    for (const byte of bytes) {
      conn.write(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const res = await conn.answer();
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(JSON.parse(res.body), { TableNames: [] });
  });
});

test('a connection moves to node:http for S3 and the health check, and DynamoDB still works on it', async () => {
  await RawConnection.using(async (conn) => {
    conn.write(dynamoRequest('ListTables', '{}'));
    assert.equal((await conn.answer()).status, 200);
    // DynamoDB, then S3 and the health check, pipelined: the hand-over waits for the first answer.
    conn.write(
      dynamoRequest('ListTables', '{}') +
        `GET /_basalt/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n` +
        `PUT /handed-over HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 0\r\n\r\n` +
        dynamoRequest('ListTables', '{}'),
    );
    assert.equal((await conn.answer()).status, 200);
    const health = await conn.answer();
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).status, 'ok');
    const bucket = await conn.answer();
    assert.equal(bucket.status, 200, bucket.body);
    const after = await conn.answer();
    assert.equal(after.status, 200);
    assert.match(after.body, /^\{"TableNames":\[/);
  });
});

test('requests the fast path leaves alone get node:http\'s answers: chunked bodies, HTTP/1.0, malformed heads', async () => {
  await RawConnection.using(async (chunked) => {
    chunked.write(
      `POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-target: DynamoDB_20120810.ListTables\r\n` +
        'transfer-encoding: chunked\r\n\r\n1\r\n{\r\n1\r\n}\r\n0\r\n\r\n',
    );
    const res = await chunked.answer();
    assert.equal(res.status, 200);
    assert.match(res.body, /^\{"TableNames":\[/);
  });
  await RawConnection.using(async (old) => {
    old.write(dynamoRequest('ListTables', '{}').replace('HTTP/1.1', 'HTTP/1.0'));
    const res = await old.answer();
    assert.equal(res.status, 200);
    assert.match(res.body, /^\{"TableNames":\[/);
  });
  await RawConnection.using(async (bad) => {
    bad.write('POST / HTTP/1.1\r\nhost x\r\n\r\n');
    const res = await bad.answer();
    assert.equal(res.status, 400);
    await bad.closedByServer();
  });
});

test('Connection: close is answered and honoured; a client that half-closes still gets its answer', async () => {
  await RawConnection.using(async (conn) => {
    conn.write(dynamoRequest('ListTables', '{}', 'connection: close\r\n'));
    const res = await conn.answer();
    assert.equal(res.status, 200);
    assert.equal(res.headers.connection, 'close');
    await conn.closedByServer();
  });
  await RawConnection.using(async (half) => {
    half.socket.end(dynamoRequest('ListTables', '{}'));
    const res = await half.answer();
    assert.equal(res.status, 200);
    await half.closedByServer();
  });
});

test('a client that goes away mid-head or mid-body leaves the server serving', async () => {
  const request = dynamoRequest('ListTables', JSON.stringify({ ExclusiveStartTableName: 'y'.repeat(100) }));
  for (const cut of [10, request.length - 20]) {
    const conn = await RawConnection.open();
    conn.write(request.slice(0, cut));
    await new Promise((resolve) => setTimeout(resolve, 20));
    conn.end();
  }
  await RawConnection.using(async (conn) => {
    conn.write(dynamoRequest('ListTables', '{}'));
    assert.equal((await conn.answer()).status, 200);
  });
});

test('a stopping server closes idle keep-alive connections at once', async () => {
  const server = await startBasalt(['--in-memory', '--auth', 'off']);
  const idle = await new Promise<Socket>((resolve) => {
    const s = connect(server.port, '127.0.0.1', () => resolve(s));
  });
  const closed = new Promise<void>((resolve) => idle.on('close', () => resolve()));
  idle.on('data', () => undefined);
  idle.write(
    `POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-target: DynamoDB_20120810.ListTables\r\ncontent-length: 2\r\n\r\n{}`,
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = Date.now();
  const code = await server.stop();
  assert.equal(code, 0);
  await closed;
  assert.ok(Date.now() - started < 5000, 'an idle keep-alive connection does not hold the server open');
});
