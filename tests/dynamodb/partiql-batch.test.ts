import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { awsError } from '../helpers/basalt';
import { useBasalt } from '../helpers/suite';

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: string | number): AttributeValue => ({ N: String(n) });

describe('PartiQL BatchExecuteStatement and ExecuteTransaction', () => {
  const suite = useBasalt();
  const get = async (id: string) => (await suite.ddb.send(new GetItemCommand({ TableName: 'pqb', Key: { id: S(id) } }))).Item;

  before(async () => {
    await suite.ddb.send(
      new CreateTableCommand({
        TableName: 'pqb',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await suite.ddb.send(new PutItemCommand({ TableName: 'pqb', Item: { id: S('one'), n: N(1) } }));
  });

  it('answers each batch statement on its own', async () => {
    const out = await suite.ddb.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `INSERT INTO pqb VALUE {'id': 'two', 'n': 2}` },
          { Statement: `INSERT INTO pqb VALUE {'id': ?, 'n': 1}`, Parameters: [S('one')] },
          { Statement: `UPDATE pqb SET n = n + 1 WHERE id = 'one' AND n = 5`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
          { Statement: `DELETE FROM pqb WHERE id = 'zzz'` },
        ],
      }),
    );
    assert.deepEqual(out.Responses, [
      { TableName: 'pqb' },
      { TableName: 'pqb', Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
      { TableName: 'pqb', Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: S('one'), n: N(1) } } },
      { TableName: 'pqb' },
    ]);
    const reads = await suite.ddb.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT * FROM pqb WHERE id = 'two'` },
          { Statement: `SELECT n FROM pqb WHERE id = 'missing'` },
          { Statement: `SELECT * FROM pqb WHERE n = 1` },
        ],
      }),
    );
    assert.deepEqual(reads.Responses![0], { TableName: 'pqb', Item: { id: S('two'), n: N(2) } });
    assert.deepEqual(reads.Responses![1], { TableName: 'pqb' });
    assert.deepEqual(reads.Responses![2], {
      TableName: 'pqb',
      Error: { Code: 'ValidationError', Message: 'Where clause does not contain a mandatory equality on all key attributes' },
    });
  });

  it('commits a transaction of writes together', async () => {
    await suite.ddb.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `INSERT INTO pqb VALUE {'id': 't1'}` },
          { Statement: `UPDATE pqb SET n = n + 10 WHERE id = 'one'` },
          { Statement: `EXISTS(SELECT * FROM pqb WHERE id = 'two' AND n = 2)` },
        ],
      }),
    );
    assert.deepEqual(await get('t1'), { id: S('t1') });
    assert.deepEqual((await get('one'))!.n, N(11));
  });

  it('cancels the whole transaction when one statement fails', async () => {
    const err = await awsError(
      suite.ddb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `INSERT INTO pqb VALUE {'id': 't2'}` },
            { Statement: `INSERT INTO pqb VALUE {'id': 'one'}` },
            { Statement: `UPDATE pqb SET n = 0 WHERE id = 'two' AND n = 99` },
          ],
        }),
      ),
    );
    assert.equal(err.name, 'TransactionCanceledException');
    assert.equal(err.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem, ConditionalCheckFailed]');
    assert.deepEqual((err as unknown as TransactionCanceledException).CancellationReasons, [
      { Code: 'None' },
      { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    assert.equal(await get('t2'), undefined);
  });

  it('reads in a transaction and refuses mixed or repeated items', async () => {
    const out = await suite.ddb.send(
      new ExecuteTransactionCommand({
        TransactStatements: [{ Statement: `SELECT * FROM pqb WHERE id = 'two'` }, { Statement: `SELECT * FROM pqb WHERE id = 'nope'` }],
      }),
    );
    assert.deepEqual(out.Responses, [{ Item: { id: S('two'), n: N(2) } }, {}]);
    const twice = await awsError(
      suite.ddb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [{ Statement: `UPDATE pqb SET a = 1 WHERE id = 'two'` }, { Statement: `DELETE FROM pqb WHERE id = 'two'` }],
        }),
      ),
    );
    assert.equal(twice.name, 'ValidationException');
    assert.equal(twice.message, 'Transaction request cannot include multiple operations on one item');
  });
});
