import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { rejectsWith as rejects } from '../helpers/aws-assert';
import { stringKeyTable } from '../helpers/items';
import { useBasalt } from '../helpers/suite';

const INVALID = 'One or more parameter values were invalid: ';

describe('PutItem / GetItem / DeleteItem basics', () => {
  const suite = useBasalt();

  before(async () => {
    await suite.ddb.send(new CreateTableCommand(stringKeyTable('Music', 'Artist', 'SongTitle')));
    await suite.ddb.send(new CreateTableCommand(stringKeyTable('hashonly', 'id')));
  });

  it("the seed's example: adds a new item to the Music table", async () => {
    const response = await suite.ddb.send(
      new PutItemCommand({
        Item: {
          AlbumTitle: { S: 'Somewhat Famous' },
          Artist: { S: 'No One You Know' },
          SongTitle: { S: 'Call Me Today' },
        },
        ReturnConsumedCapacity: 'TOTAL',
        TableName: 'Music',
      }),
    );
    assert.deepEqual(response.ConsumedCapacity, { CapacityUnits: 1, TableName: 'Music' });
    assert.equal(response.Attributes, undefined);
    const got = await suite.ddb.send(new GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'No One You Know' }, SongTitle: { S: 'Call Me Today' } } }));
    assert.deepEqual(got.Item, {
      AlbumTitle: { S: 'Somewhat Famous' },
      Artist: { S: 'No One You Know' },
      SongTitle: { S: 'Call Me Today' },
    });
  });

  it('replaces an existing item completely and returns ALL_OLD', async () => {
    await suite.ddb.send(new PutItemCommand({ TableName: 'hashonly', Item: { id: { S: 'r1' }, a: { N: '1' }, b: { S: 'x' } } }));
    const put = await suite.ddb.send(new PutItemCommand({ TableName: 'hashonly', Item: { id: { S: 'r1' }, c: { BOOL: true } }, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(put.Attributes, { id: { S: 'r1' }, a: { N: '1' }, b: { S: 'x' } });
    const got = await suite.ddb.send(new GetItemCommand({ TableName: 'hashonly', Key: { id: { S: 'r1' } }, ConsistentRead: true }));
    assert.deepEqual(got.Item, { id: { S: 'r1' }, c: { BOOL: true } });
    const none = await suite.ddb.send(new PutItemCommand({ TableName: 'hashonly', Item: { id: { S: 'r1-new' } }, ReturnValues: 'ALL_OLD' }));
    assert.equal(none.Attributes, undefined);
  });

  it('stores every attribute type, empty non-key strings and canonical numbers', async () => {
    const item = {
      id: { S: 'types' },
      s: { S: '' },
      n: { N: '0012.500' },
      b: { B: new Uint8Array([1, 2, 3]) },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.50'] },
      bs: { BS: [new Uint8Array([0]), new Uint8Array([1])] },
      m: { M: { x: { S: 'y' }, l: { L: [{ NULL: true }, { BOOL: false }] } } },
    };
    await suite.ddb.send(new PutItemCommand({ TableName: 'hashonly', Item: item }));
    const got = await suite.ddb.send(new GetItemCommand({ TableName: 'hashonly', Key: { id: { S: 'types' } } }));
    assert.deepEqual(got.Item?.n, { N: '12.5' });
    assert.deepEqual(got.Item?.ns, { NS: ['1', '2.5'] });
    assert.deepEqual(got.Item?.s, { S: '' });
    assert.deepEqual(Buffer.from(got.Item!.b!.B!), Buffer.from([1, 2, 3]));
    assert.deepEqual(got.Item?.m, item.m);
  });

  it('GetItem of a missing item has no Item', async () => {
    const got = await suite.ddb.send(new GetItemCommand({ TableName: 'hashonly', Key: { id: { S: 'nope' } } }));
    assert.equal(got.Item, undefined);
  });

  it('DeleteItem removes the item and returns ALL_OLD', async () => {
    await suite.ddb.send(new PutItemCommand({ TableName: 'hashonly', Item: { id: { S: 'd1' }, v: { N: '5' } } }));
    const deleted = await suite.ddb.send(new DeleteItemCommand({ TableName: 'hashonly', Key: { id: { S: 'd1' } }, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(deleted.Attributes, { id: { S: 'd1' }, v: { N: '5' } });
    const got = await suite.ddb.send(new GetItemCommand({ TableName: 'hashonly', Key: { id: { S: 'd1' } } }));
    assert.equal(got.Item, undefined);
    const again = await suite.ddb.send(new DeleteItemCommand({ TableName: 'hashonly', Key: { id: { S: 'd1' } }, ReturnValues: 'ALL_OLD' }));
    assert.equal(again.Attributes, undefined);
  });

  it('keeps ItemCount and TableSizeBytes up to date', async () => {
    await suite.ddb.send(new CreateTableCommand(stringKeyTable('counted', 'id')));
    await suite.ddb.send(new PutItemCommand({ TableName: 'counted', Item: { id: { S: 'a' }, x: { S: 'abc' } } })); // 2+1 + 1+3 = 7
    await suite.ddb.send(new PutItemCommand({ TableName: 'counted', Item: { id: { S: 'b' } } })); // 3
    await suite.ddb.send(new PutItemCommand({ TableName: 'counted', Item: { id: { S: 'a' } } })); // replaces: 3
    let table = (await suite.ddb.send(new DescribeTableCommand({ TableName: 'counted' }))).Table!;
    assert.equal(table.ItemCount, 2);
    assert.equal(table.TableSizeBytes, 6);
    await suite.ddb.send(new DeleteItemCommand({ TableName: 'counted', Key: { id: { S: 'a' } } }));
    table = (await suite.ddb.send(new DescribeTableCommand({ TableName: 'counted' }))).Table!;
    assert.equal(table.ItemCount, 1);
    assert.equal(table.TableSizeBytes, 3);
  });

  describe('errors', () => {
    it('a missing table is ResourceNotFoundException without the name', async () => {
      await rejects(suite.ddb.send(new PutItemCommand({ TableName: 'missing', Item: { id: { S: 'a' } } })), 'ResourceNotFoundException', 'Requested resource not found');
      await rejects(suite.ddb.send(new GetItemCommand({ TableName: 'missing', Key: { id: { S: 'a' } } })), 'ResourceNotFoundException', 'Requested resource not found');
      await rejects(suite.ddb.send(new DeleteItemCommand({ TableName: 'missing', Key: { id: { S: 'a' } } })), 'ResourceNotFoundException', 'Requested resource not found');
      await rejects(suite.ddb.send(new UpdateItemCommand({ TableName: 'missing', Key: { id: { S: 'a' } } })), 'ResourceNotFoundException', 'Requested resource not found');
    });

    it('PutItem key checks', async () => {
      await rejects(suite.ddb.send(new PutItemCommand({ TableName: 'Music', Item: { Artist: { S: 'a' } } })), 'ValidationException', `${INVALID}Missing the key SongTitle in the item`);
      await rejects(
        suite.ddb.send(new PutItemCommand({ TableName: 'Music', Item: { Artist: { N: '1' }, SongTitle: { S: 'x' } } })),
        'ValidationException',
        `${INVALID}Type mismatch for key Artist expected: S actual: N`,
      );
      await rejects(
        suite.ddb.send(new PutItemCommand({ TableName: 'hashonly', Item: { id: { S: '' } } })),
        'ValidationException',
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id',
      );
    });

    it('Key checks for GetItem and DeleteItem', async () => {
      await rejects(suite.ddb.send(new GetItemCommand({ TableName: 'hashonly', Key: { id: { S: 'a' }, x: { S: 'b' } } })), 'ValidationException', 'The provided key element does not match the schema');
      await rejects(suite.ddb.send(new DeleteItemCommand({ TableName: 'hashonly', Key: { id: { N: '1' } } })), 'ValidationException', 'The provided key element does not match the schema');
    });

    it('bad values: in the envelope for PutItem, bare for GetItem', async () => {
      await rejects(
        suite.ddb.send(new PutItemCommand({ TableName: 'hashonly', Item: { id: { S: 'a' }, s: { SS: [] } } })),
        'ValidationException',
        `1 validation error detected: ${INVALID}An string set  may not be empty`,
      );
      await rejects(
        suite.ddb.send(new GetItemCommand({ TableName: 'hashonly', Key: { id: { N: 'abc' } } })),
        'ValidationException',
        'The parameter cannot be converted to a numeric value: abc',
      );
    });

    it('ReturnValues other than NONE / ALL_OLD for PutItem and DeleteItem', async () => {
      for (const rv of ['ALL_NEW', 'UPDATED_OLD', 'UPDATED_NEW'] as const) {
        await rejects(suite.ddb.send(new PutItemCommand({ TableName: 'hashonly', Item: { id: { S: 'a' } }, ReturnValues: rv })), 'ValidationException', 'ReturnValues can only be ALL_OLD or NONE');
        await rejects(suite.ddb.send(new DeleteItemCommand({ TableName: 'hashonly', Key: { id: { S: 'a' } }, ReturnValues: rv })), 'ValidationException', 'ReturnValues can only be ALL_OLD or NONE');
      }
    });

    it('item size limit', async () => {
      // id (2+1) + name 'x' (1) + value: 409600 total is allowed, one more byte is not.
      const ok = 'a'.repeat(409_600 - 3 - 1);
      await suite.ddb.send(new PutItemCommand({ TableName: 'hashonly', Item: { id: { S: 'b' }, x: { S: ok } } }));
      await rejects(
        suite.ddb.send(new PutItemCommand({ TableName: 'hashonly', Item: { id: { S: 'b' }, x: { S: ok + 'a' } } })),
        'ValidationException',
        'Item size has exceeded the maximum allowed size',
      );
    });
  });
});
