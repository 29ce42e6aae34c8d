import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, crc32 } from 'node:zlib';
import { startBasalt, type BasaltProcess } from '../helpers/basalt';
import { dynamoCall, rawRequest, signedDynamoHeaders } from '../helpers/raw';

let basalt: BasaltProcess;
before(async () => {
  basalt = await startBasalt();
});
after(async () => {
  await basalt.stop();
});

const CORAL = 'com.amazon.coral.service';

test('responses carry a request id and a CRC32 of the body that clients verify', async () => {
  const res = await dynamoCall(basalt.endpoint, 'DynamoDB_20120810.ListTables', '{}');
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.body), { TableNames: [] });
  assert.match(String(res.headers['x-amzn-requestid']), /^[A-Z0-9]{52}$/);
  assert.equal(res.headers['x-amz-crc32'], String(crc32(Buffer.from(res.body))));
  assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
});

test('unknown operation', async () => {
  const res = await dynamoCall(basalt.endpoint, 'DynamoDB_20120810.MakeCoffee', '{}');
  assert.equal(res.status, 400);
  assert.deepEqual(JSON.parse(res.body), { __type: `${CORAL}#UnknownOperationException` });
});

test('unknown API version', async () => {
  const res = await dynamoCall(basalt.endpoint, 'DynamoDB_20990101.ListTables', '{}');
  assert.equal(res.status, 400);
  assert.deepEqual(JSON.parse(res.body), { __type: `${CORAL}#UnknownOperationException` });
});

test('malformed JSON is a SerializationException', async () => {
  for (const body of ['{', '{"TableName":', 'not json', '{"a":1}}']) {
    const res = await dynamoCall(basalt.endpoint, 'DynamoDB_20120810.ListTables', body);
    assert.equal(res.status, 400, body);
    assert.deepEqual(JSON.parse(res.body), { __type: `${CORAL}#SerializationException` }, body);
  }
});

test('an empty body is a SerializationException', async () => {
  const res = await dynamoCall(basalt.endpoint, 'DynamoDB_20120810.ListTables', '');
  assert.equal(res.status, 400);
  assert.deepEqual(JSON.parse(res.body), { __type: `${CORAL}#SerializationException` });
});

test('gzip request bodies are accepted', async () => {
  const body = gzipSync(Buffer.from('{"Limit":5}'));
  const res = await dynamoCall(basalt.endpoint, 'DynamoDB_20120810.ListTables', body, { 'content-encoding': 'gzip' });
  assert.equal(res.status, 200, res.body);
  assert.deepEqual(JSON.parse(res.body), { TableNames: [] });
});

test('corrupt gzip is a SerializationException', async () => {
  const res = await dynamoCall(basalt.endpoint, 'DynamoDB_20120810.ListTables', Buffer.from('not gzip'), { 'content-encoding': 'gzip' });
  assert.equal(res.status, 400);
  assert.deepEqual(JSON.parse(res.body), { __type: `${CORAL}#SerializationException` });
});

test('a wrong content type or method is answered the way DynamoDB does', async () => {
  const headers = await signedDynamoHeaders(basalt.endpoint, 'DynamoDB_20120810.ListTables', '{}');
  const wrongType = await rawRequest(basalt.endpoint, { headers: { ...headers, 'content-type': 'text/plain' }, body: '{}' });
  assert.equal(wrongType.status, 404);
  assert.equal(wrongType.body, '<UnknownOperationException/>\n');
  const get = await rawRequest(basalt.endpoint, { method: 'GET', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables' } });
  assert.equal(get.status, 404);
  assert.equal(get.body, '<UnknownOperationException/>\n');
});

test('an unsigned request is missing its authentication token', async () => {
  const res = await rawRequest(basalt.endpoint, {
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
    body: '{}',
  });
  assert.equal(res.status, 400);
  assert.deepEqual(JSON.parse(res.body), {
    __type: `${CORAL}#MissingAuthenticationTokenException`,
    message: 'Request is missing Authentication Token',
  });
});

test('a body over 16 MB is refused without reading it all', async () => {
  const big = Buffer.alloc(16 * 1024 * 1024 + 10, 0x20);
  const res = await dynamoCall(basalt.endpoint, 'DynamoDB_20120810.ListTables', big);
  assert.equal(res.status, 413);
});

test('no malformed request crashes the server; each gets a DynamoDB answer and the next is served', async () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const deepObject = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
  const bodies = [
    'null', '[]', '1', '"x"', 'true', '{"TableName":null}', '{"TableName":{}}', '{"Limit":"x"}', '{"Limit":1e400}',
    deep, deepObject, JSON.stringify({ ExclusiveStartTableName: 'x'.repeat(1_000_000) }), '\u0000', '{"__proto__":{"x":1}}',
  ];
  const targets = ['ListTables', 'CreateTable', 'DescribeTable', 'UpdateTable', 'DeleteTable', 'TagResource', 'PutItem', 'Query'];
  for (const target of targets) {
    for (const body of bodies) {
      const res = await dynamoCall(basalt.endpoint, `DynamoDB_20120810.${target}`, body);
      const what = `${target} ${body.slice(0, 40)} → ${res.status} ${res.body.slice(0, 200)}`;
      // Some of these are valid requests (unknown and null members are ignored): success is fine, a crash is not.
      assert.ok([200, 400].includes(res.status), what);
      const parsed = JSON.parse(res.body) as { __type?: string };
      if (res.status !== 200) assert.match(String(parsed.__type), /^com\.amazon/, what);
    }
  }
  const ok = await dynamoCall(basalt.endpoint, 'DynamoDB_20120810.ListTables', '{}');
  assert.equal(ok.status, 200);
});
