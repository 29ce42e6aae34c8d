import { validationError } from '../../errors/dynamodb-errors';
import type { AttributeValue } from './types';

/**
 * ExpressionAttributeNames and ExpressionAttributeValues: the request-level checks DynamoDB makes before it
 * parses any expression of the request, and the "unused" checks it makes after parsing all of them.
 *
 * Order within a request (UpdateItem as example; the other operations use the same steps):
 *   1. checkExpressionAttributeNames   (empty map, then each key: empty, too long, syntax)
 *   2. checkExpressionAttributeValues  (empty map, then each key)
 *   3. each value's validity: "ExpressionAttributeValues contains invalid value: <problem> for key :v"
 *      (values/attribute-value.ts; pass it as `validateValue` to step 2 to keep the order)
 *   4. each expression, in the operation's order (see index.ts)
 *   5. checkUnusedExpressionAttributes (names first, then values)
 */

/** Longest placeholder key DynamoDB accepts (its MAX_PARAMETER_KEY_SIZE; "#name" counts 5). */
export const MAX_PLACEHOLDER_LENGTH = 255;

const NAME_KEY = /^#[A-Za-z0-9_]+$/;
const VALUE_KEY = /^:[A-Za-z0-9_]+$/;

export function checkExpressionAttributeNames(names: Readonly<Record<string, string>> | undefined): void {
  if (names === undefined) return;
  const keys = Object.keys(names);
  if (keys.length === 0) throw validationError('ExpressionAttributeNames must not be empty');
  for (const key of keys) {
    const problem = keyProblem(key, NAME_KEY, true);
    if (problem !== undefined) throw validationError(`ExpressionAttributeNames contains invalid key: ${problem}`);
  }
}

export function checkExpressionAttributeValues(
  values: Readonly<Record<string, AttributeValue>> | undefined,
  validateValue?: (key: string, value: AttributeValue) => void,
): void {
  if (values === undefined) return;
  const keys = Object.keys(values);
  if (keys.length === 0) throw validationError('ExpressionAttributeValues must not be empty');
  for (const key of keys) {
    const problem = keyProblem(key, VALUE_KEY, false);
    if (problem !== undefined) throw validationError(`ExpressionAttributeValues contains invalid key: ${problem}`);
  }
  if (validateValue !== undefined) for (const key of keys) validateValue(key, values[key]!);
}

function keyProblem(key: string, syntax: RegExp, withSize: boolean): string | undefined {
  if (key.length === 0) return 'The expression attribute map contains an empty key;';
  if (key.length > MAX_PLACEHOLDER_LENGTH) {
    return `The expression attribute map contains a key that is too long;${withSize ? ` size of key: ${key.length}` : ''}`;
  }
  if (!syntax.test(key)) return `Syntax error; key: "${key}"`;
  return undefined;
}

/**
 * The placeholders of one request and which of them its expressions used. Create one per request and pass it to
 * every compile call of that request.
 */
export class ExpressionContext {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();

  constructor(
    readonly names: Readonly<Record<string, string>> | undefined,
    readonly values: Readonly<Record<string, AttributeValue>> | undefined,
  ) {}

  /** The attribute name a `#name` placeholder stands for (and marks it used), or undefined. */
  name(placeholder: string): string | undefined {
    const names = this.names;
    if (names === undefined || !Object.prototype.hasOwnProperty.call(names, placeholder)) return undefined;
    this.usedNames.add(placeholder);
    return names[placeholder];
  }

  /** The value a `:value` placeholder stands for (and marks it used), or undefined. */
  value(placeholder: string): AttributeValue | undefined {
    const values = this.values;
    if (values === undefined || !Object.prototype.hasOwnProperty.call(values, placeholder)) return undefined;
    this.usedValues.add(placeholder);
    return values[placeholder];
  }
}

/** After all expressions of the request compiled: placeholders nobody used. Names are reported first. */
export function checkUnusedExpressionAttributes(context: ExpressionContext): void {
  if (context.names !== undefined) {
    const unused = Object.keys(context.names).filter((key) => !context.usedNames.has(key));
    if (unused.length > 0) {
      throw validationError(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unused.join(', ')}}`);
    }
  }
  if (context.values !== undefined) {
    const unused = Object.keys(context.values).filter((key) => !context.usedValues.has(key));
    if (unused.length > 0) {
      throw validationError(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unused.join(', ')}}`);
    }
  }
}
