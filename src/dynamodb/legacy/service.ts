/**
 * The DynamoDB_20111205 dispatcher: the legacy API served beside 2012-08-10 on the same tables.
 *
 * Errors: the service's own errors carry that version's namespace, `com.amazonaws.dynamodb.v20111205#...`
 * (erlcloud's tests of 2011-12-05 answers: ProvisionedThroughputExceededException, ConditionalCheckFailed
 * "The expected value did not match what was stored in the system."). Validation errors come from Coral's
 * validator, which no API version owns: `com.amazon.coral.validate#ValidationException` (captured from
 * DynamoDB in 2013 and 2016 client reports, e.g. AdRoll/goamz#15, for the empty-string rule). Emulators that
 * put ValidationException under v20111205 (ddbmock, moto) guessed; protocol errors stay Coral's.
 */
import { AwsError, isAwsError } from '../../errors/aws-error';
import { dynamoError } from '../../errors/dynamodb-errors';
import type { OperationContext } from '../operation';
import { hasOperation as hasCurrentOperation } from '../service';
import { checkLegacyInput } from './check';
import { legacyOperations } from './operations';

export const LEGACY_NAMESPACE = 'com.amazonaws.dynamodb.v20111205';
const CURRENT_NAMESPACE = 'com.amazonaws.dynamodb.v20120810';
const LEGACY_MESSAGES: Record<string, string> = {
  ConditionalCheckFailedException: 'The expected value did not match what was stored in the system.',
};

/** Whether Basalt serves this DynamoDB_20111205 operation (Query, Scan and the batches need their current ones). */
export function hasOperation(name: string): boolean {
  if (!Object.prototype.hasOwnProperty.call(legacyOperations, name)) return false;
  return legacyOperations[name]!.needs.every(hasCurrentOperation);
}

/** Runs one DynamoDB_20111205 operation: legacy model checks, then the translated current operation. */
export async function runOperation(name: string, body: unknown, ctx: OperationContext): Promise<unknown> {
  if (!hasOperation(name)) throw dynamoError('UnknownOperationException');
  try {
    const input = checkLegacyInput(name, body);
    return await legacyOperations[name]!.handle(input, ctx);
  } catch (err) {
    throw legacyError(err);
  }
}

/** A current-API error as the 2011-12-05 API reports it. */
export function legacyError(err: unknown): unknown {
  if (!isAwsError(err) || err.namespace !== CURRENT_NAMESPACE) return err;
  // Members the older API never sent (the Item of a failed condition, ...) are left out.
  return new AwsError(err.code, err.status, LEGACY_MESSAGES[err.code] ?? err.message, LEGACY_NAMESPACE);
}
