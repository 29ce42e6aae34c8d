/** Request-level checks shared by the item operations, with DynamoDB's messages. */
import { isAwsError } from '../../errors/aws-error';
import { validationError } from '../../errors/dynamodb-errors';
import { oneValidationError, validateAttributeValue, validateItem, type AttributeValue, type Item } from '../values/attribute-value';

/**
 * Expression and non-expression (legacy) parameters cannot be mixed, and ExpressionAttributeNames/Values need
 * an expression that can use them.
 */
export function checkExpressionParams(input: Record<string, unknown>, expressions: string[], nonExpressions: string[]): void {
  const present = (name: string) => input[name] !== undefined && input[name] !== null;
  const used = expressions.filter(present);
  if (used.length > 0) {
    const legacy = nonExpressions.filter(present);
    if (legacy.length > 0) {
      throw validationError(
        'Can not use both expression and non-expression parameters in the same request: ' +
          `Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${used.join(', ')}}`,
      );
    }
  }
  if (present('ExpressionAttributeNames') && used.length === 0) {
    throw validationError('ExpressionAttributeNames can only be specified when using expressions');
  }
  const valueExpressions = expressions.filter((e) => e !== 'ProjectionExpression');
  if (valueExpressions.length > 0 && present('ExpressionAttributeValues') && !valueExpressions.some(present)) {
    throw validationError(
      `ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`,
    );
  }
}

/**
 * Runs a value check; with `wrap` (PutItem, UpdateItem, DeleteItem) a ValidationException it raises is
 * reported inside DynamoDB's `1 validation error detected: ` envelope.
 */
export function valueCheck<T>(wrap: boolean, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (wrap && isAwsError(error) && error.code === 'ValidationException') throw validationError(oneValidationError(error.message));
    throw error;
  }
}

export function checkedItem(item: unknown, wrap: boolean): Item {
  return valueCheck(wrap, () => validateItem(item));
}

export function checkedValue(value: unknown, wrap: boolean): AttributeValue {
  return valueCheck(wrap, () => validateAttributeValue(value));
}

export type ReturnConsumedCapacity = 'INDEXES' | 'TOTAL' | 'NONE' | undefined;
