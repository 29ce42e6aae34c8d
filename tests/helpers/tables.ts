import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Attribute definitions and key schema elements, as CreateTable takes (and DescribeTable answers) them. */
export const S = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
export const N = (name: string) => ({ AttributeName: name, AttributeType: 'N' as const });
export const HASH = (name: string) => ({ AttributeName: name, KeyType: 'HASH' as const });
export const RANGE = (name: string) => ({ AttributeName: name, KeyType: 'RANGE' as const });

/** The members that make a table provisioned (no BillingMode, so the default) with this capacity. */
export const provisioned = (read: number, write: number): Partial<CreateTableCommandInput> => ({
  BillingMode: undefined,
  ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write },
});

/** CreateTable input for an on-demand table with string hash key p; overrides replace whole members. */
export function tableInput(name: string, overrides: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [S('p')],
    KeySchema: [HASH('p')],
    BillingMode: 'PAY_PER_REQUEST',
    ...overrides,
  };
}
