/** DescribeLimits: DynamoDB's default capacity quotas, which Basalt does not enforce. */
import type { Operation } from '../operation';

export const describeLimits: Operation = {
  async handle() {
    return {
      AccountMaxReadCapacityUnits: 80000,
      AccountMaxWriteCapacityUnits: 80000,
      TableMaxReadCapacityUnits: 40000,
      TableMaxWriteCapacityUnits: 40000,
    };
  },
};
