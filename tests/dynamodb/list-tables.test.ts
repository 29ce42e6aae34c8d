import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, ListTablesCommand, paginateListTables } from '@aws-sdk/client-dynamodb';
import { startBasalt, type BasaltProcess } from '../helpers/basalt';

const NAMES = ['delta', 'Alpha', 'charlie', 'bravo', 'echo.1', 'echo_2'];

describe('ListTables', () => {
  let basalt: BasaltProcess;
  let ddb: DynamoDBClient;

  before(async () => {
    basalt = await startBasalt(['--in-memory']);
    ddb = basalt.dynamodb();
    for (const name of [...NAMES, 'gone']) {
      await ddb.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    }
    await ddb.send(new DeleteTableCommand({ TableName: 'gone' }));
  });
  after(async () => {
    ddb.destroy();
    await basalt.stop();
  });

  const sorted = [...NAMES].sort();

  it('lists every table in byte order, without deleted ones', async () => {
    const out = await ddb.send(new ListTablesCommand({}));
    assert.deepEqual(out.TableNames, sorted);
    assert.equal(out.LastEvaluatedTableName, undefined);
  });

  it('pages with Limit and ExclusiveStartTableName', async () => {
    const first = await ddb.send(new ListTablesCommand({ Limit: 4 }));
    assert.deepEqual(first.TableNames, sorted.slice(0, 4));
    assert.equal(first.LastEvaluatedTableName, sorted[3]);
    const second = await ddb.send(new ListTablesCommand({ Limit: 4, ExclusiveStartTableName: first.LastEvaluatedTableName }));
    assert.deepEqual(second.TableNames, sorted.slice(4));
    assert.equal(second.LastEvaluatedTableName, undefined);
  });

  it('starts after a name that is not a table', async () => {
    const out = await ddb.send(new ListTablesCommand({ ExclusiveStartTableName: 'ccc' }));
    assert.deepEqual(out.TableNames, sorted.filter((n) => n > 'ccc'));
  });

  it('works with the SDK paginator', async () => {
    const names: string[] = [];
    for await (const page of paginateListTables({ client: ddb, pageSize: 2 }, {})) names.push(...(page.TableNames ?? []));
    assert.deepEqual(names, sorted);
  });

  it('lists only the tables of the region asked', async () => {
    const west = basalt.dynamodb(undefined, 'us-west-2');
    assert.deepEqual((await west.send(new ListTablesCommand({}))).TableNames, []);
    west.destroy();
  });
});
