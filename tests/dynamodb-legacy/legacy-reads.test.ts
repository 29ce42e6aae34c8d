import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { useLegacyBasalt } from '../helpers/legacy-suite';

/** Query, Scan, BatchGetItem and BatchWriteItem of 2011-12-05 run on the current API's operations of the same name. */

describe('DynamoDB API 2011-12-05: Query, Scan and the batch operations', () => {
  const suite = useLegacyBasalt();
  const { legacyCall } = suite;

  before(async () => {
    await suite.legacy
      .createTable({
        TableName: 'films',
        KeySchema: { HashKeyElement: { AttributeName: 'name', AttributeType: 'S' }, RangeKeyElement: { AttributeName: 'year', AttributeType: 'N' } },
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      })
      .promise();
    for (const year of [1978, 1980, 1982, 1984]) {
      await suite.legacy.putItem({ TableName: 'films', Item: { name: { S: 'Airplane' }, year: { N: String(year) }, rating: { S: year > 1980 ? '**' : '***' } } }).promise();
    }
    await suite.ddb.send(new PutItemCommand({ TableName: 'films', Item: { name: { S: 'Jaws' }, year: { N: '1975' }, rating: { S: '****' } } }));
  });

  it('Query: HashKeyValue, RangeKeyCondition, Limit, ScanIndexForward, LastEvaluatedKey / ExclusiveStartKey, Count', async () => {
    const first = await suite.legacy
      .query({ TableName: 'films', HashKeyValue: { S: 'Airplane' }, RangeKeyCondition: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '1980' }] }, Limit: 2, ScanIndexForward: false })
      .promise();
    assert.deepEqual(first.Items.map((i: any) => i.year.N), ['1984', '1982']);
    assert.equal(first.Count, 2);
    assert.deepEqual(first.LastEvaluatedKey, { HashKeyElement: { S: 'Airplane' }, RangeKeyElement: { N: '1982' } });
    assert.equal(typeof first.ConsumedCapacityUnits, 'number');
    const next = await suite.legacy
      .query({
        TableName: 'films',
        HashKeyValue: { S: 'Airplane' },
        RangeKeyCondition: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '1980' }] },
        ScanIndexForward: false,
        ExclusiveStartKey: first.LastEvaluatedKey,
      })
      .promise();
    assert.deepEqual(next.Items.map((i: any) => i.year.N), ['1980']);
    const count = await legacyCall('Query', { TableName: 'films', HashKeyValue: { S: 'Airplane' }, Count: true });
    const body = JSON.parse(count.body);
    assert.equal(body.Count, 4);
    assert.equal(body.Items, undefined);
    const some = await suite.legacy.query({ TableName: 'films', HashKeyValue: { S: 'Jaws' }, AttributesToGet: ['rating'] }).promise();
    assert.deepEqual(some.Items, [{ rating: { S: '****' } }]);
    const empty = await legacyCall('Query', { TableName: 'films', HashKeyValue: { S: '' } });
    assert.equal(JSON.parse(empty.body).message, 'One or more parameter values were invalid: An AttributeValue may not contain an empty string');
  });

  it('Scan: ScanFilter, Count, ScannedCount, Limit and paging in the legacy key shape', async () => {
    const all = await suite.legacy.scan({ TableName: 'films' }).promise();
    assert.equal(all.Count, 5);
    assert.equal(all.ScannedCount, 5);
    const filtered = await suite.legacy.scan({ TableName: 'films', ScanFilter: { rating: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: '**' }] } } }).promise();
    assert.equal(filtered.Count, 2);
    assert.equal(filtered.ScannedCount, 5);
    const page = await suite.legacy.scan({ TableName: 'films', Limit: 2 }).promise();
    assert.equal(page.Items.length, 2);
    assert.ok(page.LastEvaluatedKey.HashKeyElement);
    const rest = await suite.legacy.scan({ TableName: 'films', ExclusiveStartKey: page.LastEvaluatedKey }).promise();
    assert.equal(rest.Count, 3);
    const count = JSON.parse((await legacyCall('Scan', { TableName: 'films', Count: true })).body);
    assert.equal(count.Count, 5);
    assert.equal(count.Items, undefined);
  });

  it('BatchWriteItem and BatchGetItem: Responses per table with ConsumedCapacityUnits', async () => {
    const written = await suite.legacy
      .batchWriteItem({
        RequestItems: {
          films: [
            { PutRequest: { Item: { name: { S: 'Alien' }, year: { N: '1979' } } } },
            { DeleteRequest: { Key: { HashKeyElement: { S: 'Jaws' }, RangeKeyElement: { N: '1975' } } } },
          ],
        },
      })
      .promise();
    assert.equal(typeof written.Responses.films.ConsumedCapacityUnits, 'number');
    assert.deepEqual(written.UnprocessedItems ?? {}, {});
    const gone = await suite.ddb.send(new GetItemCommand({ TableName: 'films', Key: { name: { S: 'Jaws' }, year: { N: '1975' } } }));
    assert.equal(gone.Item, undefined);
    const got = await suite.legacy
      .batchGetItem({
        RequestItems: {
          films: {
            Keys: [
              { HashKeyElement: { S: 'Alien' }, RangeKeyElement: { N: '1979' } },
              { HashKeyElement: { S: 'Airplane' }, RangeKeyElement: { N: '1980' } },
            ],
            AttributesToGet: ['name', 'year'],
          },
        },
      })
      .promise();
    assert.equal(got.Responses.films.Items.length, 2);
    assert.equal(typeof got.Responses.films.ConsumedCapacityUnits, 'number');
    const empty = await legacyCall('BatchWriteItem', { RequestItems: { films: [{ PutRequest: { Item: { name: { S: 'x' }, year: { N: '1' }, a: { S: '' } } } }] } });
    assert.equal(JSON.parse(empty.body).message, 'One or more parameter values were invalid: An AttributeValue may not contain an empty string');
  });
});
