// GetItem answers from a cache of committed items (and from their stored JSON): every acknowledged write,
// whatever its path, must be what the next GetItem of that key returns, on disk and in memory.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { tempDir } from '../helpers/basalt';
import { stringKeyTable } from '../helpers/items';
import { useBasalt } from '../helpers/suite';

const TABLE = 'cached';
const dir = tempDir();
after(() => dir.remove());

for (const [storage, args] of [
  ['in memory', ['--in-memory']],
  ['on disk', ['--data-dir', dir.path]],
] as const) {
  describe(`GetItem after each kind of write (${storage})`, () => {
    const suite = useBasalt({ args: [...args] });
    const key = { id: { S: 'k' } };
    const get = async (consistent = false): Promise<Record<string, AttributeValue> | undefined> =>
      (await suite.ddb.send(new GetItemCommand({ TableName: TABLE, Key: key, ConsistentRead: consistent }))).Item;

    before(async () => {
      await suite.ddb.send(new CreateTableCommand(stringKeyTable(TABLE, 'id')));
    });

    it('sees every acknowledged write of the key, read before and after it', async () => {
      assert.equal(await get(), undefined);
      await suite.ddb.send(new PutItemCommand({ TableName: TABLE, Item: { ...key, v: { N: '1' } } }));
      assert.deepEqual(await get(), { ...key, v: { N: '1' } });
      await suite.ddb.send(new UpdateItemCommand({ TableName: TABLE, Key: key, UpdateExpression: 'ADD v :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
      assert.deepEqual(await get(true), { ...key, v: { N: '2' } });
      await suite.ddb.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: [{ PutRequest: { Item: { ...key, v: { S: 'batch' } } } }] } }));
      assert.deepEqual(await get(), { ...key, v: { S: 'batch' } });
      await suite.ddb.send(
        new TransactWriteItemsCommand({ TransactItems: [{ Update: { TableName: TABLE, Key: key, UpdateExpression: 'SET v = :t', ExpressionAttributeValues: { ':t': { S: 'tx' } } } }] }),
      );
      assert.deepEqual(await get(), { ...key, v: { S: 'tx' } });
      await suite.ddb.send(new ExecuteStatementCommand({ Statement: `UPDATE "${TABLE}" SET v = 'partiql' WHERE id = 'k'` }));
      assert.deepEqual(await get(), { ...key, v: { S: 'partiql' } });
      await suite.ddb.send(new DeleteItemCommand({ TableName: TABLE, Key: key }));
      assert.equal(await get(), undefined);
      await suite.ddb.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: [{ PutRequest: { Item: { ...key, v: { S: 'back' } } } }] } }));
      await suite.ddb.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: [{ DeleteRequest: { Key: key } }] } }));
      assert.equal(await get(), undefined);
    });

    it('never answers older than a write acknowledged before the read began, under concurrent increments', async () => {
      const counter = { id: { S: 'counter' } };
      await suite.ddb.send(new PutItemCommand({ TableName: TABLE, Item: { ...counter, n: { N: '0' } } }));
      let acknowledged = 0;
      const writers = Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 25; i++) {
          const out = await suite.ddb.send(
            new UpdateItemCommand({ TableName: TABLE, Key: counter, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'UPDATED_NEW' }),
          );
          acknowledged = Math.max(acknowledged, Number(out.Attributes!.n!.N));
        }
      });
      const readers = Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 40; i++) {
          const floor = acknowledged;
          const item = (await suite.ddb.send(new GetItemCommand({ TableName: TABLE, Key: counter }))).Item;
          assert.ok(Number(item!.n!.N) >= floor, `read ${item!.n!.N} after ${floor} was acknowledged`);
        }
      });
      await Promise.all([...writers, ...readers]);
      assert.deepEqual((await suite.ddb.send(new GetItemCommand({ TableName: TABLE, Key: counter }))).Item, { ...counter, n: { N: '200' } });
    });
  });
}
