import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { rejectsWith } from '../helpers/aws-assert';
import { useBasalt } from '../helpers/suite';

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: string | number): AttributeValue => ({ N: String(n) });

describe('PartiQL ExecuteStatement', () => {
  const suite = useBasalt();
  const run = (Statement: string, Parameters?: AttributeValue[], extra: Record<string, unknown> = {}) =>
    suite.ddb.send(new ExecuteStatementCommand({ Statement, ...(Parameters && { Parameters }), ...extra }));

  before(async () => {
    await suite.ddb.send(
      new CreateTableCommand({
        TableName: 'music',
        AttributeDefinitions: [
          { AttributeName: 'artist', AttributeType: 'S' },
          { AttributeName: 'song', AttributeType: 'S' },
          { AttributeName: 'year', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'artist', KeyType: 'HASH' },
          { AttributeName: 'song', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: 'byYear', KeySchema: [{ AttributeName: 'year', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let i = 0; i < 5; i++) {
      await suite.ddb.send(
        new PutItemCommand({
          TableName: 'music',
          Item: { artist: S('a'), song: S(`s${i}`), year: N(2000 + (i % 2)), plays: N(i * 10), tags: { SS: ['x', `t${i}`] } },
        }),
      );
    }
    await suite.ddb.send(new PutItemCommand({ TableName: 'music', Item: { artist: S('b'), song: S('s0'), year: N(2001), info: { M: { genre: S('rock') } } } }));
  });

  it('selects a partition as a query, with a sort key condition', async () => {
    const out = await run(`SELECT * FROM "music" WHERE artist = 'a' AND song > 's2'`);
    assert.deepEqual(out.Items!.map((i) => i.song!.S), ['s3', 's4']);
    const between = await run(`SELECT song FROM music WHERE artist = ? AND song BETWEEN ? AND ?`, [S('a'), S('s1'), S('s3')]);
    assert.deepEqual(between.Items, [{ song: S('s1') }, { song: S('s2') }, { song: S('s3') }]);
    const desc = await run(`SELECT song FROM music WHERE artist = 'a' ORDER BY song DESC`);
    assert.deepEqual(desc.Items!.map((i) => i.song!.S), ['s4', 's3', 's2', 's1', 's0']);
  });

  it('filters on non-key attributes with functions and operators', async () => {
    const q = async (where: string) => (await run(`SELECT artist, song FROM music WHERE ${where}`)).Items!.map((i) => `${i.artist!.S}/${i.song!.S}`).sort();
    assert.deepEqual(await q('plays >= 30'), ['a/s3', 'a/s4']);
    assert.deepEqual(await q(`contains(tags, 't1')`), ['a/s1']);
    assert.deepEqual(await q(`begins_with(song, 's0')`), ['a/s0', 'b/s0']);
    assert.deepEqual(await q('plays IS MISSING'), ['b/s0']);
    assert.deepEqual(await q(`info.genre = 'rock'`), ['b/s0']);
    assert.deepEqual(await q(`attribute_type(info, 'M')`), ['b/s0']);
    assert.deepEqual(await q('size(tags) = 2 AND plays IN [0, 40]'), ['a/s0', 'a/s4']);
    assert.deepEqual(await q('NOT (plays < 30) OR artist = \'b\''), ['a/s3', 'a/s4', 'b/s0']);
    assert.deepEqual(await q('plays IS NOT MISSING AND plays <> 10 AND plays <= 20'), ['a/s0', 'a/s2']);
  });

  it('reads an index and pages with Limit and NextToken', async () => {
    const idx = await run(`SELECT song FROM "music"."byYear" WHERE "year" = 2001`);
    assert.equal(idx.Items!.length, 3);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await run('SELECT * FROM music', undefined, { Limit: 2, ...(token && { NextToken: token }) });
      assert.ok(page.Items!.length <= 2);
      for (const i of page.Items!) seen.push(`${i.artist!.S}/${i.song!.S}`);
      token = page.NextToken;
    } while (token);
    assert.equal(seen.length, 6);
    assert.equal(new Set(seen).size, 6);
  });

  it('inserts, refusing duplicates', async () => {
    await run(`INSERT INTO music VALUE {'artist': 'c', 'song': ?, 'n': 1.50, 'ok': true, 'nil': null, 'l': [1, 'x'], 's': <<'p', 'q'>>, 'm': {'k': 'v'}}`, [S('x')]);
    const got = await suite.ddb.send(new GetItemCommand({ TableName: 'music', Key: { artist: S('c'), song: S('x') } }));
    assert.deepEqual(got.Item, {
      artist: S('c'),
      song: S('x'),
      n: N('1.5'),
      ok: { BOOL: true },
      nil: { NULL: true },
      l: { L: [N(1), S('x')] },
      s: { SS: ['p', 'q'] },
      m: { M: { k: S('v') } },
    });
    await rejectsWith(run(`INSERT INTO music VALUE {'artist': 'c', 'song': 'x'}`), 'DuplicateItemException', 'Duplicate primary key exists in table');
  });

  it('updates one item, with conditions', async () => {
    await run(`INSERT INTO music VALUE {'artist': 'u', 'song': '1', 'count': 1, 'l': [1], 's': <<'a'>>, 'gone': 'x'}`);
    const out = await run(
      `UPDATE music SET "count" = "count" + 1 SET l = list_append(l, [2]) SET s = set_add(s, <<'b'>>) REMOVE gone WHERE artist = 'u' AND song = '1' RETURNING ALL NEW *`,
    );
    assert.deepEqual(out.Items, [{ artist: S('u'), song: S('1'), count: N(2), l: { L: [N(1), N(2)] }, s: { SS: ['a', 'b'] } }]);
    await run(`UPDATE music SET s = set_delete(s, <<'a'>>) WHERE artist = 'u' AND song = '1' AND "count" = 2`);
    const got = await suite.ddb.send(new GetItemCommand({ TableName: 'music', Key: { artist: S('u'), song: S('1') } }));
    assert.deepEqual(got.Item!.s, { SS: ['b'] });
    await rejectsWith(run(`UPDATE music SET x = 1 WHERE artist = 'u' AND song = '1' AND "count" = 5`), 'ConditionalCheckFailedException', 'The conditional request failed');
    await rejectsWith(run(`UPDATE music SET x = 1 WHERE artist = 'u' AND song = 'none'`), 'ConditionalCheckFailedException', 'The conditional request failed');
    await rejectsWith(
      run(`UPDATE music SET x = 1 WHERE artist = 'u'`),
      'ValidationException',
      'Where clause does not contain a mandatory equality on all key attributes',
    );
  });

  it('deletes by full key', async () => {
    await run(`INSERT INTO music VALUE {'artist': 'd', 'song': '1', 'v': 1}`);
    await rejectsWith(run(`DELETE FROM music WHERE artist = 'd' AND song = '1' AND v = 2`), 'ConditionalCheckFailedException', 'The conditional request failed');
    const out = await run(`DELETE FROM music WHERE artist = 'd' AND song = '1' RETURNING ALL OLD *`);
    assert.deepEqual(out.Items, [{ artist: S('d'), song: S('1'), v: N(1) }]);
    assert.deepEqual((await run(`SELECT * FROM music WHERE artist = 'd'`)).Items, []);
    await run(`DELETE FROM music WHERE artist = 'd' AND song = '1'`);
  });

  it('answers malformed statements with DynamoDB messages', async () => {
    await rejectsWith(run('SELEC * FROM music'), 'ValidationException', "Statement wasn't well formed, can't be processed: Expected data manipulation");
    await rejectsWith(run('SELECT * FROM music WHERE'), 'ValidationException', "Statement wasn't well formed, can't be processed: Unexpected end of statement");
    await rejectsWith(run('SELECT * FROM music WHERE artist = ?'), 'ValidationException', "Number of parameters in request and statement don't match.");
    await rejectsWith(run('SELECT * FROM nope'), 'ResourceNotFoundException', 'Requested resource not found');
    await rejectsWith(run('SELECT * FROM "nope"."byYear"'), 'ResourceNotFoundException', 'Requested resource not found');
    // Unlike Query and Scan, without the index's name.
    await rejectsWith(run('SELECT * FROM "music"."nope"'), 'ValidationException', 'The table does not have the specified index');
  });

  it('returns ConsumedCapacity as the item operations compute it', async () => {
    const select = await run(`SELECT * FROM music WHERE artist = 'a'`, undefined, { ReturnConsumedCapacity: 'TOTAL' });
    assert.deepEqual(select.ConsumedCapacity, { TableName: 'music', CapacityUnits: 0.5 });
    const consistent = await run(`SELECT * FROM music WHERE artist = 'a'`, undefined, { ReturnConsumedCapacity: 'INDEXES', ConsistentRead: true });
    assert.deepEqual(consistent.ConsumedCapacity, { TableName: 'music', CapacityUnits: 1, Table: { CapacityUnits: 1 } });
    const insert = await run(`INSERT INTO music VALUE {'artist': 'cap', 'song': '1', 'year': 1999}`, undefined, { ReturnConsumedCapacity: 'INDEXES' });
    assert.deepEqual(insert.ConsumedCapacity, { TableName: 'music', CapacityUnits: 2, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { byYear: { CapacityUnits: 1 } } });
    const update = await run(`UPDATE music SET x = 1 WHERE artist = 'cap' AND song = '1'`, undefined, { ReturnConsumedCapacity: 'TOTAL' });
    assert.deepEqual(update.ConsumedCapacity, { TableName: 'music', CapacityUnits: 2 });
    const none = await run(`DELETE FROM music WHERE artist = 'cap' AND song = '1'`);
    assert.equal(none.ConsumedCapacity, undefined);
  });

  it('refuses COUNT(*) and other functions in the select list', async () => {
    await rejectsWith(run('SELECT COUNT(*) FROM music'), 'ValidationException', 'Unsupported operation: Function COUNT is not supported in a select list');
  });
});
