import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { stringKeyTable } from '../helpers/items';
import { useBasalt } from '../helpers/suite';

const CLIENTS = 20;
const UPDATES = 25;

describe('concurrent item updates', () => {
  const suite = useBasalt();
  /** The suite's client, then CLIENTS - 1 more of this suite's own. */
  let clients: DynamoDBClient[];
  const T = 'counters';

  before(async () => {
    clients = [suite.ddb, ...Array.from({ length: CLIENTS - 1 }, () => suite.basalt.dynamodb())];
    await clients[0]!.send(new CreateTableCommand(stringKeyTable(T, 'id')));
  });
  after(() => {
    for (const c of clients.slice(1)) c.destroy();
  });

  const count = async (id: string) => {
    const got = await clients[0]!.send(new GetItemCommand({ TableName: T, Key: { id: { S: id } }, ConsistentRead: true }));
    return Number(got.Item?.n && 'N' in got.Item.n ? got.Item.n.N : NaN);
  };

  it(`${CLIENTS} clients x ${UPDATES} conditional increments lose no update`, async () => {
    await clients[0]!.send(new PutItemCommand({ TableName: T, Item: { id: { S: 'cond' }, n: { N: '0' } } }));
    let acknowledged = 0;
    let conflicts = 0;
    await Promise.all(
      clients.map(async (client) => {
        let expected = 0;
        for (let done = 0; done < UPDATES; ) {
          try {
            await client.send(
              new UpdateItemCommand({
                TableName: T,
                Key: { id: { S: 'cond' } },
                UpdateExpression: 'SET n = n + :one',
                ConditionExpression: 'n = :expected',
                ExpressionAttributeValues: { ':one': { N: '1' }, ':expected': { N: String(expected) } },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              }),
            );
            expected++;
            done++;
            acknowledged++;
          } catch (err) {
            const e = err as { name: string; Item?: { n?: { N?: string } } };
            if (e.name !== 'ConditionalCheckFailedException') throw err;
            conflicts++;
            expected = Number(e.Item?.n?.N);
          }
        }
      }),
    );
    assert.equal(acknowledged, CLIENTS * UPDATES);
    assert.equal(await count('cond'), acknowledged);
    assert.ok(conflicts >= 0);
  });

  it(`${CLIENTS} clients x ${UPDATES} unconditional ADDs lose no update`, async () => {
    let acknowledged = 0;
    await Promise.all(
      clients.map(async (client) => {
        for (let i = 0; i < UPDATES; i++) {
          await client.send(new UpdateItemCommand({ TableName: T, Key: { id: { S: 'add' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
          acknowledged++;
        }
      }),
    );
    assert.equal(await count('add'), acknowledged);
    assert.equal(acknowledged, CLIENTS * UPDATES);
  });
});
