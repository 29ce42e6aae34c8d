import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DeleteTableCommand, ListTablesCommand, paginateListTables } from '@aws-sdk/client-dynamodb';
import { useBasalt } from '../helpers/suite';
import { HASH, S, tableInput } from '../helpers/tables';

const NAMES = ['delta', 'Alpha', 'charlie', 'bravo', 'echo.1', 'echo_2'];

describe('ListTables', () => {
  const server = useBasalt();

  before(async () => {
    for (const name of [...NAMES, 'gone']) {
      await server.ddb.send(new CreateTableCommand(tableInput(name, { AttributeDefinitions: [S('k')], KeySchema: [HASH('k')] })));
    }
    await server.ddb.send(new DeleteTableCommand({ TableName: 'gone' }));
  });

  const sorted = [...NAMES].sort();

  it('lists every table in byte order, without deleted ones', async () => {
    const out = await server.ddb.send(new ListTablesCommand({}));
    assert.deepEqual(out.TableNames, sorted);
    assert.equal(out.LastEvaluatedTableName, undefined);
  });

  it('pages with Limit and ExclusiveStartTableName', async () => {
    const first = await server.ddb.send(new ListTablesCommand({ Limit: 4 }));
    assert.deepEqual(first.TableNames, sorted.slice(0, 4));
    assert.equal(first.LastEvaluatedTableName, sorted[3]);
    const second = await server.ddb.send(new ListTablesCommand({ Limit: 4, ExclusiveStartTableName: first.LastEvaluatedTableName }));
    assert.deepEqual(second.TableNames, sorted.slice(4));
    assert.equal(second.LastEvaluatedTableName, undefined);
  });

  it('starts after a name that is not a table', async () => {
    const out = await server.ddb.send(new ListTablesCommand({ ExclusiveStartTableName: 'ccc' }));
    assert.deepEqual(out.TableNames, sorted.filter((n) => n > 'ccc'));
  });

  it('works with the SDK paginator', async () => {
    const names: string[] = [];
    for await (const page of paginateListTables({ client: server.ddb, pageSize: 2 }, {})) names.push(...(page.TableNames ?? []));
    assert.deepEqual(names, sorted);
  });

  it('lists only the tables of the region asked', async () => {
    const west = server.basalt.dynamodb(undefined, 'us-west-2');
    assert.deepEqual((await west.send(new ListTablesCommand({}))).TableNames, []);
    west.destroy();
  });
});
