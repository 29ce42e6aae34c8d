import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBasalt, type BasaltProcess } from '../helpers/basalt';
import { rawRequest } from '../helpers/raw';

let basalt: BasaltProcess;
before(async () => {
  basalt = await startBasalt();
});
after(async () => {
  await basalt.stop();
});

test('GET /_basalt/health answers status, version, storage engine and uptime', async () => {
  const res = await rawRequest(basalt.endpoint, { method: 'GET', path: '/_basalt/health' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  const body = JSON.parse(res.body);
  assert.equal(body.status, 'ok');
  assert.match(body.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(body.storage, { name: 'sqlite', location: 'memory' });
  assert.equal(typeof body.uptimeSeconds, 'number');
});
