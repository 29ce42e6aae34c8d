import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AwsError } from '../../errors/aws-error';
import { DYNAMODB_MODEL } from '../model/shapes.generated';
import { checkInput } from './check-input';

// Expected messages are DynamoDB's, as recorded by dynalite's tests (run against live DynamoDB; the newest
// test/helpers.js for deserialisation) and by later live captures where the comment says so.

function failure(operation: string, body: unknown): AwsError {
  try {
    checkInput(operation, body);
  } catch (err) {
    assert.ok(err instanceof AwsError, `expected an AwsError, got ${String(err)}`);
    return err;
  }
  assert.fail(`${operation} ${JSON.stringify(body)} was accepted`);
}

function assertSerialization(operation: string, body: unknown, message: string): void {
  const err = failure(operation, body);
  assert.equal(err.code, 'SerializationException', err.message);
  assert.equal(err.namespace, 'com.amazon.coral.service');
  assert.equal(err.message, message);
}

function assertValidation(operation: string, body: unknown, message: string): void {
  const err = failure(operation, body);
  assert.equal(err.code, 'ValidationException', err.message);
  assert.equal(err.namespace, 'com.amazon.coral.validate');
  assert.equal(err.message, message);
}

const at = (value: string | null, where: string, constraint: string): string =>
  `Value ${value === null ? 'null' : `'${value}'`} at '${where}' failed to satisfy constraint: ${constraint}`;
const errors = (...lines: string[]): string =>
  `${lines.length} validation error${lines.length === 1 ? '' : 's'} detected: ${lines.join('; ')}`;
const NOT_NULL = 'Member must not be null';
const NAME_PATTERN = 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+';
const MIN = (n: number) => `Member must have length greater than or equal to ${n}`;
const MAX = (n: number) => `Member must have length less than or equal to ${n}`;

// ---------------------------------------------------------------------------------------------------------
// Deserialisation

const CAST =
  'class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class ' +
  "(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')";
const OBJECT = 'Start of structure or map found where not expected';
const PKG = 'com.amazonaws.dynamodb.v20120810';

/** The probes of dynalite's assertType, per kind of target. */
function typeCases(kind: string): [unknown, string][] {
  const open = kind.indexOf('<');
  const base = open < 0 ? kind : kind.slice(0, open);
  const sub = open < 0 ? '' : kind.slice(open + 1, -1);
  const mapOf = sub.includes('.') ? sub : `${PKG}.${sub}`;
  const numbers = [23, -2147483648, 2147483648];
  switch (base) {
    case 'String':
      return [
        [true, 'TRUE_VALUE cannot be converted to String'],
        [false, 'FALSE_VALUE cannot be converted to String'],
        ...numbers.map((n): [unknown, string] => [n, 'NUMBER_VALUE cannot be converted to String']),
        [34.56, 'DECIMAL_VALUE cannot be converted to String'],
        [[], 'Unrecognized collection type class java.lang.String'],
        [{}, OBJECT],
      ];
    case 'Boolean':
      return [
        ['23', 'Unexpected token received from parser'],
        ...numbers.map((n): [unknown, string] => [n, 'NUMBER_VALUE cannot be converted to Boolean']),
        [34.56, 'DECIMAL_VALUE cannot be converted to Boolean'],
        [[], 'Unrecognized collection type class java.lang.Boolean'],
        [{}, OBJECT],
      ];
    case 'Integer':
    case 'Long':
      return [
        ['23', `STRING_VALUE cannot be converted to ${base}`],
        [true, `TRUE_VALUE cannot be converted to ${base}`],
        [false, `FALSE_VALUE cannot be converted to ${base}`],
        [[], `Unrecognized collection type class java.lang.${base}`],
        [{}, OBJECT],
      ];
    case 'Blob':
      return [
        ...[true, ...numbers, 34.56].map((v): [unknown, string] => [v, 'only base-64-encoded strings are convertible to bytes']),
        [[], 'Unrecognized collection type class java.nio.ByteBuffer'],
        [{}, OBJECT],
        ['23456', 'Base64 encoded length is expected a multiple of 4 bytes but found: 5'],
        ['=+/=', 'Invalid last non-pad Base64 character dectected'],
        ['+/+=', 'Invalid last non-pad Base64 character dectected'],
      ];
    case 'List':
      return [...['23', true, ...numbers, 34.56].map((v): [unknown, string] => [v, 'Unexpected field type']), [{}, OBJECT]];
    case 'ParameterizedList':
      return [...['23', true, ...numbers, 34.56].map((v): [unknown, string] => [v, CAST]), [{}, OBJECT]];
    case 'Map':
      return [
        ...['23', true, ...numbers, 34.56].map((v): [unknown, string] => [v, 'Unexpected field type']),
        [[], `Unrecognized collection type java.util.Map<java.lang.String, ${mapOf}>`],
      ];
    case 'ParameterizedMap':
      return [
        ...['23', true, ...numbers, 34.56].map((v): [unknown, string] => [v, CAST]),
        [[], `Unrecognized collection type java.util.Map<java.lang.String, ${PKG}.AttributeValue>`],
      ];
    case 'FieldStruct':
    case 'ValueStruct': {
      const scalar = base === 'FieldStruct' ? 'Unexpected field type' : 'Unexpected value type in payload';
      return [
        ...['23', true, ...numbers, 34.56].map((v): [unknown, string] => [v, scalar]),
        [[], `Unrecognized collection type class ${PKG}.${sub}`],
      ];
    }
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

/** {a: [{b: value}]} from 'a.0.b', as dynalite builds its probes. */
function bodyAt(where: string, value: unknown): Record<string, unknown> {
  const pieces = where.split('.');
  const body: Record<string, unknown> = {};
  let node: Record<string, unknown> | unknown[] = body;
  for (let i = 0; i < pieces.length; i++) {
    const next = i === pieces.length - 1 ? value : pieces[i + 1] === '0' ? [] : {};
    if (Array.isArray(node)) node.push(next);
    else node[pieces[i]] = next;
    node = next as Record<string, unknown> | unknown[];
  }
  return body;
}

const TYPE_TABLE: [operation: string, where: string, kind: string][] = [
  // dynalite test/createTable.js
  ['CreateTable', 'TableName', 'String'],
  ['CreateTable', 'AttributeDefinitions', 'List'],
  ['CreateTable', 'KeySchema', 'List'],
  ['CreateTable', 'ProvisionedThroughput', 'FieldStruct<ProvisionedThroughput>'],
  ['CreateTable', 'ProvisionedThroughput.WriteCapacityUnits', 'Long'],
  ['CreateTable', 'KeySchema.0', 'ValueStruct<KeySchemaElement>'],
  ['CreateTable', 'KeySchema.0.KeyType', 'String'],
  ['CreateTable', 'AttributeDefinitions.0', 'ValueStruct<AttributeDefinition>'],
  ['CreateTable', 'LocalSecondaryIndexes.0.Projection', 'FieldStruct<Projection>'],
  ['CreateTable', 'GlobalSecondaryIndexes.0.Projection.NonKeyAttributes.0', 'String'],
  ['CreateTable', 'GlobalSecondaryIndexes.0.ProvisionedThroughput.ReadCapacityUnits', 'Long'],
  // test/describeTable.js, deleteTable.js, listTables.js
  ['DescribeTable', 'TableName', 'String'],
  ['DeleteTable', 'TableName', 'String'],
  ['ListTables', 'ExclusiveStartTableName', 'String'],
  ['ListTables', 'Limit', 'Integer'],
  // test/updateTable.js
  ['UpdateTable', 'ProvisionedThroughput.ReadCapacityUnits', 'Long'],
  ['UpdateTable', 'GlobalSecondaryIndexUpdates.0', 'ValueStruct<GlobalSecondaryIndexUpdate>'],
  ['UpdateTable', 'GlobalSecondaryIndexUpdates.0.Update', 'FieldStruct<UpdateGlobalSecondaryIndexAction>'],
  // test/tagResource.js
  ['TagResource', 'ResourceArn', 'String'],
  ['TagResource', 'Tags', 'List'],
  ['TagResource', 'Tags.0', 'ValueStruct<Tag>'],
  ['TagResource', 'Tags.0.Key', 'String'],
  // test/putItem.js with the AttrStruct expansion of test/helpers.js
  ['PutItem', 'Item', 'Map<AttributeValue>'],
  ['PutItem', 'Item.a', 'ValueStruct<AttributeValue>'],
  ['PutItem', 'Item.a.S', 'String'],
  ['PutItem', 'Item.a.N', 'String'],
  ['PutItem', 'Item.a.B', 'Blob'],
  ['PutItem', 'Item.a.BOOL', 'Boolean'],
  ['PutItem', 'Item.a.NULL', 'Boolean'],
  ['PutItem', 'Item.a.SS', 'List'],
  ['PutItem', 'Item.a.SS.0', 'String'],
  ['PutItem', 'Item.a.BS.0', 'Blob'],
  ['PutItem', 'Item.a.L.0', 'ValueStruct<AttributeValue>'],
  ['PutItem', 'Item.a.L.0.BS.0', 'Blob'],
  ['PutItem', 'Item.a.M', 'Map<AttributeValue>'],
  ['PutItem', 'Item.a.M.a', 'ValueStruct<AttributeValue>'],
  ['PutItem', 'Expected', 'Map<ExpectedAttributeValue>'],
  ['PutItem', 'Expected.a.Exists', 'Boolean'],
  ['PutItem', 'Expected.a.Value', 'FieldStruct<AttributeValue>'],
  ['PutItem', 'ExpressionAttributeNames', 'Map<java.lang.String>'],
  ['PutItem', 'ExpressionAttributeNames.a', 'String'],
  // test/query.js
  ['Query', 'Limit', 'Integer'],
  ['Query', 'ConsistentRead', 'Boolean'],
  ['Query', 'ExclusiveStartKey', 'Map<AttributeValue>'],
  ['Query', 'KeyConditions', 'Map<Condition>'],
  ['Query', 'KeyConditions.a', 'ValueStruct<Condition>'],
  ['Query', 'KeyConditions.a.AttributeValueList.0', 'ValueStruct<AttributeValue>'],
  // test/batchWriteItem.js, batchGetItem.js
  ['BatchWriteItem', 'RequestItems', `Map<java.util.List<${PKG}.WriteRequest>>`],
  ['BatchWriteItem', 'RequestItems.a', 'ParameterizedList'],
  ['BatchWriteItem', 'RequestItems.a.0', 'ValueStruct<WriteRequest>'],
  ['BatchWriteItem', 'RequestItems.a.0.PutRequest', 'FieldStruct<PutRequest>'],
  ['BatchGetItem', 'RequestItems', 'Map<KeysAndAttributes>'],
  ['BatchGetItem', 'RequestItems.a.Keys.0', 'ParameterizedMap'],
];

describe('checkInput: deserialisation', () => {
  for (const [operation, where, kind] of TYPE_TABLE) {
    it(`${operation} ${where} as ${kind}`, () => {
      for (const [value, message] of typeCases(kind)) assertSerialization(operation, bodyAt(where, value), message);
    });
  }

  it('reports the first bad member in document order (floci probes)', () => {
    assertSerialization('Scan', { TableName: 't', Limit: '5', IndexName: 5 }, 'STRING_VALUE cannot be converted to Integer');
    assertSerialization('Scan', { TableName: 't', IndexName: 5, Limit: '5' }, 'NUMBER_VALUE cannot be converted to String');
  });

  it('checks deserialisation before any constraint', () => {
    assertSerialization('Query', { TableName: 'a', Limit: 0, ExclusiveStartKey: { pk: { S: 123 } } }, 'NUMBER_VALUE cannot be converted to String');
  });

  it('ignores null and unknown members', () => {
    checkInput('ListTables', { ExclusiveStartTableName: null, Limit: null, Unknown: 5, limit: 'x' });
    checkInput('Scan', { TableName: 'abc', AttributesToGet: [null] });
  });

  it('reads booleans from their words and truncates integers in place', () => {
    const body: Record<string, unknown> = { TableName: 'abc', ConsistentRead: 'TRUE', Limit: 5.9 };
    checkInput('Scan', body);
    assert.deepEqual(body, { TableName: 'abc', ConsistentRead: true, Limit: 5 });
    const wrapped: Record<string, unknown> = { Limit: 4294967297 };
    checkInput('ListTables', wrapped); // keeps the low 32 bits, as Java's intValue does
    assert.equal(wrapped.Limit, 1);
  });

  it('accepts numbers for doubles and timestamps but not strings', () => {
    checkInput('ListBackups', { TimeRangeLowerBound: 1577836800 });
    assertSerialization('ListBackups', { TimeRangeLowerBound: '2020-01-01T00:00:00Z' }, 'STRING_VALUE cannot be converted to Date');
  });

  it('takes a non-object body as a value of the input structure', () => {
    assertSerialization('ListTables', [], `Unrecognized collection type class ${PKG}.ListTablesInput`);
    assertSerialization('ListTables', 'x', 'Unexpected value type in payload');
    checkInput('ListTables', null);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Constraints

const VALID_KEY_SCHEMA = [{ AttributeName: 'a', KeyType: 'HASH' }];
const VALID_DEFINITIONS = [{ AttributeName: 'a', AttributeType: 'S' }];

const VALIDATION_TABLE: [title: string, operation: string, body: unknown, message: string][] = [
  // Table names. Today's plain-name rules: live capture 2026 (DescribeTable ''), CreateTable 'ab' (live suite).
  ['missing TableName, table operations', 'DescribeTable', {}, "The parameter 'TableName' is required but was not present in the request"],
  ['missing TableName, CreateTable', 'CreateTable', { AttributeDefinitions: VALID_DEFINITIONS, KeySchema: VALID_KEY_SCHEMA }, "The parameter 'TableName' is required but was not present in the request"],
  ['empty TableName', 'DescribeTable', { TableName: '' }, errors(at('', 'tableName', MIN(3)), at('', 'tableName', NAME_PATTERN))],
  ['bad pattern', 'DeleteTable', { TableName: 'abc;' }, errors(at('abc;', 'tableName', NAME_PATTERN))],
  ['short name', 'CreateTable', { TableName: 'ab', AttributeDefinitions: VALID_DEFINITIONS, KeySchema: VALID_KEY_SCHEMA }, errors(at('ab', 'tableName', MIN(3)))],
  ['long name', 'Query', { TableName: 'a'.repeat(256) }, errors(at('a'.repeat(256), 'tableName', MAX(255)))],
  ['missing TableName, data operations', 'Query', {}, errors(at(null, 'tableName', NOT_NULL))],
  // Table ARNs (ExtendDB's captures of DynamoDB)
  ['index ARN', 'GetItem', { TableName: 'arn:aws:dynamodb:us-east-1:123456789012:table/t1/index/i', Key: {} }, errors(at('arn:aws:dynamodb:us-east-1:123456789012:table/t1/index/i', 'tableName', "Valid ARN format is 'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType/resourceName', where Resource name must have length less than or equal to 255, Resource name must have length greater than or equal to 3, Resource name must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"))],
  ['stream ARN', 'DescribeTable', { TableName: 'arn:aws:dynamodb:us-east-1:123456789012:stream/t1' }, errors(at('arn:aws:dynamodb:us-east-1:123456789012:stream/t1', 'tableName', 'Invalid resource type'))],
  ['short ARN name', 'DescribeTable', { TableName: 'arn:aws:dynamodb:us-east-1:123456789012:table/ab' }, errors(at('arn:aws:dynamodb:us-east-1:123456789012:table/ab', 'tableName', 'Table name of ARN must have length greater than or equal to 3'))],
  // ListTables: dynalite test/listTables.js; live capture 2026 for ''
  ['ListTables low Limit', 'ListTables', { Limit: 0 }, errors(at('0', 'limit', 'Member must have value greater than or equal to 1'))],
  ['ListTables high Limit', 'ListTables', { Limit: 101 }, errors(at('101', 'limit', 'Member must have value less than or equal to 100'))],
  ['ListTables empty start', 'ListTables', { ExclusiveStartTableName: '' }, errors(at('', 'exclusiveStartTableName', NAME_PATTERN), at('', 'exclusiveStartTableName', MIN(3)))],
  ['ListTables long start', 'ListTables', { ExclusiveStartTableName: 'a'.repeat(256) }, errors(at('a'.repeat(256), 'exclusiveStartTableName', MAX(255)))],
  // CreateTable: live capture 2026 (order as DynamoDB lists it)
  ['attribute definition member nulls', 'CreateTable', { TableName: 'abc', AttributeDefinitions: [{}], KeySchema: VALID_KEY_SCHEMA }, errors(at(null, 'attributeDefinitions.1.member.attributeType', NOT_NULL), at(null, 'attributeDefinitions.1.member.attributeName', NOT_NULL))],
  ['key schema member nulls', 'CreateTable', { TableName: 'abc', AttributeDefinitions: VALID_DEFINITIONS, KeySchema: [{}] }, errors(at(null, 'keySchema.1.member.attributeName', NOT_NULL), at(null, 'keySchema.1.member.keyType', NOT_NULL))],
  ['empty key schema', 'CreateTable', { TableName: 'abc', AttributeDefinitions: VALID_DEFINITIONS, KeySchema: [] }, errors(at('[]', 'keySchema', MIN(1)))],
  ['missing key schema', 'CreateTable', { TableName: 'abc', AttributeDefinitions: VALID_DEFINITIONS }, errors(at(null, 'keySchema', NOT_NULL))],
  ['bad key type', 'CreateTable', { TableName: 'abc', AttributeDefinitions: VALID_DEFINITIONS, KeySchema: [{ AttributeName: 'pk', KeyType: 'INVALID' }] }, errors(at('INVALID', 'keySchema.1.member.keyType', 'Member must satisfy enum value set: [HASH, RANGE]'))],
  ['bad attribute type', 'CreateTable', { TableName: 'abc', AttributeDefinitions: [{ AttributeName: 'b', AttributeType: 'SS' }], KeySchema: VALID_KEY_SCHEMA }, errors(at('SS', 'attributeDefinitions.1.member.attributeType', 'Member must satisfy enum value set: [B, N, S]'))],
  ['empty billing mode', 'CreateTable', { TableName: 'abc', AttributeDefinitions: VALID_DEFINITIONS, KeySchema: VALID_KEY_SCHEMA, BillingMode: '' }, errors(at('', 'billingMode', 'Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]'))],
  ['empty stream view type', 'CreateTable', { TableName: 'abc', AttributeDefinitions: VALID_DEFINITIONS, KeySchema: VALID_KEY_SCHEMA, StreamSpecification: { StreamEnabled: true, StreamViewType: '' } }, errors(at('', 'streamSpecification.streamViewType', 'Member must satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]'))],
  ['empty KMS key', 'CreateTable', { TableName: 'abc', AttributeDefinitions: VALID_DEFINITIONS, KeySchema: VALID_KEY_SCHEMA, SSESpecification: { KMSMasterKeyId: '' } }, errors(at('', 'sSESpecification.kMSMasterKeyId', MIN(1)))],
  ['low throughput', 'CreateTable', { TableName: 'abc', AttributeDefinitions: [], KeySchema: VALID_KEY_SCHEMA, ProvisionedThroughput: { ReadCapacityUnits: -1, WriteCapacityUnits: -1 } }, errors(at('-1', 'provisionedThroughput.writeCapacityUnits', 'Member must have value greater than or equal to 1'), at('-1', 'provisionedThroughput.readCapacityUnits', 'Member must have value greater than or equal to 1'))],
  ['empty GSI name', 'CreateTable', { TableName: 'abc', AttributeDefinitions: VALID_DEFINITIONS, KeySchema: VALID_KEY_SCHEMA, GlobalSecondaryIndexes: [{ IndexName: '', KeySchema: VALID_KEY_SCHEMA, Projection: {} }] }, errors(at('', 'globalSecondaryIndexes.1.member.indexName', MIN(3)), at('', 'globalSecondaryIndexes.1.member.indexName', NAME_PATTERN))],
  ['tags are the operation\'s business', 'CreateTable', { TableName: 'abc', AttributeDefinitions: VALID_DEFINITIONS, KeySchema: VALID_KEY_SCHEMA, Tags: [{}], ProvisionedThroughput: {} }, errors(at(null, 'provisionedThroughput.writeCapacityUnits', NOT_NULL), at(null, 'provisionedThroughput.readCapacityUnits', NOT_NULL))],
  // UpdateTable: live capture 2026
  ['GSI update with empty throughput', 'UpdateTable', { TableName: 'abc', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'gsi1', ProvisionedThroughput: {} } }] }, errors(at(null, 'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.writeCapacityUnits', NOT_NULL), at(null, 'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.readCapacityUnits', NOT_NULL))],
  ['empty attribute type', 'UpdateTable', { TableName: 'abc', AttributeDefinitions: [{ AttributeName: 'a', AttributeType: '' }] }, errors(at('', 'attributeDefinitions.1.member.attributeType', 'Member must satisfy enum value set: [B, N, S]'))],
  ['replica update without region', 'UpdateTable', { TableName: 'abc', ReplicaUpdates: [{ Update: {} }] }, errors(at(null, 'replicaUpdates.1.member.update.regionName', NOT_NULL))],
  // UpdateTimeToLive: live capture 2026
  ['empty TTL specification', 'UpdateTimeToLive', { TableName: 'abc', TimeToLiveSpecification: {} }, errors(at(null, 'timeToLiveSpecification.attributeName', NOT_NULL), at(null, 'timeToLiveSpecification.enabled', NOT_NULL))],
  ['empty TTL attribute', 'UpdateTimeToLive', { TableName: 'abc', TimeToLiveSpecification: { AttributeName: '', Enabled: true } }, errors(at('', 'timeToLiveSpecification.attributeName', MIN(1)))],
  // Tagging: dynalite test/tagResource.js, untagResource.js, listTagsOfResource.js
  ['TagResource without ResourceArn', 'TagResource', {}, 'Invalid TableArn'],
  ['TagResource without Tags', 'TagResource', { ResourceArn: 'a:b:c:d:e:f/g' }, errors(at(null, 'tags', NOT_NULL))],
  ['UntagResource without TagKeys', 'UntagResource', { ResourceArn: 'a:b:c:d:e:f/g' }, errors(at(null, 'tagKeys', NOT_NULL))],
  ['ListTagsOfResource without ResourceArn', 'ListTagsOfResource', {}, 'Invalid TableArn'],
  // Batch operations: dynalite test/batchGetItem.js, batchWriteItem.js
  ['BatchGetItem without RequestItems', 'BatchGetItem', {}, errors(at(null, 'requestItems', NOT_NULL))],
  ['BatchWriteItem empty RequestItems', 'BatchWriteItem', { RequestItems: {} }, errors(at('{}', 'requestItems', MIN(1)))],
  ['BatchGetItem empty keys', 'BatchGetItem', { RequestItems: { abc: { Keys: [] } } }, errors(at('[]', 'requestItems.abc.member.keys', MIN(1)))],
  // Legacy name checks with their own wording (live capture 2026)
  ['legacy global table name', 'DescribeGlobalTable', { GlobalTableName: '' }, 'TableName must be at least 3 characters long and at most 255 characters long'],
  ['contributor insights index name', 'DescribeContributorInsights', { TableName: 'abc', IndexName: '' }, 'IndexName must be at least 3 characters long and at most 255 characters long'],
];

describe('checkInput: constraints', () => {
  for (const [title, operation, body, message] of VALIDATION_TABLE) {
    it(`${operation}: ${title}`, () => assertValidation(operation, body, message));
  }

  it('lists at most ten violations, in DynamoDB\'s order (dynalite test/query.js)', () => {
    assertValidation(
      'Query',
      {
        TableName: 'abc;', ReturnConsumedCapacity: 'hi', AttributesToGet: [], IndexName: 'abc;', Select: 'hi', Limit: -1,
        KeyConditions: { a: {}, b: { ComparisonOperator: '' } }, ConditionalOperator: 'AN', QueryFilter: { a: {}, b: { ComparisonOperator: '' } },
      },
      errors(
        at('hi', 'select', 'Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]'),
        at('abc;', 'indexName', NAME_PATTERN),
        at('hi', 'returnConsumedCapacity', 'Member must satisfy enum value set: [INDEXES, TOTAL, NONE]'),
        at(null, 'queryFilter.a.member.comparisonOperator', NOT_NULL),
        at('', 'queryFilter.b.member.comparisonOperator', 'Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]'),
        at('abc;', 'tableName', NAME_PATTERN),
        at('AN', 'conditionalOperator', 'Member must satisfy enum value set: [OR, AND]'),
        at('[]', 'attributesToGet', MIN(1)),
        at('-1', 'limit', 'Member must have value greater than or equal to 1'),
        at(null, 'keyConditions.a.member.comparisonOperator', NOT_NULL),
      ),
    );
  });

  it('names map entries and list elements the way DynamoDB does (dynalite test/batchWriteItem.js)', () => {
    const err = failure('BatchWriteItem', { RequestItems: { 'aa;': [{ PutRequest: {}, DeleteRequest: {} }] }, ReturnConsumedCapacity: 'hi', ReturnItemCollectionMetrics: 'hi' });
    const lines = err.message.replace(/^5 validation errors detected: /, '').split('; ');
    assert.equal(lines.length, 5, err.message);
    assert.match(lines[0], /^Value '\{aa;=\[.+\]\}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: \[Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: \[a-zA-Z0-9_\.-\]\+\]$/);
    assert.ok(lines.includes(at(null, 'requestItems.aa;.member.1.member.putRequest.item', NOT_NULL)));
    assert.ok(lines.includes(at(null, 'requestItems.aa;.member.1.member.deleteRequest.key', NOT_NULL)));
    assert.ok(lines.includes(at('hi', 'returnItemCollectionMetrics', 'Member must satisfy enum value set: [SIZE, NONE]')));
  });

  it('reports a map value\'s own constraint on the map', () => {
    const requests = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { a: { S: String(i) } } } }));
    const err = failure('BatchWriteItem', { RequestItems: { abc: requests } });
    assert.match(err.message, /^1 validation error detected: Value '\{abc=\[.+\]\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/);
  });

  it('renders a list of structures element by element', () => {
    const err = failure('CreateTable', { TableName: 'abc', AttributeDefinitions: VALID_DEFINITIONS, KeySchema: [{ KeyType: 'HASH', AttributeName: 'a' }, { KeyType: 'RANGE', AttributeName: 'b' }, { KeyType: 'RANGE', AttributeName: 'c' }] });
    assert.equal(err.message, errors(at('[KeySchemaElement(attributeName=a, keyType=HASH), KeySchemaElement(attributeName=b, keyType=RANGE), KeySchemaElement(attributeName=c, keyType=RANGE)]', 'keySchema', MAX(2))));
  });

  it('accepts well-formed requests', () => {
    checkInput('CreateTable', { TableName: 'abc', AttributeDefinitions: VALID_DEFINITIONS, KeySchema: VALID_KEY_SCHEMA, BillingMode: 'PAY_PER_REQUEST', Tags: [{ Key: 'k', Value: 'v' }] });
    checkInput('DescribeTable', { TableName: 'arn:aws:dynamodb:us-east-1:123456789012:table/my-table' });
    checkInput('PutItem', { TableName: 'abc', Item: { a: { S: 'x' }, b: { L: [{ M: { c: { B: 'YWJj' } } }] } }, ReturnValues: 'ALL_OLD' });
    checkInput('Query', { TableName: 'abc', KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': { N: '1' } }, Limit: 10 });
    checkInput('TagResource', { ResourceArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/abc', Tags: [{ Key: 'k', Value: '' }] });
    checkInput('NoSuchOperation', { TableName: 5 }); // the dispatcher answers unknown operations
  });
});

// ---------------------------------------------------------------------------------------------------------
// Robustness

/** Small deterministic PRNG, so a failure reproduces. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const MEMBER_NAMES = [...new Set(DYNAMODB_MODEL.shapes.flatMap((s) => (s.members ?? []).map((m) => m.name)))];
const STRINGS = ['', 'a', 'abc', 'a;', 'x'.repeat(300), 'arn:aws:dynamodb:us-east-1:1:table/abc', 'arn:', 'HASH', 'S', 'YWJj', '=+/=', 'true', '\ud800'];
const NUMBERS = [0, -1, 1, 5.5, 2 ** 31, 2 ** 63, -(2 ** 70), 1e308, 100, 26];

function randomJson(next: () => number, depth: number): unknown {
  const r = next();
  if (depth <= 0 || r < 0.45) {
    const pick = next();
    if (pick < 0.3) return STRINGS[Math.floor(next() * STRINGS.length)];
    if (pick < 0.55) return NUMBERS[Math.floor(next() * NUMBERS.length)];
    if (pick < 0.7) return next() < 0.5;
    return null;
  }
  if (r < 0.7) return Array.from({ length: Math.floor(next() * 4) }, () => randomJson(next, depth - 1));
  const object: Record<string, unknown> = {};
  const size = Math.floor(next() * 5);
  for (let i = 0; i < size; i++) {
    const key = next() < 0.8 ? MEMBER_NAMES[Math.floor(next() * MEMBER_NAMES.length)] : STRINGS[Math.floor(next() * STRINGS.length)];
    object[key] = randomJson(next, depth - 1);
  }
  return object;
}

function onlyAwsErrors(operation: string, body: unknown): void {
  try {
    checkInput(operation, body);
  } catch (err) {
    if (!(err instanceof AwsError)) assert.fail(`${operation} threw ${String(err)} for ${JSON.stringify(body)}`);
    assert.ok(['SerializationException', 'ValidationException'].includes(err.code), err.code);
  }
}

describe('checkInput: robustness', () => {
  it('compiles a checker for every operation of the model', () => {
    assert.equal(DYNAMODB_MODEL.operationNames.length, Object.keys(DYNAMODB_MODEL.operations).length);
    for (const operation of DYNAMODB_MODEL.operationNames) onlyAwsErrors(operation, {});
  });

  it('throws nothing but AwsErrors for random JSON', () => {
    const next = random(20120810);
    for (let round = 0; round < 300; round++) {
      for (const operation of DYNAMODB_MODEL.operationNames) {
        onlyAwsErrors(operation, randomJson(next, 6));
      }
    }
  });

  it('survives deep nesting and large collections', () => {
    let deep: unknown = { S: 'x' };
    for (let i = 0; i < 100_000; i++) deep = { L: [deep] };
    onlyAwsErrors('PutItem', { TableName: 'abc', Item: { a: deep } });
    let wild: unknown = [];
    for (let i = 0; i < 100_000; i++) wild = [wild, { x: wild }];
    onlyAwsErrors('Query', { TableName: 'abc', Unknown: wild, AttributesToGet: [wild] });
    onlyAwsErrors('BatchGetItem', { RequestItems: { abc: { Keys: Array.from({ length: 20_000 }, (_, i) => ({ a: { N: String(i) } })) } } });
    onlyAwsErrors('Scan', { TableName: 'abc', AttributesToGet: Array.from({ length: 200_000 }, () => 'a') });
    onlyAwsErrors('ImportTable', { S3BucketSource: { S3Bucket: `${'a'.repeat(200_000)}!` } });
  });

  it('the generated model matches the Smithy model when ../shared is present', () => {
    const root = path.resolve(__dirname, '..', '..', '..', '..');
    const source = path.resolve(root, '..', 'shared', 'aws-models', 'dynamodb-2012-08-10.json');
    if (!fs.existsSync(source)) return;
    const { generate } = require(path.join(root, 'scripts', 'codegen-dynamodb.js')) as { generate(file: string): string };
    const committed = fs.readFileSync(path.join(root, 'src', 'dynamodb', 'model', 'shapes.generated.ts'), 'utf8');
    assert.equal(generate(source), committed, 'run npm run codegen');
  });
});
