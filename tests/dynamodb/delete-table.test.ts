import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { awsError } from '../helpers/basalt';
import { useBasalt } from '../helpers/suite';
import { HASH, S, tableInput } from '../helpers/tables';

describe('DeleteTable', () => {
  const server = useBasalt();

  const create = (name: string, extra: object = {}) =>
    server.ddb.send(
      new CreateTableCommand(
        tableInput(name, {
          AttributeDefinitions: [S('p'), S('g')],
          GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [HASH('g')], Projection: { ProjectionType: 'KEYS_ONLY' } }],
          ...extra,
        }),
      ),
    );

  it('says which table is missing', async () => {
    const err = await awsError(server.ddb.send(new DeleteTableCommand({ TableName: 'missing' })));
    assert.equal(err.name, 'ResourceNotFoundException');
    assert.equal(err.message, 'Requested resource not found: Table: missing not found');
  });

  it("answers DELETING with DynamoDB's short description, then the table is gone", async () => {
    const created = (await create('doomed')).TableDescription!;
    const { TableDescription: desc } = await server.ddb.send(new DeleteTableCommand({ TableName: 'doomed' }));
    assert.equal(desc!.TableStatus, 'DELETING');
    assert.equal(desc!.TableName, 'doomed');
    assert.equal(desc!.TableId, created.TableId);
    assert.equal(desc!.TableArn, created.TableArn);
    assert.equal(desc!.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(desc!.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
    for (const absent of ['CreationDateTime', 'KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes'] as const) {
      assert.equal(desc![absent], undefined, absent);
    }
    const err = await awsError(server.ddb.send(new DescribeTableCommand({ TableName: 'doomed' })));
    assert.equal(err.name, 'ResourceNotFoundException');
    const again = await create('doomed');
    assert.notEqual(again.TableDescription!.TableId, created.TableId);
  });

  it('is refused while deletion protection is on', async () => {
    await create('protected', { DeletionProtectionEnabled: true });
    const err = await awsError(server.ddb.send(new DeleteTableCommand({ TableName: 'protected' })));
    assert.equal(err.name, 'ValidationException');
    assert.equal(err.message, 'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
    await server.ddb.send(new UpdateTableCommand({ TableName: 'protected', DeletionProtectionEnabled: false }));
    await server.ddb.send(new DeleteTableCommand({ TableName: 'protected' }));
  });
});
