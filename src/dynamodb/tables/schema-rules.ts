/**
 * Key schema, projection and capacity rules that CreateTable and UpdateTable share, with DynamoDB's
 * messages (from AWS's answers as recorded by dynalite's and ScyllaDB Alternator's test suites).
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { AwsError } from '../../errors/aws-error';
import type { KeySchemaElement, Projection } from './record';

export const invalidParameter = (detail: string): AwsError =>
  validationError(`One or more parameter values were invalid: ${detail}`);

export const attributeNames = (elements: readonly { AttributeName: string }[]): string[] => elements.map((e) => e.AttributeName);

export function undefinedKeyAttributes(keys: readonly string[], definitions: readonly string[]): AwsError {
  return invalidParameter(
    `Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${definitions.join(', ')}]`,
  );
}

/** The element rules of any key schema, checked once its attributes are known to be defined. */
export function checkKeyElements(keySchema: readonly KeySchemaElement[]): void {
  const [hash, range] = keySchema as [KeySchemaElement, KeySchemaElement | undefined];
  if (range && hash.AttributeName === range.AttributeName) {
    throw validationError('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  if (hash.KeyType !== 'HASH') throw validationError('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (range && range.KeyType !== 'RANGE') throw validationError('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
}

/** An index's key schema: every attribute defined, then the element rules. */
export function checkIndexKeySchema(keySchema: readonly KeySchemaElement[], definitions: readonly string[]): void {
  const keys = attributeNames(keySchema);
  if (keys.some((key) => !definitions.includes(key))) throw undefinedKeyAttributes(keys, definitions);
  checkKeyElements(keySchema);
}

/** ProjectionType has no default, and NonKeyAttributes go with INCLUDE only. */
export function checkProjection(projection: Partial<Projection>): void {
  const type = projection.ProjectionType;
  const nonKey = projection.NonKeyAttributes;
  if (type === undefined) throw invalidParameter('Unknown ProjectionType: null');
  if (nonKey && type !== 'INCLUDE') throw invalidParameter(`ProjectionType is ${type}, but NonKeyAttributes is specified`);
  if (!nonKey && type === 'INCLUDE') throw invalidParameter('ProjectionType is INCLUDE, but NonKeyAttributes is not specified');
  const duplicate = nonKey?.find((name, i) => nonKey.indexOf(name) !== i);
  if (duplicate !== undefined) throw invalidParameter(`Duplicate element in NonKeyAttributes: ${duplicate}`);
}

export interface CapacityInput {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/** Capacity beyond DynamoDB's hard ceiling of 10^12 units is refused before anything else looks at it. */
const MAX_CAPACITY = 1_000_000_000_000;

export function checkCapacityBounds(throughput: CapacityInput | undefined): void {
  for (const member of ['ReadCapacityUnits', 'WriteCapacityUnits'] as const) {
    const value = throughput?.[member];
    if (value !== undefined && value > MAX_CAPACITY) throw validationError(`Given value ${value} for ${member} is out of bounds`);
  }
}
