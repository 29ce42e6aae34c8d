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
import { rejectsWith } from '../helpers/aws-assert';
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

  it('refuses batches mixing reads and writes, and more statements than the model allows', async () => {
    await rejectsWith(
      suite.ddb.send(
        new BatchExecuteStatementCommand({
          Statements: [{ Statement: `SELECT * FROM pqb WHERE id = 'one'` }, { Statement: `INSERT INTO pqb VALUE {'id': 'mixed'}` }],
        }),
      ),
      'ValidationException',
      'Unsupported operation: Batch operations with mixed read and write are not supported',
    );
    assert.equal(await get('mixed'), undefined);
    const batch = await awsError(
      suite.ddb.send(new BatchExecuteStatementCommand({ Statements: Array.from({ length: 26 }, (_, i) => ({ Statement: `SELECT * FROM pqb WHERE id = '${i}'` })) })),
    );
    assert.equal(batch.name, 'ValidationException');
    assert.match(batch.message, /at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25/);
    const tx = await awsError(
      suite.ddb.send(new ExecuteTransactionCommand({ TransactStatements: Array.from({ length: 101 }, (_, i) => ({ Statement: `SELECT * FROM pqb WHERE id = '${i}'` })) })),
    );
    assert.equal(tx.name, 'ValidationException');
    assert.match(tx.message, /at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to 100/);
  });

  it('returns ConsumedCapacity for batches and transactions', async () => {
    const writes = await suite.ddb.send(
      new BatchExecuteStatementCommand({
        Statements: [{ Statement: `INSERT INTO pqb VALUE {'id': 'c1'}` }, { Statement: `UPDATE pqb SET v = 1 WHERE id = 'c1'` }, { Statement: `INSERT INTO pqb VALUE {'id': 'c1'}` }],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    assert.deepEqual(writes.ConsumedCapacity, [{ TableName: 'pqb', CapacityUnits: 2 }]);
    const reads = await suite.ddb.send(
      new BatchExecuteStatementCommand({
        Statements: [{ Statement: `SELECT * FROM pqb WHERE id = 'c1'` }, { Statement: `SELECT * FROM pqb WHERE id = 'c1'`, ConsistentRead: true }],
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    assert.deepEqual(reads.ConsumedCapacity, [{ TableName: 'pqb', CapacityUnits: 1.5, Table: { CapacityUnits: 1.5 } }]);
    const tx = await suite.ddb.send(
      new ExecuteTransactionCommand({
        TransactStatements: [{ Statement: `INSERT INTO pqb VALUE {'id': 'c2'}` }, { Statement: `EXISTS(SELECT * FROM pqb WHERE id = 'c1')` }],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    assert.deepEqual(tx.Responses, []);
    assert.deepEqual(tx.ConsumedCapacity, [{ TableName: 'pqb', CapacityUnits: 4 }]);
    const read = await suite.ddb.send(
      new ExecuteTransactionCommand({
        TransactStatements: [{ Statement: `SELECT * FROM pqb WHERE id = 'c1'` }, { Statement: `SELECT * FROM pqb WHERE id = 'c2'` }],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    assert.deepEqual(read.ConsumedCapacity, [{ TableName: 'pqb', CapacityUnits: 4 }]);
  });

  it('makes a transaction retried with its ClientRequestToken idempotent', async () => {
    const request = {
      TransactStatements: [{ Statement: `UPDATE pqb SET n = n + 1 WHERE id = ?`, Parameters: [S('two')] }],
      ClientRequestToken: 'pqb-token-1',
    };
    const before = (await get('two'))!.n!.N;
    await suite.ddb.send(new ExecuteTransactionCommand(request));
    await suite.ddb.send(new ExecuteTransactionCommand(request));
    assert.equal((await get('two'))!.n!.N, String(Number(before) + 1));
    await rejectsWith(
      suite.ddb.send(new ExecuteTransactionCommand({ ...request, TransactStatements: [{ Statement: `UPDATE pqb SET n = n + 2 WHERE id = 'two'` }] })),
      'IdempotentParameterMismatchException',
      'The request uses the same client token as a previous, but non-identical request.',
    );
    // A cancelled transaction records nothing: its retry runs again.
    const failing = { TransactStatements: [{ Statement: `INSERT INTO pqb VALUE {'id': 'two'}` }], ClientRequestToken: 'pqb-token-2' };
    for (let i = 0; i < 2; i++) assert.equal((await awsError(suite.ddb.send(new ExecuteTransactionCommand(failing)))).name, 'TransactionCanceledException');
  });

  it('cancels a transaction with the stored item for ALL_OLD and a failed EXISTS', async () => {
    const err = await awsError(
      suite.ddb.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `DELETE FROM pqb WHERE id = 'c1' AND v = 9`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
            { Statement: `EXISTS(SELECT * FROM pqb WHERE id = 'nobody')` },
          ],
        }),
      ),
    );
    assert.deepEqual((err as unknown as TransactionCanceledException).CancellationReasons, [
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: S('c1'), v: N(1) } },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    assert.deepEqual(await get('c1'), { id: S('c1'), v: N(1) });
  });
});
