import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  QueryCommand,
  TagResourceCommand,
  UpdateTableCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { rejectsWith } from '../helpers/aws-assert';
import { useBasalt } from '../helpers/suite';
import { provisioned, tableInput } from '../helpers/tables';

const DELAY_MS = 300;
const IN_USE = 'Attempt to change a resource which is still in use';

describe('table status transitions, SDK waiters and the AWS CLI', () => {
  const server = useBasalt({ args: ['--in-memory', '--transition-delay', String(DELAY_MS)] });

  const waiter = () => ({ client: server.ddb, maxWaitTime: 10, minDelay: 0.1, maxDelay: 0.2 });
  const status = async (name: string) => (await server.ddb.send(new DescribeTableCommand({ TableName: name }))).Table!;

  it('goes CREATING, ACTIVE, UPDATING, ACTIVE, DELETING, gone', async () => {
    const created = await server.ddb.send(new CreateTableCommand(tableInput('lifecycle', provisioned(1, 1))));
    assert.equal(created.TableDescription!.TableStatus, 'CREATING');
    assert.equal((await status('lifecycle')).TableStatus, 'CREATING');
    await rejectsWith(
      server.ddb.send(new UpdateTableCommand({ TableName: 'lifecycle', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } })),
      'ResourceInUseException',
      `${IN_USE}: Table is being created: lifecycle`,
    );
    await rejectsWith(server.ddb.send(new DeleteTableCommand({ TableName: 'lifecycle' })), 'ResourceInUseException', `${IN_USE}: Table is being created: lifecycle`);
    await rejectsWith(
      server.ddb.send(new TagResourceCommand({ ResourceArn: created.TableDescription!.TableArn, Tags: [{ Key: 'k', Value: 'v' }] })),
      'ResourceInUseException',
      `${IN_USE}: Table is being created: lifecycle`,
    );

    assert.equal((await waitUntilTableExists(waiter(), { TableName: 'lifecycle' })).state, 'SUCCESS');
    assert.equal((await status('lifecycle')).TableStatus, 'ACTIVE');

    const updated = await server.ddb.send(new UpdateTableCommand({ TableName: 'lifecycle', ProvisionedThroughput: { ReadCapacityUnits: 4, WriteCapacityUnits: 4 } }));
    assert.equal(updated.TableDescription!.TableStatus, 'UPDATING');
    await rejectsWith(server.ddb.send(new DeleteTableCommand({ TableName: 'lifecycle' })), 'ResourceInUseException', `${IN_USE}: Table is being updated: lifecycle`);
    await waitUntilTableExists(waiter(), { TableName: 'lifecycle' });
    assert.equal((await status('lifecycle')).ProvisionedThroughput!.ReadCapacityUnits, 4);

    const deleted = await server.ddb.send(new DeleteTableCommand({ TableName: 'lifecycle' }));
    assert.equal(deleted.TableDescription!.TableStatus, 'DELETING');
    assert.equal((await status('lifecycle')).TableStatus, 'DELETING');
    assert.ok((await server.ddb.send(new ListTablesCommand({}))).TableNames!.includes('lifecycle'));
    await rejectsWith(server.ddb.send(new DeleteTableCommand({ TableName: 'lifecycle' })), 'ResourceInUseException', `${IN_USE}: Table is being deleted: lifecycle`);
    assert.equal((await waitUntilTableNotExists(waiter(), { TableName: 'lifecycle' })).state, 'SUCCESS');
    assert.ok(!(await server.ddb.send(new ListTablesCommand({}))).TableNames!.includes('lifecycle'));
  });

  it('builds a new global index in two phases, and holds DeleteTable back meanwhile', async () => {
    await server.ddb.send(new CreateTableCommand(tableInput('backfill')));
    await waitUntilTableExists(waiter(), { TableName: 'backfill' });
    const started = Date.now();
    await server.ddb.send(
      new UpdateTableCommand({
        TableName: 'backfill',
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
      }),
    );
    const allocating = await status('backfill');
    if (Date.now() - started < DELAY_MS) {
      assert.equal(allocating.TableStatus, 'UPDATING');
      assert.equal(allocating.GlobalSecondaryIndexes![0]!.Backfilling, false);
    }
    await waitUntilTableExists(waiter(), { TableName: 'backfill' });
    const backfilling = await status('backfill');
    if (Date.now() - started < 2 * DELAY_MS) {
      assert.equal(backfilling.GlobalSecondaryIndexes![0]!.IndexStatus, 'CREATING');
      assert.equal(backfilling.GlobalSecondaryIndexes![0]!.Backfilling, true);
      await rejectsWith(
        server.ddb.send(new DeleteTableCommand({ TableName: 'backfill' })),
        'ResourceInUseException',
        `${IN_USE}: Cannot delete table while indexes are being created, updated, or deleted.`,
      );
      await rejectsWith(
        server.ddb.send(new QueryCommand({ TableName: 'backfill', IndexName: 'by-g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } })),
        'ValidationException',
        'Cannot read from backfilling global secondary index: by-g',
      );
    }
    await sleep(2 * DELAY_MS);
    assert.equal((await status('backfill')).GlobalSecondaryIndexes![0]!.IndexStatus, 'ACTIVE');
  });

  it('works with the AWS CLI, its waiters included', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' };
    const aws = async (...args: string[]) => {
      const { stdout } = await run('aws', ['dynamodb', ...args, '--endpoint-url', server.basalt.endpoint, '--output', 'json'], { env });
      return stdout.trim() ? JSON.parse(stdout) : undefined;
    };
    const created = await aws(
      'create-table', '--table-name', 'cli-table',
      '--attribute-definitions', 'AttributeName=id,AttributeType=S',
      '--key-schema', 'AttributeName=id,KeyType=HASH',
      '--billing-mode', 'PAY_PER_REQUEST',
    );
    assert.equal(created.TableDescription.TableStatus, 'CREATING');
    // The CLI polls every 20 s; once the table has settled its first poll succeeds.
    await sleep(DELAY_MS * 2);
    await aws('wait', 'table-exists', '--table-name', 'cli-table');
    const updated = await aws('update-table', '--table-name', 'cli-table', '--deletion-protection-enabled');
    assert.equal(updated.TableDescription.DeletionProtectionEnabled, true);
    await sleep(DELAY_MS * 2);
    await assert.rejects(aws('delete-table', '--table-name', 'cli-table'), /currently protected against deletion/);
    await aws('update-table', '--table-name', 'cli-table', '--no-deletion-protection-enabled');
    await sleep(DELAY_MS * 2);
    const deleted = await aws('delete-table', '--table-name', 'cli-table');
    assert.equal(deleted.TableDescription.TableStatus, 'DELETING');
    await sleep(DELAY_MS * 2);
    await aws('wait', 'table-not-exists', '--table-name', 'cli-table');
    const listed = await aws('list-tables');
    assert.ok(!listed.TableNames.includes('cli-table'));
  });
});
