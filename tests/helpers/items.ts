import type { AttributeValue, CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import AWS from 'aws-sdk';
import { rejectsWith } from './aws-assert';
import { TEST_CREDENTIALS } from './basalt';
import { dynamoCall } from './raw';
import { HASH, RANGE, S as stringKey, tableInput } from './tables';

/** Attribute values, as items and conditions carry them. */
export const S = (s: string): AttributeValue => ({ S: s });
export const N = (n: string | number): AttributeValue => ({ N: String(n) });

/** CreateTable input for an on-demand table keyed by string hash key pk and sort key sk of type `sortType`. */
export function pkSkTable(name: string, sortType: 'S' | 'N' | 'B', overrides: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput {
  return tableInput(name, {
    AttributeDefinitions: [stringKey('pk'), { AttributeName: 'sk', AttributeType: sortType }],
    KeySchema: [HASH('pk'), RANGE('sk')],
    ...overrides,
  });
}

/** CreateTable input for an on-demand table keyed by string attributes: hash key `hash`, and sort key `range` if given. */
export function stringKeyTable(name: string, hash: string, range?: string, overrides: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput {
  return tableInput(name, {
    AttributeDefinitions: range === undefined ? [stringKey(hash)] : [stringKey(hash), stringKey(range)],
    KeySchema: range === undefined ? [HASH(hash)] : [HASH(hash), RANGE(range)],
    ...overrides,
  });
}

/** rejectsWith, answering the error itself for checks of its other members (such as a condition failure's Item). */
export async function rejectedWith(promise: Promise<unknown>, name: string, message: string): Promise<unknown> {
  let error: unknown;
  await rejectsWith(
    promise.catch((err: unknown) => {
      error = err;
      throw err;
    }),
    name,
    message,
  );
  return error;
}

/** The v2 SDK's typings describe 2012-08-10 only; with apiVersion '2011-12-05' it loads the older model. */
export type LegacyClient = Record<string, (params: any) => { promise(): Promise<any> }>;

/** A v2 SDK client speaking the 2011-12-05 API to `endpoint`, without retries. */
export function legacyClient(endpoint: string): LegacyClient {
  return new AWS.DynamoDB({ apiVersion: '2011-12-05', endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxRetries: 0 }) as unknown as LegacyClient;
}

/** A raw 2011-12-05 call; a string body is sent as written, anything else as JSON. */
export function legacyCall(endpoint: string, operation: string, body: unknown) {
  return dynamoCall(endpoint, `DynamoDB_20111205.${operation}`, typeof body === 'string' ? body : JSON.stringify(body));
}
