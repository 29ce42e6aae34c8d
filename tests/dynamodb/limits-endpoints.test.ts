import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeEndpointsCommand, DescribeLimitsCommand } from '@aws-sdk/client-dynamodb';
import { useBasalt } from '../helpers/suite';

describe('DescribeLimits and DescribeEndpoints', () => {
  const server = useBasalt({ region: 'eu-central-1' });

  it('reports the default capacity quotas', async () => {
    const out = await server.ddb.send(new DescribeLimitsCommand({}));
    assert.equal(out.AccountMaxReadCapacityUnits, 80000);
    assert.equal(out.AccountMaxWriteCapacityUnits, 80000);
    assert.equal(out.TableMaxReadCapacityUnits, 40000);
    assert.equal(out.TableMaxWriteCapacityUnits, 40000);
  });

  it('names the regional endpoint', async () => {
    const out = await server.ddb.send(new DescribeEndpointsCommand({}));
    assert.deepEqual(out.Endpoints, [{ Address: 'dynamodb.eu-central-1.amazonaws.com', CachePeriodInMinutes: 1440 }]);
  });
});
