import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { awsError } from '../helpers/basalt';
import { useBasalt } from '../helpers/suite';
import { HASH, N, provisioned, tableInput } from '../helpers/tables';

describe('DescribeTable', () => {
  const server = useBasalt();

  before(async () => {
    await server.ddb.send(new CreateTableCommand(tableInput('described', { AttributeDefinitions: [N('id')], KeySchema: [HASH('id')], ...provisioned(3, 4) })));
  });

  it('says which table is missing', async () => {
    const err = await awsError(server.ddb.send(new DescribeTableCommand({ TableName: 'missing' })));
    assert.equal(err.name, 'ResourceNotFoundException');
    assert.equal(err.message, 'Requested resource not found: Table: missing not found');
  });

  it('describes the table as ACTIVE once created (no transition delay)', async () => {
    const { Table: table } = await server.ddb.send(new DescribeTableCommand({ TableName: 'described' }));
    assert.equal(table!.TableStatus, 'ACTIVE');
    assert.deepEqual(table!.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    assert.deepEqual(table!.AttributeDefinitions, [{ AttributeName: 'id', AttributeType: 'N' }]);
    assert.deepEqual(table!.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 3, WriteCapacityUnits: 4 });
    assert.equal(table!.ItemCount, 0);
    assert.equal(table!.TableSizeBytes, 0);
    assert.equal(table!.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/described');
    assert.equal(table!.DeletionProtectionEnabled, false);
    assert.deepEqual(table!.WarmThroughput, { ReadUnitsPerSecond: 3, WriteUnitsPerSecond: 4, Status: 'ACTIVE' });
    for (const absent of ['BillingModeSummary', 'StreamSpecification', 'SSEDescription', 'TableClassSummary', 'LocalSecondaryIndexes', 'GlobalSecondaryIndexes'] as const) {
      assert.equal(table![absent], undefined, absent);
    }
  });

  it('accepts the table ARN, and answers other regions and accounts as DynamoDB does', async () => {
    const { Table: table } = await server.ddb.send(new DescribeTableCommand({ TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/described' }));
    assert.equal(table!.TableName, 'described');

    const otherRegion = 'arn:aws:dynamodb:eu-west-1:000000000000:table/described';
    const err = await awsError(server.ddb.send(new DescribeTableCommand({ TableName: otherRegion })));
    assert.equal(err.name, 'ValidationException');
    assert.equal(err.message, `1 validation error detected: Invalid AWS region in '${otherRegion}'`);

    const otherAccount = await awsError(server.ddb.send(new DescribeTableCommand({ TableName: 'arn:aws:dynamodb:us-east-1:111111111111:table/described' })));
    assert.equal(otherAccount.name, 'ResourceNotFoundException');
    assert.equal(otherAccount.message, 'Requested resource not found: Table: described not found');
  });

  it('keeps each region apart', async () => {
    const west = server.basalt.dynamodb(undefined, 'us-west-2');
    const err = await awsError(west.send(new DescribeTableCommand({ TableName: 'described' })));
    assert.equal(err.name, 'ResourceNotFoundException');
    west.destroy();
  });
});
