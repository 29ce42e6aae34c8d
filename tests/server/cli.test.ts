import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBasalt, startBasalt, tempDir } from '../helpers/basalt';
import { signedDynamoHeaders } from '../helpers/raw';

test('start-up prints the endpoint, where the data lives and the accepted credentials', async () => {
  const dir = tempDir();
  const basalt = await startBasalt(['--data-dir', dir.path]);
  try {
    const out = basalt.output();
    assert.match(out, /listening on http:\/\/127\.0\.0\.1:\d+ \(DynamoDB and S3\)/);
    assert.ok(out.includes(`data: ${dir.path}`), out);
    assert.ok(out.includes('credentials: test / test (account 000000000000)'), out);
  } finally {
    assert.equal(await basalt.stop(), 0);
    dir.remove();
  }
});

test('configured secrets are not printed', async () => {
  const basalt = await startBasalt(['--in-memory', '--credentials', 'AKIDEXAMPLE:topsecret:123456789012']);
  try {
    assert.ok(basalt.output().includes('credentials: AKIDEXAMPLE / ******** (account 123456789012)'));
    assert.ok(!basalt.output().includes('topsecret'));
  } finally {
    await basalt.stop();
  }
});

test('a port in use: one clear line and a non-zero exit', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as { port: number }).port;
  try {
    const result = await runBasalt(['--in-memory', '--port', String(port)]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `basalt: port ${port} on 127.0.0.1 is already in use\n`);
  } finally {
    blocker.close();
  }
});

test('an unusable data directory: one clear line and a non-zero exit', async () => {
  const dir = tempDir();
  const file = join(dir.path, 'a-file');
  writeFileSync(file, 'x');
  try {
    const result = await runBasalt(['--port', '0', '--data-dir', file]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^basalt: data directory .*a-file is not usable: .*\n$/);
  } finally {
    dir.remove();
  }
});

test('a store of another format is refused, not reset', async () => {
  const dir = tempDir();
  writeFileSync(join(dir.path, 'basalt.sqlite'), 'this is not a Basalt store, and must survive');
  try {
    const result = await runBasalt(['--port', '0', '--data-dir', dir.path]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^basalt: .+\n$/);
  } finally {
    dir.remove();
  }
});

test('bad flags: one clear line and a non-zero exit', async () => {
  const result = await runBasalt(['--port', 'eighty']);
  assert.equal(result.code, 1);
  assert.equal(result.stderr, "basalt: --port must be a whole number from 0 to 65535, not 'eighty'\n");
  const open = await runBasalt(['--in-memory', '--host', '0.0.0.0']);
  assert.equal(open.code, 1);
  assert.equal(open.stderr, 'basalt: refusing to listen on 0.0.0.0 with only the default test/test credentials; pass --credentials\n');
});

test('--help lists the flags and exits 0', async () => {
  const result = await runBasalt(['--help']);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /--data-dir DIR/);
});

test('flags can come from the environment', async () => {
  const basalt = await startBasalt([], { BASALT_IN_MEMORY: 'true', BASALT_ACCOUNT_ID: '999999999999' });
  try {
    assert.ok(basalt.output().includes('in memory'));
    assert.ok(basalt.output().includes('(account 999999999999)'));
  } finally {
    await basalt.stop();
  }
});

test('SIGTERM finishes the request in flight, then exits cleanly', async () => {
  const basalt = await startBasalt();
  const url = new URL(basalt.endpoint);
  const body = '{"Limit":3}';
  const headers = await signedDynamoHeaders(basalt.endpoint, 'DynamoDB_20120810.ListTables', body);
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    // Half the body now, the rest after the signal: the request is in flight when the server is told to stop.
    req.write(body.slice(0, 5));
    setTimeout(() => {
      basalt.child.kill('SIGTERM');
      setTimeout(() => req.end(body.slice(5)), 300);
    }, 200);
  });
  const res = await response;
  assert.equal(res.status, 200, res.body);
  assert.deepEqual(JSON.parse(res.body), { TableNames: [] });
  const code = await new Promise<number | null>((r) => (basalt.child.exitCode !== null ? r(basalt.child.exitCode) : basalt.child.on('exit', r)));
  assert.equal(code, 0);
  assert.match(basalt.output(), /SIGTERM received/);
});
