import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeEndpointsCommand, DescribeLimitsCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startBasalt, type BasaltProcess } from '../helpers/basalt';

describe('DescribeLimits and DescribeEndpoints', () => {
  let basalt: BasaltProcess;
  let ddb: DynamoDBClient;

  before(async () => {
    basalt = await startBasalt(['--in-memory']);
    ddb = basalt.dynamodb(undefined, 'eu-central-1');
  });
  after(async () => {
    ddb.destroy();
    await basalt.stop();
  });

  it('reports the default capacity quotas', async () => {
    const out = await ddb.send(new DescribeLimitsCommand({}));
    assert.equal(out.AccountMaxReadCapacityUnits, 80000);
    assert.equal(out.AccountMaxWriteCapacityUnits, 80000);
    assert.equal(out.TableMaxReadCapacityUnits, 40000);
    assert.equal(out.TableMaxWriteCapacityUnits, 40000);
  });

  it('names the regional endpoint', async () => {
    const out = await ddb.send(new DescribeEndpointsCommand({}));
    assert.deepEqual(out.Endpoints, [{ Address: 'dynamodb.eu-central-1.amazonaws.com', CachePeriodInMinutes: 1440 }]);
  });
});
