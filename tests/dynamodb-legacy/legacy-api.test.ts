import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { pkSkTable } from '../helpers/items';
import { useLegacyBasalt } from '../helpers/legacy-suite';

const INVALID = 'One or more parameter values were invalid: ';
const LEGACY = 'com.amazonaws.dynamodb.v20111205';
const VALIDATE = 'com.amazon.coral.validate#ValidationException';

/** The reference's sample request, as printed (it drops the comma before "ReturnValues"). */
const SEED_REQUEST_AS_PRINTED = `{"TableName":"comp5",
	"Item":
		{"time":{"N":"300"},
		"feeling":{"S":"not surprised"},
		"user":{"S":"Riley"}
		},
	"Expected":
		{"feeling":{"Value":{"S":"surprised"},"Exists":true}}
	"ReturnValues":"ALL_OLD"
}`;
const SEED_REQUEST = SEED_REQUEST_AS_PRINTED.replace('"Exists":true}}\n', '"Exists":true}},\n');
const SEED_RESPONSE = `{"Attributes":
	{"feeling":{"S":"surprised"},
	"time":{"N":"300"},
	"user":{"S":"Riley"}},
"ConsumedCapacityUnits":1
}`;


type V2Error = { code: string; message: string; statusCode: number };

async function v2Error(promise: Promise<unknown>): Promise<V2Error> {
  try {
    await promise;
  } catch (err) {
    return err as V2Error;
  }
  throw new Error('expected the call to fail');
}

describe('DynamoDB API 2011-12-05', () => {
  const suite = useLegacyBasalt();
  const { legacyCall } = suite;

  before(async () => {
    await suite.legacy
      .createTable({
        TableName: 'comp5',
        KeySchema: { HashKeyElement: { AttributeName: 'user', AttributeType: 'S' }, RangeKeyElement: { AttributeName: 'time', AttributeType: 'N' } },
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      })
      .promise();
    await suite.legacy
      .createTable({
        TableName: 'hashonly',
        KeySchema: { HashKeyElement: { AttributeName: 'id', AttributeType: 'S' } },
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      })
      .promise();
  });

  describe("the reference's PutItem sample", () => {
    it('as printed (a comma missing) is a SerializationException, as DynamoDB answers', async () => {
      const res = await legacyCall('PutItem', SEED_REQUEST_AS_PRINTED);
      assert.equal(res.status, 400);
      assert.equal(JSON.parse(res.body).__type, 'com.amazon.coral.service#SerializationException');
    });

    it('with the comma put back: replaces the item and answers the sample response', async () => {
      await suite.legacy.putItem({ TableName: 'comp5', Item: { time: { N: '300' }, feeling: { S: 'surprised' }, user: { S: 'Riley' } } }).promise();
      const res = await legacyCall('PutItem', SEED_REQUEST);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
      assert.deepEqual(JSON.parse(res.body), JSON.parse(SEED_RESPONSE));
      const got = await suite.legacy.getItem({ TableName: 'comp5', Key: { HashKeyElement: { S: 'Riley' }, RangeKeyElement: { N: '300' } } }).promise();
      assert.deepEqual(got.Item, { time: { N: '300' }, feeling: { S: 'not surprised' }, user: { S: 'Riley' } });
    });

    it('sent again, the condition fails: ConditionalCheckFailedException in the v20111205 namespace', async () => {
      const res = await legacyCall('PutItem', SEED_REQUEST);
      assert.equal(res.status, 400);
      assert.deepEqual(JSON.parse(res.body), {
        __type: `${LEGACY}#ConditionalCheckFailedException`,
        message: 'The expected value did not match what was stored in the system.',
      });
    });
  });

  describe('tables', () => {
    it('CreateTable and DescribeTable answer the 2011-12-05 TableDescription', async () => {
      const created = await suite.legacy
        .createTable({
          TableName: 'legacy-created',
          KeySchema: { HashKeyElement: { AttributeName: 'h', AttributeType: 'S' }, RangeKeyElement: { AttributeName: 'r', AttributeType: 'N' } },
          ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
        })
        .promise();
      const d = created.TableDescription!;
      assert.equal(d.TableName, 'legacy-created');
      assert.deepEqual(d.KeySchema, { HashKeyElement: { AttributeName: 'h', AttributeType: 'S' }, RangeKeyElement: { AttributeName: 'r', AttributeType: 'N' } });
      assert.ok(['CREATING', 'ACTIVE'].includes(d.TableStatus!));
      assert.ok(d.CreationDateTime instanceof Date);
      assert.equal(d.ProvisionedThroughput!.ReadCapacityUnits, 3);
      assert.equal(d.ProvisionedThroughput!.WriteCapacityUnits, 4);
      const raw = await legacyCall('DescribeTable', { TableName: 'legacy-created' });
      const table = JSON.parse(raw.body).Table;
      assert.deepEqual(Object.keys(table).sort(), ['CreationDateTime', 'ItemCount', 'KeySchema', 'ProvisionedThroughput', 'TableName', 'TableSizeBytes', 'TableStatus']);
      assert.deepEqual(Object.keys(table.ProvisionedThroughput).sort(), ['NumberOfDecreasesToday', 'ReadCapacityUnits', 'WriteCapacityUnits']);
      assert.equal(table.TableStatus, 'ACTIVE');
      assert.equal(table.ItemCount, 0);
    });

    it('ListTables pages with Limit and ExclusiveStartTableName', async () => {
      const all = await suite.legacy.listTables({}).promise();
      assert.ok(all.TableNames!.includes('comp5') && all.TableNames!.includes('hashonly'));
      const first = await suite.legacy.listTables({ Limit: 1 }).promise();
      assert.equal(first.TableNames!.length, 1);
      assert.equal(first.LastEvaluatedTableName, first.TableNames![0]);
      const next = await suite.legacy.listTables({ ExclusiveStartTableName: first.LastEvaluatedTableName }).promise();
      assert.ok(!next.TableNames!.includes(first.TableNames![0]!));
    });

    it('UpdateTable changes the provisioned throughput', async () => {
      const out = await suite.legacy.updateTable({ TableName: 'legacy-created', ProvisionedThroughput: { ReadCapacityUnits: 6, WriteCapacityUnits: 4 } }).promise();
      assert.ok(['UPDATING', 'ACTIVE'].includes(out.TableDescription!.TableStatus));
      const described = await suite.legacy.describeTable({ TableName: 'legacy-created' }).promise();
      assert.equal(described.Table!.ProvisionedThroughput!.ReadCapacityUnits, 6);
      assert.ok(described.Table!.ProvisionedThroughput!.LastIncreaseDateTime instanceof Date);
    });

    it('DeleteTable answers the description with its key schema, then the table is gone', async () => {
      const out = await suite.legacy.deleteTable({ TableName: 'legacy-created' }).promise();
      assert.equal(out.TableDescription!.TableName, 'legacy-created');
      assert.equal(out.TableDescription!.KeySchema!.HashKeyElement.AttributeName, 'h');
      const err = await v2Error(suite.legacy.describeTable({ TableName: 'legacy-created' }).promise());
      assert.equal(err.code, 'ResourceNotFoundException');
      const raw = await legacyCall('DescribeTable', { TableName: 'legacy-created' });
      assert.deepEqual(JSON.parse(raw.body), {
        __type: `${LEGACY}#ResourceNotFoundException`,
        message: 'Requested resource not found: Table: legacy-created not found',
      });
    });

    it('model checks: required members and constraints, in the validator namespace', async () => {
      const res = await legacyCall('CreateTable', { TableName: 'ab', ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 1 } });
      assert.equal(res.status, 400);
      const body = JSON.parse(res.body);
      assert.equal(body.__type, VALIDATE);
      assert.match(body.message, /^3 validation errors detected: /);
      assert.match(body.message, /Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3/);
      assert.match(body.message, /Value null at 'keySchema' failed to satisfy constraint: Member must not be null/);
      assert.match(body.message, /Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1/);
      const bad = await legacyCall('GetItem', { TableName: 'hashonly', Key: { HashKeyElement: { S: 'x' } }, ConsistentRead: 'yes' });
      assert.equal(JSON.parse(bad.body).__type, 'com.amazon.coral.service#SerializationException');
    });

    it('an operation 2011-12-05 does not have is UnknownOperationException', async () => {
      const res = await legacyCall('TagResource', {});
      assert.equal(JSON.parse(res.body).__type, 'com.amazon.coral.service#UnknownOperationException');
    });
  });

  describe('items', () => {
    it('PutItem, GetItem (AttributesToGet, ConsistentRead), DeleteItem with ConsumedCapacityUnits', async () => {
      const put = await suite.legacy.putItem({ TableName: 'hashonly', Item: { id: { S: 'a' }, n: { N: '1' }, ss: { SS: ['x', 'y'] }, b: { B: 'dmFsdWU=' } } }).promise();
      assert.equal(put.ConsumedCapacityUnits, 1);
      assert.equal(put.Attributes, undefined);
      const got = await suite.legacy.getItem({ TableName: 'hashonly', Key: { HashKeyElement: { S: 'a' } }, ConsistentRead: true }).promise();
      assert.equal(got.ConsumedCapacityUnits, 1);
      assert.equal(got.Item!.n!.N, '1');
      assert.deepEqual(got.Item!.ss!.SS!.sort(), ['x', 'y']);
      const some = await legacyCall('GetItem', { TableName: 'hashonly', Key: { HashKeyElement: { S: 'a' } }, AttributesToGet: ['n'] });
      assert.deepEqual(JSON.parse(some.body), { Item: { n: { N: '1' } }, ConsumedCapacityUnits: 0.5 });
      const missing = await legacyCall('GetItem', { TableName: 'hashonly', Key: { HashKeyElement: { S: 'nope' } } });
      assert.deepEqual(JSON.parse(missing.body), { ConsumedCapacityUnits: 0.5 });
      const del = await suite.legacy.deleteItem({ TableName: 'hashonly', Key: { HashKeyElement: { S: 'a' } }, ReturnValues: 'ALL_OLD' }).promise();
      assert.equal(del.Attributes!.n!.N, '1');
      assert.equal(del.ConsumedCapacityUnits, 1);
      const gone = await suite.legacy.getItem({ TableName: 'hashonly', Key: { HashKeyElement: { S: 'a' } } }).promise();
      assert.equal(gone.Item, undefined);
    });

    it('UpdateItem with AttributeUpdates PUT / ADD / DELETE and every ReturnValues', async () => {
      const key = { HashKeyElement: { S: 'u' } };
      const created = await suite.legacy
        .updateItem({ TableName: 'hashonly', Key: key, AttributeUpdates: { n: { Value: { N: '5' }, Action: 'ADD' }, s: { Value: { S: 'v' } } }, ReturnValues: 'ALL_NEW' })
        .promise();
      assert.deepEqual(created.Attributes, { id: { S: 'u' }, n: { N: '5' }, s: { S: 'v' } });
      assert.equal(created.ConsumedCapacityUnits, 1);
      const updatedOld = await suite.legacy
        .updateItem({ TableName: 'hashonly', Key: key, AttributeUpdates: { n: { Value: { N: '2' }, Action: 'ADD' }, tags: { Value: { SS: ['a', 'b'] }, Action: 'ADD' } }, ReturnValues: 'UPDATED_OLD' })
        .promise();
      assert.deepEqual(updatedOld.Attributes, { n: { N: '5' } });
      const updatedNew = await suite.legacy
        .updateItem({ TableName: 'hashonly', Key: key, AttributeUpdates: { tags: { Value: { SS: ['a'] }, Action: 'DELETE' }, s: { Action: 'DELETE' } }, ReturnValues: 'UPDATED_NEW' })
        .promise();
      assert.deepEqual(updatedNew.Attributes, { tags: { SS: ['b'] } });
      const allOld = await suite.legacy.updateItem({ TableName: 'hashonly', Key: key, AttributeUpdates: { n: { Value: { N: '1' }, Action: 'PUT' } }, ReturnValues: 'ALL_OLD' }).promise();
      assert.deepEqual(allOld.Attributes, { id: { S: 'u' }, n: { N: '7' }, tags: { SS: ['b'] } });
      const none = await legacyCall('UpdateItem', { TableName: 'hashonly', Key: key, AttributeUpdates: { m: { Value: { N: '1' } } } });
      assert.deepEqual(JSON.parse(none.body), { ConsumedCapacityUnits: 1 });
      const keyUpdate = await v2Error(suite.legacy.updateItem({ TableName: 'hashonly', Key: key, AttributeUpdates: { id: { Value: { S: 'z' } } } }).promise());
      assert.equal(keyUpdate.code, 'ValidationException');
      const putOnly = await legacyCall('PutItem', { TableName: 'hashonly', Item: { id: { S: 'x' } }, ReturnValues: 'ALL_NEW' });
      assert.equal(JSON.parse(putOnly.body).__type, VALIDATE);
    });

    it('Expected with Value and Exists: conditional writes', async () => {
      await suite.legacy.putItem({ TableName: 'hashonly', Item: { id: { S: 'c' }, color: { S: 'yellow' } } }).promise();
      await suite.legacy.putItem({ TableName: 'hashonly', Item: { id: { S: 'c' }, color: { S: 'red' } }, Expected: { color: { Value: { S: 'yellow' } } } }).promise();
      const failed = await v2Error(
        suite.legacy.putItem({ TableName: 'hashonly', Item: { id: { S: 'c' } }, Expected: { color: { Value: { S: 'yellow' }, Exists: true } } }).promise(),
      );
      assert.equal(failed.code, 'ConditionalCheckFailedException');
      const notNew = await v2Error(suite.legacy.putItem({ TableName: 'hashonly', Item: { id: { S: 'c' } }, Expected: { id: { Exists: false } } }).promise());
      assert.equal(notNew.code, 'ConditionalCheckFailedException');
      await suite.legacy.putItem({ TableName: 'hashonly', Item: { id: { S: 'c-new' } }, Expected: { id: { Exists: false } } }).promise();
      const delFailed = await v2Error(suite.legacy.deleteItem({ TableName: 'hashonly', Key: { HashKeyElement: { S: 'c' } }, Expected: { color: { Exists: false } } }).promise());
      assert.equal(delFailed.code, 'ConditionalCheckFailedException');
      await suite.legacy.deleteItem({ TableName: 'hashonly', Key: { HashKeyElement: { S: 'c' } }, Expected: { color: { Value: { S: 'red' } } } }).promise();
      const updFailed = await v2Error(
        suite.legacy.updateItem({ TableName: 'hashonly', Key: { HashKeyElement: { S: 'c-new' } }, AttributeUpdates: { a: { Value: { S: 'b' } } }, Expected: { a: { Value: { S: 'x' } } } }).promise(),
      );
      assert.equal(updFailed.code, 'ConditionalCheckFailedException');
    });

    it('Exists true without Value, and Exists false with a Value, are ValidationExceptions', async () => {
      const noValue = await legacyCall('PutItem', { TableName: 'hashonly', Item: { id: { S: 'e' } }, Expected: { a: { Exists: true } } });
      assert.equal(noValue.status, 400);
      assert.deepEqual(JSON.parse(noValue.body), { __type: VALIDATE, message: `${INVALID}Exists is set to TRUE for attribute a, Value must also be set` });
      const withValue = await legacyCall('DeleteItem', { TableName: 'hashonly', Key: { HashKeyElement: { S: 'e' } }, Expected: { a: { Exists: false, Value: { S: 'x' } } } });
      assert.deepEqual(JSON.parse(withValue.body), { __type: VALIDATE, message: `${INVALID}Value cannot be used when Exists is false for attribute a` });
    });

    it("that version's value rules: no empty strings, binaries or sets, exactly one type, even where 2012-08-10 allows them", async () => {
      const cases: [unknown, string][] = [
        [{ S: '' }, `${INVALID}An AttributeValue may not contain an empty string`],
        [{ B: '' }, `${INVALID}An AttributeValue may not contain a null or empty binary type.`],
        [{ SS: [] }, `${INVALID}An string set  may not be empty`],
        [{ NS: [] }, `${INVALID}An number set  may not be empty`],
        [{ BS: [] }, `${INVALID}Binary sets should not be empty`],
        [{ SS: ['a', ''] }, `${INVALID}An AttributeValue may not contain an empty string`],
        [{}, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
        [{ BOOL: true }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
        [{ NULL: true }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
        [{ S: 'a', N: '1' }, 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'],
      ];
      for (const [value, message] of cases) {
        const res = await legacyCall('PutItem', { TableName: 'hashonly', Item: { id: { S: 'v' }, a: value } });
        assert.equal(res.status, 400, JSON.stringify(value));
        assert.deepEqual(JSON.parse(res.body), { __type: VALIDATE, message }, JSON.stringify(value));
      }
      const nullValue = await legacyCall('PutItem', { TableName: 'hashonly', Item: { id: { S: 'v' }, a: null } });
      assert.equal(JSON.parse(nullValue.body).__type, VALIDATE);
      const update = await legacyCall('UpdateItem', { TableName: 'hashonly', Key: { HashKeyElement: { S: 'v' } }, AttributeUpdates: { a: { Value: { S: '' } } } });
      assert.equal(JSON.parse(update.body).message, `${INVALID}An AttributeValue may not contain an empty string`);
      const expected = await legacyCall('PutItem', { TableName: 'hashonly', Item: { id: { S: 'v' } }, Expected: { a: { Value: { S: '' } } } });
      assert.equal(JSON.parse(expected.body).message, `${INVALID}An AttributeValue may not contain an empty string`);
      const key = await legacyCall('GetItem', { TableName: 'hashonly', Key: { HashKeyElement: { S: '' } } });
      assert.equal(JSON.parse(key.body).message, `${INVALID}An AttributeValue may not contain an empty string`);
      // The same empty string is accepted by the current API on a non-key attribute.
      await suite.ddb.send(new PutItemCommand({ TableName: 'hashonly', Item: { id: { S: 'v' }, a: { S: '' } } }));
    });

    it('a key of the wrong size for the schema is refused', async () => {
      const res = await legacyCall('GetItem', { TableName: 'hashonly', Key: { HashKeyElement: { S: 'a' }, RangeKeyElement: { N: '1' } } });
      assert.deepEqual(JSON.parse(res.body), { __type: VALIDATE, message: `${INVALID}The provided key size does not match with that of the schema` });
      const missingRange = await legacyCall('DeleteItem', { TableName: 'comp5', Key: { HashKeyElement: { S: 'Riley' } } });
      assert.equal(JSON.parse(missingRange.body).__type, VALIDATE);
    });

    it('a missing table is ResourceNotFoundException in the v20111205 namespace', async () => {
      const res = await legacyCall('PutItem', { TableName: 'no-such-table', Item: { id: { S: 'x' } } });
      assert.deepEqual(JSON.parse(res.body), { __type: `${LEGACY}#ResourceNotFoundException`, message: 'Requested resource not found' });
    });
  });

  describe('one store: both API versions on the same tables', () => {
    it('a table created with 2011-12-05 is described and written by 2012-08-10, and read back', async () => {
      const described = await suite.ddb.send(new DescribeTableCommand({ TableName: 'comp5' }));
      assert.deepEqual(described.Table!.KeySchema, [
        { AttributeName: 'user', KeyType: 'HASH' },
        { AttributeName: 'time', KeyType: 'RANGE' },
      ]);
      await suite.ddb.send(new PutItemCommand({ TableName: 'comp5', Item: { user: { S: 'Quinn' }, time: { N: '7' }, mood: { S: 'calm' } } }));
      const got = await suite.legacy.getItem({ TableName: 'comp5', Key: { HashKeyElement: { S: 'Quinn' }, RangeKeyElement: { N: '7' } } }).promise();
      assert.deepEqual(got.Item, { user: { S: 'Quinn' }, time: { N: '7' }, mood: { S: 'calm' } });
      await suite.legacy.putItem({ TableName: 'comp5', Item: { user: { S: 'Quinn' }, time: { N: '8' }, mood: { SS: ['odd'] } } }).promise();
      const back = await suite.ddb.send(new GetItemCommand({ TableName: 'comp5', Key: { user: { S: 'Quinn' }, time: { N: '8' } } }));
      assert.deepEqual(back.Item, { user: { S: 'Quinn' }, time: { N: '8' }, mood: { SS: ['odd'] } });
    });

    it('a table created with 2012-08-10 is described and used by 2011-12-05', async () => {
      await suite.ddb.send(
        new CreateTableCommand(pkSkTable('modern', 'B')),
      );
      const described = await legacyCall('DescribeTable', { TableName: 'modern' });
      const table = JSON.parse(described.body).Table;
      assert.deepEqual(table.KeySchema, { HashKeyElement: { AttributeName: 'pk', AttributeType: 'S' }, RangeKeyElement: { AttributeName: 'sk', AttributeType: 'B' } });
      assert.equal(table.ProvisionedThroughput.ReadCapacityUnits, 0);
      await suite.ddb.send(new PutItemCommand({ TableName: 'modern', Item: { pk: { S: 'p' }, sk: { B: Buffer.from('k') }, flag: { BOOL: true }, list: { L: [{ S: 'x' }] } } }));
      // Newer types come back as stored: the older clients' model simply has no member for them.
      const got = await legacyCall('GetItem', { TableName: 'modern', Key: { HashKeyElement: { S: 'p' }, RangeKeyElement: { B: Buffer.from('k').toString('base64') } } });
      assert.deepEqual(JSON.parse(got.body).Item, { pk: { S: 'p' }, sk: { B: Buffer.from('k').toString('base64') }, flag: { BOOL: true }, list: { L: [{ S: 'x' }] } });
      await suite.legacy.updateItem({ TableName: 'modern', Key: { HashKeyElement: { S: 'p' }, RangeKeyElement: { B: Buffer.from('k') } }, AttributeUpdates: { count: { Value: { N: '2' }, Action: 'ADD' } } }).promise();
      const after = await suite.ddb.send(new GetItemCommand({ TableName: 'modern', Key: { pk: { S: 'p' }, sk: { B: Buffer.from('k') } } }));
      assert.deepEqual(after.Item!.count, { N: '2' });
    });

    it('a table with a secondary index is described by its primary key alone', async () => {
      await suite.ddb.send(
        new CreateTableCommand({
          TableName: 'indexed',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'g', AttributeType: 'N' },
          ],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      const out = await suite.legacy.describeTable({ TableName: 'indexed' }).promise();
      assert.deepEqual(out.Table!.KeySchema, { HashKeyElement: { AttributeName: 'pk', AttributeType: 'S' } });
      await suite.legacy.putItem({ TableName: 'indexed', Item: { pk: { S: '1' }, g: { N: '3' } } }).promise();
      const wrongType = await v2Error(suite.legacy.putItem({ TableName: 'indexed', Item: { pk: { S: '2' }, g: { S: 'x' } } }).promise());
      assert.equal(wrongType.code, 'ValidationException');
    });
  });
});
