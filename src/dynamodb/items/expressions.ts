/**
 * The expression parameters of one item request, checked and compiled in DynamoDB's order: the attribute
 * name and value maps, then the expressions (UpdateExpression, ConditionExpression, ProjectionExpression),
 * then the unused-placeholder checks.
 */
import {
  ExpressionContext,
  checkExpressionAttributeNames,
  checkExpressionAttributeValues,
  checkUnusedExpressionAttributes,
  compileCondition,
  compileProjection,
  compileUpdate,
  type CompiledCondition,
  type CompiledProjection,
  type CompiledUpdate,
} from '../expressions';
import { isAwsError } from '../../errors/aws-error';
import { validationError } from '../../errors/dynamodb-errors';
import { expressionAttributeValueError, validateAttributeValue, type AttributeValue } from '../values/attribute-value';
import { checkedValue } from './checks';

/** The placeholder maps of a request, as the items and reads inputs carry them. */
export interface ExpressionAttributesInput {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

export interface ExpressionInput extends ExpressionAttributesInput {
  ConditionExpression?: string;
  UpdateExpression?: string;
  ProjectionExpression?: string;
}

export interface CompiledExpressions {
  condition?: CompiledCondition;
  update?: CompiledUpdate;
  projection?: CompiledProjection;
}

/**
 * How a bad ExpressionAttributeValues entry is reported: true in the current layer's
 * `1 validation error detected: ` envelope, false bare; `legacy` checks it with the legacy layer and reports
 * it as `ExpressionAttributeValues contains invalid value: ... for key ...` (transactions, Scan).
 */
export type ValueReporting = boolean | 'legacy';

/**
 * Checks the request's ExpressionAttributeNames, then its ExpressionAttributeValues (keys, then each value),
 * and returns the context every expression of the request compiles against.
 */
export function expressionContext(input: ExpressionAttributesInput, wrapValues: ValueReporting): ExpressionContext {
  // A JSON null member is an absent one, as everywhere in DynamoDB's input.
  const names = input.ExpressionAttributeNames ?? undefined;
  const rawValues = input.ExpressionAttributeValues;
  checkExpressionAttributeNames(names);
  let values: Record<string, AttributeValue> | undefined;
  if (rawValues !== undefined && rawValues !== null) {
    values = {};
    const checked = values;
    checkExpressionAttributeValues(rawValues as Record<string, AttributeValue>, (key, value) => {
      checked[key] = wrapValues === 'legacy' ? legacyValue(key, value) : checkedValue(value, wrapValues);
    });
  }
  return new ExpressionContext(names, values);
}

/** `wrapValues`: see `ValueReporting`. */
export function compileExpressions(input: ExpressionInput, wrapValues: ValueReporting): CompiledExpressions {
  const context = expressionContext(input, wrapValues);
  const out: CompiledExpressions = {};
  if (typeof input.UpdateExpression === 'string') out.update = compileUpdate(input.UpdateExpression, context);
  if (typeof input.ConditionExpression === 'string') out.condition = compileCondition('ConditionExpression', input.ConditionExpression, context);
  if (typeof input.ProjectionExpression === 'string') out.projection = compileProjection(input.ProjectionExpression, context);
  checkUnusedExpressionAttributes(context);
  return out;
}

function legacyValue(key: string, value: unknown): AttributeValue {
  try {
    return validateAttributeValue(value, { layer: 'legacy' });
  } catch (error) {
    if (isAwsError(error) && error.code === 'ValidationException') throw validationError(expressionAttributeValueError(key, error.message));
    throw error;
  }
}
