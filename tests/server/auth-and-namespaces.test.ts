import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, ListTablesCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { awsError, startBasalt, type BasaltProcess } from '../helpers/basalt';
import { awsCli } from '../helpers/cli';
import { rawRequest } from '../helpers/raw';

const ALICE = { accessKeyId: 'ALICEKEY', secretAccessKey: 'alice-secret' };
const BOB = { accessKeyId: 'BOBKEY', secretAccessKey: 'bob-secret' };

let basalt: BasaltProcess;
before(async () => {
  basalt = await startBasalt(['--in-memory', '--credentials', 'ALICEKEY:alice-secret:111111111111', '--credentials', 'BOBKEY:bob-secret:222222222222']);
});
after(async () => {
  await basalt.stop();
});

const table = (name: string) =>
  new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });

test('with credentials configured, the default test/test pair is not accepted', async () => {
  const err = await awsError(basalt.dynamodb().send(new ListTablesCommand({})));
  assert.equal(err.name, 'UnrecognizedClientException');
  assert.equal(err.message, 'The security token included in the request is invalid.');
});

test('a wrong secret is InvalidSignatureException, through the SDK and the AWS CLI', async () => {
  const err = await awsError(basalt.dynamodb({ accessKeyId: 'ALICEKEY', secretAccessKey: 'nope' }).send(new ListTablesCommand({})));
  assert.equal(err.name, 'InvalidSignatureException');
  assert.match(err.message, /^The request signature we calculated does not match the signature you provided\./);
  assert.equal(err.$metadata?.httpStatusCode, 400);
  const cli = await awsCli(basalt.endpoint, ['dynamodb', 'list-tables'], { accessKeyId: 'ALICEKEY', secretAccessKey: 'nope' });
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /InvalidSignatureException/);
});

test('tables are namespaced by the account of the credential and the region of the signature', async () => {
  const aliceEast = basalt.dynamodb(ALICE, 'us-east-1');
  const aliceWest = basalt.dynamodb(ALICE, 'eu-west-1');
  const bobEast = basalt.dynamodb(BOB, 'us-east-1');
  const created = await aliceEast.send(table('shared-name'));
  assert.equal(created.TableDescription?.TableArn, 'arn:aws:dynamodb:us-east-1:111111111111:table/shared-name');
  await bobEast.send(table('shared-name'));
  await aliceWest.send(table('west-only'));

  assert.deepEqual((await aliceEast.send(new ListTablesCommand({}))).TableNames, ['shared-name']);
  assert.deepEqual((await aliceWest.send(new ListTablesCommand({}))).TableNames, ['west-only']);
  const bobTable = await bobEast.send(new DescribeTableCommand({ TableName: 'shared-name' }));
  assert.equal(bobTable.Table?.TableArn, 'arn:aws:dynamodb:us-east-1:222222222222:table/shared-name');
  const missing = await awsError(bobEast.send(new DescribeTableCommand({ TableName: 'west-only' })));
  assert.equal(missing.name, 'ResourceNotFoundException');
  assert.equal(missing.message, 'Requested resource not found: Table: west-only not found');
});

test('an unusable Authorization header is IncompleteSignatureException', async () => {
  const res = await rawRequest(basalt.endpoint, {
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      authorization: 'AWS4-HMAC-SHA256 Credential=ALICEKEY/20240101/us-east-1/dynamodb/aws4_request',
      'x-amz-date': '20240101T000000Z',
    },
    body: '{}',
  });
  assert.equal(res.status, 400);
  const body = JSON.parse(res.body);
  assert.equal(body.__type, 'com.amazon.coral.service#IncompleteSignatureException');
});

test('--auth off accepts unsigned and wrongly signed requests on loopback, still namespaced by region', async () => {
  const open = await startBasalt(['--in-memory', '--auth', 'off']);
  try {
    const anyone = open.dynamodb({ accessKeyId: 'whoever', secretAccessKey: 'whatever' }, 'ap-south-1');
    const created = await anyone.send(table('table-one'));
    assert.equal(created.TableDescription?.TableArn, 'arn:aws:dynamodb:ap-south-1:000000000000:table/table-one');
    const unsigned = await rawRequest(open.endpoint, {
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    assert.equal(unsigned.status, 200);
    assert.deepEqual(JSON.parse(unsigned.body), { TableNames: [] }, 'unsigned requests land in us-east-1');
    assert.match(open.output(), /auth: off/);
  } finally {
    await open.stop();
  }
});
