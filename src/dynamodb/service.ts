import { dynamoError } from '../errors/dynamodb-errors';
import { checkInput } from './validation/check-input';
import type { OperationContext } from './operation';
import { operations } from './operations';

/** Whether Basalt serves this DynamoDB_20120810 operation. */
export function hasOperation(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(operations, name);
}

/** Runs one DynamoDB_20120810 operation: model checks, the operation's own rules, then the operation. */
export async function runOperation(name: string, body: unknown, ctx: OperationContext): Promise<unknown> {
  const operation = operations[name];
  if (!operation) throw dynamoError('UnknownOperationException');
  // A JSON `null` body is an empty request to DynamoDB, as is every null member.
  const input = body ?? {};
  checkInput(name, input);
  operation.validate?.(input);
  return operation.handle(input, ctx);
}
