import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { FastConnection, type FastPathHandlers } from './connections';

// The time limits of the fast path, on a real socket pair (tests/server/connections.test.ts drives the rest
// through a running server).

const connections: FastConnection[] = [];
const handlers: FastPathHandlers = {
  keepAliveMs: 60_000,
  headersTimeoutMs: 1_000,
  requestTimeoutMs: 5_000,
  accepts: () => true,
  serve: (_head, body, respond) => respond(200, ['content-length', String(body.length)], body),
  handOff: (socket) => socket.destroy(),
};
const server = createServer((socket) => connections.push(new FastConnection(socket, handlers, () => undefined)));
const listening = new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
after(() => server.close());

async function client(): Promise<{ socket: Socket; connection: FastConnection; closed: () => boolean }> {
  const port = await listening;
  const before = connections.length;
  const socket = connect(port, '127.0.0.1');
  let closed = false;
  socket.on('close', () => (closed = true));
  socket.on('data', () => undefined);
  while (connections.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
  return { socket, connection: connections[connections.length - 1]!, closed: () => closed };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

test('a request still arriving after its time limit closes the connection; one inside it does not', async () => {
  const cases = [
    { what: 'a head, against the headers timeout', sent: 'POST / HTTP/1.1\r\nhost: x\r\n', inside: 500, past: 1_500 },
    { what: 'a body, against the request timeout', sent: 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\n12345', inside: 1_500, past: 6_000 },
  ];
  for (const { what, sent, inside, past } of cases) {
    const { socket, connection, closed } = await client();
    socket.write(sent);
    await settle();
    connection.expire(Date.now() + inside);
    await settle();
    assert.equal(closed(), false, what);
    connection.expire(Date.now() + past);
    await settle();
    assert.equal(closed(), true, what);
  }
});

test('an idle connection, or one whose request arrived whole, is never expired', async () => {
  const { socket, connection, closed } = await client();
  connection.expire(Date.now() + 100_000);
  socket.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\nok');
  await settle();
  connection.expire(Date.now() + 100_000);
  await settle();
  assert.equal(closed(), false);
  socket.destroy();
});
