import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, ListTablesCommand, ListTagsOfResourceCommand, paginateListTables } from '@aws-sdk/client-dynamodb';
import { startBasalt, tempDir } from '../helpers/basalt';

const ROUNDS = 5;
const WRITERS = 16;

const TAGS = [
  { Key: 'a', Value: '1' },
  { Key: 'b', Value: '2' },
  { Key: 'c', Value: '3' },
];

test('every acknowledged write survives kill -9, and no request is half-applied', async () => {
  const dir = tempDir();
  const acknowledged: string[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const basalt = await startBasalt(['--data-dir', dir.path]);
      const client = basalt.dynamodb();
      let stopped = false;
      let next = 0;
      const writer = async () => {
        while (!stopped) {
          const name = `r${round}-t${next++}`;
          try {
            await client.send(
              new CreateTableCommand({
                TableName: name,
                AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
                KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
                BillingMode: 'PAY_PER_REQUEST',
                Tags: TAGS,
              }),
            );
            if (!stopped) acknowledged.push(name);
          } catch {
            return; // the connection died with the process: this write was never acknowledged
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, writer);
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 350));
      await basalt.kill();
      stopped = true;
      await Promise.all(writers);
      client.destroy();
    }

    const basalt = await startBasalt(['--data-dir', dir.path]);
    try {
      const client = basalt.dynamodb();
      const present = new Set<string>();
      for await (const page of paginateListTables({ client }, {})) for (const name of page.TableNames ?? []) present.add(name);
      assert.ok(acknowledged.length > ROUNDS, `only ${acknowledged.length} writes were acknowledged`);
      for (const name of acknowledged) assert.ok(present.has(name), `acknowledged table ${name} was lost`);
      for (const name of present) {
        const tags = await client.send(
          new ListTagsOfResourceCommand({ ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${name}` }),
        );
        assert.deepEqual(tags.Tags, TAGS, `table ${name} was half-written`);
      }
      assert.ok((await client.send(new ListTablesCommand({ Limit: 1 }))).TableNames?.length === 1);
    } finally {
      await basalt.stop();
    }
  } finally {
    dir.remove();
  }
});
