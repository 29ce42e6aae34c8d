import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { rejectsWith as rejects } from '../helpers/aws-assert';
import { awsError } from '../helpers/basalt';
import { pkSkTable, stringKeyTable } from '../helpers/items';
import { useBasalt } from '../helpers/suite';
import { HASH, N as defN, RANGE, S as defS } from '../helpers/tables';

const INVALID = 'One or more parameter values were invalid: ';

describe('UpdateItem, ReturnValues, capacity and item collections', () => {
  const suite = useBasalt();
  const T = 'upd';

  before(async () => {
    await suite.ddb.send(new CreateTableCommand(stringKeyTable(T, 'id')));
    await suite.ddb.send(
      new CreateTableCommand(
        pkSkTable('indexed', 'S', {
          AttributeDefinitions: [defS('pk'), defS('sk'), defN('lsk'), defS('gpk')],
          LocalSecondaryIndexes: [{ IndexName: 'bylsk', KeySchema: [HASH('pk'), RANGE('lsk')], Projection: { ProjectionType: 'ALL' } }],
          GlobalSecondaryIndexes: [{ IndexName: 'bygpk', KeySchema: [HASH('gpk')], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        }),
      ),
    );
  });

  const update = (input: Omit<UpdateItemCommandInput, 'TableName'>, table = T) => suite.ddb.send(new UpdateItemCommand({ TableName: table, ...input }));
  const get = async (id: string) => (await suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: id } }, ConsistentRead: true }))).Item;

  it('creates the item when absent; SET, REMOVE, ADD, DELETE', async () => {
    await update({
      Key: { id: { S: 'u1' } },
      UpdateExpression: 'SET a = :a, n = :n, l = :l ADD s :s',
      ExpressionAttributeValues: { ':a': { S: 'x' }, ':n': { N: '1' }, ':l': { L: [{ S: 'p' }] }, ':s': { SS: ['q', 'r'] } },
    });
    assert.deepEqual(await get('u1'), { id: { S: 'u1' }, a: { S: 'x' }, n: { N: '1' }, l: { L: [{ S: 'p' }] }, s: { SS: ['q', 'r'] } });
    await update({
      Key: { id: { S: 'u1' } },
      UpdateExpression: 'SET n = n + :two, l = list_append(l, :more) REMOVE a DELETE s :q',
      ExpressionAttributeValues: { ':two': { N: '2' }, ':more': { L: [{ S: 'z' }] }, ':q': { SS: ['q'] } },
    });
    assert.deepEqual(await get('u1'), { id: { S: 'u1' }, n: { N: '3' }, l: { L: [{ S: 'p' }, { S: 'z' }] }, s: { SS: ['r'] } });
  });

  it('with no update creates the item from its key; REMOVE alone creates nothing', async () => {
    await update({ Key: { id: { S: 'bare' } } });
    assert.deepEqual(await get('bare'), { id: { S: 'bare' } });
    await update({ Key: { id: { S: 'ghost' } }, UpdateExpression: 'REMOVE a' });
    assert.equal(await get('ghost'), undefined);
  });

  it('every ReturnValues variant', async () => {
    const setup = () => suite.ddb.send(new PutItemCommand({ TableName: T, Item: { id: { S: 'rv' }, a: { N: '1' }, b: { S: 'keep' } } }));
    const run = (ReturnValues: UpdateItemCommandInput['ReturnValues']) =>
      update({ Key: { id: { S: 'rv' } }, UpdateExpression: 'SET a = a + :one, c = :c', ExpressionAttributeValues: { ':one': { N: '1' }, ':c': { S: 'new' } }, ReturnValues });
    await setup();
    assert.equal((await run('NONE')).Attributes, undefined);
    await setup();
    assert.deepEqual((await run('ALL_OLD')).Attributes, { id: { S: 'rv' }, a: { N: '1' }, b: { S: 'keep' } });
    await setup();
    assert.deepEqual((await run('UPDATED_OLD')).Attributes, { a: { N: '1' } });
    await setup();
    assert.deepEqual((await run('ALL_NEW')).Attributes, { id: { S: 'rv' }, a: { N: '2' }, b: { S: 'keep' }, c: { S: 'new' } });
    await setup();
    assert.deepEqual((await run('UPDATED_NEW')).Attributes, { a: { N: '2' }, c: { S: 'new' } });
    await suite.ddb.send(new DeleteItemCommand({ TableName: T, Key: { id: { S: 'rv' } } }));
    const created = await update({ Key: { id: { S: 'rv' } }, UpdateExpression: 'SET c = :c', ExpressionAttributeValues: { ':c': { S: 'new' } }, ReturnValues: 'ALL_OLD' });
    assert.equal(created.Attributes, undefined);
    const fresh = await update({ Key: { id: { S: 'rv2' } }, UpdateExpression: 'SET c = :c', ExpressionAttributeValues: { ':c': { S: 'new' } }, ReturnValues: 'UPDATED_OLD' });
    assert.equal(fresh.Attributes, undefined);
    const allNew = await update({ Key: { id: { S: 'rv3' } }, UpdateExpression: 'SET c = :c', ExpressionAttributeValues: { ':c': { S: 'new' } }, ReturnValues: 'ALL_NEW' });
    assert.deepEqual(allNew.Attributes, { id: { S: 'rv3' }, c: { S: 'new' } });
  });

  it('conditions, and ReturnValuesOnConditionCheckFailure', async () => {
    await suite.ddb.send(new PutItemCommand({ TableName: T, Item: { id: { S: 'c' }, v: { N: '1' } } }));
    const err = (await awsError(
      update({
        Key: { id: { S: 'c' } },
        UpdateExpression: 'SET v = :two',
        ConditionExpression: 'v = :two',
        ExpressionAttributeValues: { ':two': { N: '2' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    )) as unknown as { name: string; message: string; Item?: unknown };
    assert.equal(err.name, 'ConditionalCheckFailedException');
    assert.equal(err.message, 'The conditional request failed');
    assert.deepEqual(err.Item, { id: { S: 'c' }, v: { N: '1' } });
    assert.deepEqual(await get('c'), { id: { S: 'c' }, v: { N: '1' } });
  });

  it('refuses key updates and mixed parameters', async () => {
    await rejects(
      update({ Key: { id: { S: 'k' } }, UpdateExpression: 'SET id = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }),
      'ValidationException',
      `${INVALID}Cannot update attribute id. This attribute is part of the key`,
    );
    await rejects(update({ Key: { id: { S: 'k' } }, AttributeUpdates: { id: { Value: { S: 'x' } } } }), 'ValidationException', `${INVALID}Cannot update attribute id. This attribute is part of the key`);
    await rejects(
      update({ Key: { id: { S: 'k' } }, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: 'x' } }, AttributeUpdates: { b: { Value: { S: 'x' } } } }),
      'ValidationException',
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}',
    );
    await rejects(
      update({ Key: { id: { S: 'k' } }, UpdateExpression: 'SET a = :v' }),
      'ValidationException',
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v',
    );
  });

  it('UpdateItem value errors use the envelope; the update size limit has its own wording', async () => {
    await rejects(
      update({ Key: { id: { S: 'sz' } }, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { SS: [] } } }),
      'ValidationException',
      `1 validation error detected: ${INVALID}An string set  may not be empty`,
    );
    await rejects(
      update({ Key: { id: { S: 'sz' } }, UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: 'x'.repeat(409_600) } } }),
      'ValidationException',
      'Item size to update has exceeded the maximum allowed size',
    );
    assert.equal(await get('sz'), undefined);
  });

  it('legacy AttributeUpdates PUT / ADD / DELETE with Expected', async () => {
    await update({ Key: { id: { S: 'lg' } }, AttributeUpdates: { n: { Action: 'ADD', Value: { N: '5' } }, s: { Action: 'PUT', Value: { S: 'a' } }, ns: { Action: 'ADD', Value: { NS: ['1', '2'] } } } });
    assert.deepEqual(await get('lg'), { id: { S: 'lg' }, n: { N: '5' }, s: { S: 'a' }, ns: { NS: ['1', '2'] } });
    const r = await update({
      Key: { id: { S: 'lg' } },
      AttributeUpdates: { n: { Action: 'ADD', Value: { N: '-2' } }, s: { Action: 'DELETE' }, ns: { Action: 'DELETE', Value: { NS: ['1'] } } },
      Expected: { n: { Value: { N: '5' } } },
      ReturnValues: 'UPDATED_NEW',
    });
    assert.deepEqual(r.Attributes, { n: { N: '3' }, ns: { NS: ['2'] } });
    await rejects(
      update({ Key: { id: { S: 'lg' } }, AttributeUpdates: { s: { Action: 'ADD', Value: { S: 'x' } } } }),
      'ValidationException',
      `${INVALID}ADD action is not supported for the type S`,
    );
    await rejects(
      update({ Key: { id: { S: 'lg' } }, AttributeUpdates: { n: { Action: 'PUT', Value: { N: '1' } } }, Expected: { n: { Value: { N: '5' } } } }),
      'ConditionalCheckFailedException',
      'The conditional request failed',
    );
  });

  it('consumed capacity: writes by KB of the larger item, reads by 4 KB halved when eventual', async () => {
    const big = 'x'.repeat(3000);
    const p = await suite.ddb.send(new PutItemCommand({ TableName: T, Item: { id: { S: 'cap' }, d: { S: big } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(p.ConsumedCapacity, { TableName: T, CapacityUnits: 3 });
    const u = await update({ Key: { id: { S: 'cap' } }, UpdateExpression: 'REMOVE d', ReturnConsumedCapacity: 'INDEXES' });
    assert.deepEqual(u.ConsumedCapacity, { TableName: T, CapacityUnits: 3, Table: { CapacityUnits: 3 } });
    const g = await suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: 'cap' } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(g.ConsumedCapacity, { TableName: T, CapacityUnits: 0.5 });
    const gs = await suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: 'cap' } }, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(gs.ConsumedCapacity, { TableName: T, CapacityUnits: 1, Table: { CapacityUnits: 1 } });
    const d = await suite.ddb.send(new DeleteItemCommand({ TableName: T, Key: { id: { S: 'cap' } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(d.ConsumedCapacity, { TableName: T, CapacityUnits: 1 });
    const n = await suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: 'cap' } }, ReturnConsumedCapacity: 'NONE' }));
    assert.equal(n.ConsumedCapacity, undefined);
  });

  it('read capacity counts the whole stored item, with or without a projection', async () => {
    // About 9 KB: three 4 KB units, whichever attributes are returned.
    await suite.ddb.send(new PutItemCommand({ TableName: T, Item: { id: { S: 'cap9' }, d: { S: 'y'.repeat(9000) }, s: { S: 'small' } } }));
    const read = (extra: Record<string, unknown>) =>
      suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: 'cap9' } }, ReturnConsumedCapacity: 'TOTAL', ...extra }));
    assert.deepEqual((await read({})).ConsumedCapacity, { TableName: T, CapacityUnits: 1.5 });
    assert.deepEqual((await read({ ConsistentRead: true })).ConsumedCapacity, { TableName: T, CapacityUnits: 3 });
    assert.deepEqual((await read({ ProjectionExpression: 's' })).ConsumedCapacity, { TableName: T, CapacityUnits: 1.5 });
    assert.deepEqual((await read({ AttributesToGet: ['s'], ConsistentRead: true })).ConsumedCapacity, { TableName: T, CapacityUnits: 3 });
    const missing = await suite.ddb.send(new GetItemCommand({ TableName: T, Key: { id: { S: 'none' } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(missing.ConsumedCapacity, { TableName: T, CapacityUnits: 0.5 });
  });

  it('INDEXES lists the indexes written; ItemCollectionMetrics for tables with local indexes', async () => {
    const p = await suite.ddb.send(
      new PutItemCommand({
        TableName: 'indexed',
        Item: { pk: { S: 'h' }, sk: { S: 'r' }, lsk: { N: '1' }, gpk: { S: 'g' } },
        ReturnConsumedCapacity: 'INDEXES',
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    assert.deepEqual(p.ConsumedCapacity, {
      TableName: 'indexed',
      CapacityUnits: 3,
      Table: { CapacityUnits: 1 },
      LocalSecondaryIndexes: { bylsk: { CapacityUnits: 1 } },
      GlobalSecondaryIndexes: { bygpk: { CapacityUnits: 1 } },
    });
    assert.deepEqual(p.ItemCollectionMetrics, { ItemCollectionKey: { pk: { S: 'h' } }, SizeEstimateRangeGB: [0, 1] });
    const t = await suite.ddb.send(new PutItemCommand({ TableName: 'indexed', Item: { pk: { S: 'h' }, sk: { S: 'r2' } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(t.ConsumedCapacity, { TableName: 'indexed', CapacityUnits: 1 });
    const plain = await suite.ddb.send(new PutItemCommand({ TableName: T, Item: { id: { S: 'm' } }, ReturnItemCollectionMetrics: 'SIZE' }));
    assert.equal(plain.ItemCollectionMetrics, undefined);
  });

  it('index key attributes are type-checked', async () => {
    await rejects(
      suite.ddb.send(new PutItemCommand({ TableName: 'indexed', Item: { pk: { S: 'h' }, sk: { S: 'r' }, gpk: { N: '1' } } })),
      'ValidationException',
      `${INVALID}Type mismatch for Index Key gpk Expected: S Actual: N IndexName: bygpk`,
    );
    await rejects(
      update({ Key: { pk: { S: 'h' }, sk: { S: 'r' } }, UpdateExpression: 'SET lsk = :s', ExpressionAttributeValues: { ':s': { S: 'x' } } }, 'indexed'),
      'ValidationException',
      `${INVALID}Type mismatch for Index Key lsk Expected: N Actual: S IndexName: bylsk`,
    );
  });
});
