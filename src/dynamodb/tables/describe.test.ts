import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeTable } from './describe';
import { newThroughput, type TableRecord } from './record';

const record = (ids: Pick<TableRecord, 'id' | 'tableId'>): TableRecord => ({
  name: 'Music',
  ...ids,
  createdAt: Date.UTC(2026, 0, 1),
  status: 'ACTIVE',
  until: 0,
  attributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }],
  keySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }],
  localIndexes: [],
  globalIndexes: [],
  billingMode: 'PAY_PER_REQUEST',
  billingModeReported: true,
  throughput: newThroughput(0, 0),
  deletionProtection: false,
  tags: [],
  itemCount: 0,
  sizeBytes: 0,
});

const scope = { accountId: '000000000000', region: 'us-east-1' };
const uuid = '6d1b2c4e-8f3a-4b7c-9e2d-1a5f3c7b9d0e';

test('TableId is the UUID kept beside the short storage id, or, in tables made before that, the id itself', () => {
  assert.equal(describeTable(record({ id: 'q3Vb7xK2mZ9a', tableId: uuid }), scope, 0).TableId, uuid);
  assert.equal(describeTable(record({ id: uuid }), scope, 0).TableId, uuid);
});
