/** DescribeEndpoints: the regional endpoint, cached for a day, as DynamoDB answers it. */
import type { Operation } from '../operation';

export const describeEndpoints: Operation = {
  async handle(_input, ctx) {
    return { Endpoints: [{ Address: `dynamodb.${ctx.region}.amazonaws.com`, CachePeriodInMinutes: 1440 }] };
  },
};
