import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { startBasalt, type BasaltProcess } from '../helpers/basalt';

const ACCOUNTS = 10;
const CLIENTS = 8;
const TRANSFERS = 50;
const START = 100;

type Canceled = { name: string; CancellationReasons?: { Code?: string }[] };

/** A small deterministic PRNG per client, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

describe('transactions under concurrency', () => {
  let basalt: BasaltProcess;
  let clients: DynamoDBClient[];
  const BANK = 'bank';
  const T = 'tcounters';

  before(async () => {
    basalt = await startBasalt(['--in-memory']);
    clients = Array.from({ length: CLIENTS }, () => basalt.dynamodb());
    for (const name of [BANK, T]) {
      await clients[0]!.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    }
    for (let i = 0; i < ACCOUNTS; i++) {
      await clients[0]!.send(new PutItemCommand({ TableName: BANK, Item: { id: { S: `acct${i}` }, balance: { N: String(START) } } }));
    }
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await basalt.stop();
  });

  const snapshot = async (client: DynamoDBClient): Promise<number[]> => {
    const got = await client.send(
      new TransactGetItemsCommand({ TransactItems: Array.from({ length: ACCOUNTS }, (_, i) => ({ Get: { TableName: BANK, Key: { id: { S: `acct${i}` } } } })) }),
    );
    return got.Responses!.map((r) => Number(r.Item!.balance!.N));
  };

  it(`${CLIENTS} clients x ${TRANSFERS} random transfers keep the total, seen consistently while they run`, async () => {
    let committed = 0;
    let refused = 0;
    let running = true;
    let snapshots = 0;
    const reader = (async () => {
      const client = basalt.dynamodb();
      try {
        while (running) {
          const balances = await snapshot(client);
          snapshots++;
          assert.equal(balances.reduce((a, b) => a + b, 0), ACCOUNTS * START, `a snapshot saw a half-applied transfer: ${balances.join(',')}`);
          assert.ok(balances.every((b) => b >= 0));
        }
      } finally {
        client.destroy();
      }
    })();
    await Promise.all(
      clients.map(async (client, c) => {
        const random = rng(c + 1);
        for (let t = 0; t < TRANSFERS; t++) {
          const from = Math.floor(random() * ACCOUNTS);
          const to = (from + 1 + Math.floor(random() * (ACCOUNTS - 1))) % ACCOUNTS;
          const amount = String(1 + Math.floor(random() * 40));
          try {
            await client.send(
              new TransactWriteItemsCommand({
                TransactItems: [
                  {
                    Update: {
                      TableName: BANK,
                      Key: { id: { S: `acct${from}` } },
                      UpdateExpression: 'SET balance = balance - :a',
                      ConditionExpression: 'balance >= :a',
                      ExpressionAttributeValues: { ':a': { N: amount } },
                    },
                  },
                  {
                    Update: {
                      TableName: BANK,
                      Key: { id: { S: `acct${to}` } },
                      UpdateExpression: 'SET balance = balance + :a',
                      ConditionExpression: 'attribute_exists(balance)',
                      ExpressionAttributeValues: { ':a': { N: amount } },
                    },
                  },
                ],
              }),
            );
            committed++;
          } catch (err) {
            const e = err as Canceled;
            if (e.name !== 'TransactionCanceledException') throw err;
            assert.deepEqual(
              e.CancellationReasons?.map((r) => r.Code),
              ['ConditionalCheckFailed', 'None'],
            );
            refused++;
          }
        }
      }),
    );
    running = false;
    await reader;
    assert.equal(committed + refused, CLIENTS * TRANSFERS);
    assert.ok(committed > 0);
    assert.ok(snapshots > 0);
    const balances = await snapshot(clients[0]!);
    assert.equal(balances.reduce((a, b) => a + b, 0), ACCOUNTS * START);
    const scanned = await clients[0]!.send(new ScanCommand({ TableName: BANK, ConsistentRead: true }));
    assert.equal(scanned.Count, ACCOUNTS);
    assert.equal(
      scanned.Items!.reduce((a, item) => a + Number(item.balance!.N), 0),
      ACCOUNTS * START,
    );
  });

  it('transactions and single-item writes to the same items lose no update', async () => {
    const ROUNDS = 25;
    let acknowledged = 0;
    await Promise.all(
      clients.map(async (client, c) => {
        for (let i = 0; i < ROUNDS; i++) {
          if ((c + i) % 2 === 0) {
            await client.send(
              new TransactWriteItemsCommand({
                TransactItems: [
                  { Update: { TableName: T, Key: { id: { S: 'shared' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
                  { Update: { TableName: T, Key: { id: { S: `own${c}` } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
                ],
              }),
            );
          } else {
            await client.send(new UpdateItemCommand({ TableName: T, Key: { id: { S: 'shared' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
            await client.send(new UpdateItemCommand({ TableName: T, Key: { id: { S: `own${c}` } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
          }
          acknowledged++;
        }
      }),
    );
    const count = async (id: string) => Number((await clients[0]!.send(new GetItemCommand({ TableName: T, Key: { id: { S: id } }, ConsistentRead: true }))).Item!.n!.N);
    assert.equal(await count('shared'), acknowledged);
    for (let c = 0; c < CLIENTS; c++) assert.equal(await count(`own${c}`), ROUNDS);
  });
});
