#!/usr/bin/env node
'use strict';
/**
 * Generates src/dynamodb/legacy/model.generated.ts from the DynamoDB 2011-12-05 service model
 * (../shared/aws-models/dynamodb-2011-12-05.min.json, relative to the repo root): the legacy API that Basalt
 * serves beside 2012-08-10 under the target prefix DynamoDB_20111205.
 *
 * That model is in the older AWS JSON format (operations with inline input shapes, shared shapes named S2, S6,
 * ...), and it carries types and required members only. The output uses the same ServiceModel tables as the
 * current model (src/dynamodb/model/shape-types.ts): shared shapes get readable names (RENAMES), inline shapes
 * are named after where they sit, and the constraints the 2011-12-05 API reference documents (lengths, ranges,
 * patterns, enums; CONSTRAINTS below) are merged in. Only input shapes are kept. The generated file is
 * committed, so a checkout without ../shared still builds.
 *
 * Usage: node scripts/codegen-dynamodb-legacy.js [path/to/model.json]
 */
const fs = require('fs');
const path = require('path');
const { ROOT, cmp, literal, renderModel, runIfMain } = require('./codegen-common');

const MODEL_PATH = process.argv[2] || path.join(ROOT, '..', 'shared', 'aws-models', 'dynamodb-2011-12-05.min.json');
const OUT_PATH = path.join(ROOT, 'src', 'dynamodb', 'legacy', 'model.generated.ts');

/** Names of the shared shapes, after the 2011-12-05 API reference's data types. */
const RENAMES = {
  S2: 'BatchGetRequestMap',
  S6: 'Key',
  S7: 'AttributeValue',
  Se: 'AttributeNameList',
  So: 'BatchWriteItemRequestMap',
  Ss: 'PutItemInputAttributeMap',
  Sy: 'KeySchema',
  Sz: 'KeySchemaElement',
  S12: 'ProvisionedThroughput',
  S1b: 'ExpectedAttributeMap',
  S1u: 'Condition',
};

/**
 * Constraints from the 2011-12-05 API reference (table names 3..255 of [a-zA-Z0-9_.-], capacity units >= 1,
 * Limit >= 1, the enumerations), keyed by "Shape.Member" (the member's target gets the constraint).
 */
const TABLE_NAME = { length: { min: 3, max: 255 }, pattern: '[a-zA-Z0-9_.-]+' };
const CONSTRAINTS = {
  'KeySchemaElement.AttributeName': { length: { min: 1, max: 255 } },
  'KeySchemaElement.AttributeType': { kind: 'enum', values: ['S', 'N', 'B'] },
  'ProvisionedThroughput.ReadCapacityUnits': { range: { min: 1 } },
  'ProvisionedThroughput.WriteCapacityUnits': { range: { min: 1 } },
  'Condition.ComparisonOperator': {
    kind: 'enum',
    values: ['EQ', 'NE', 'IN', 'LE', 'LT', 'GE', 'GT', 'BETWEEN', 'NOT_NULL', 'NULL', 'CONTAINS', 'NOT_CONTAINS', 'BEGINS_WITH'],
  },
  'AttributeNameList.member': { length: { min: 1, max: 255 } },
  'AttributeNameList.self': { length: { min: 1 } },
  'ListTablesInput.ExclusiveStartTableName': TABLE_NAME,
  'ListTablesInput.Limit': { range: { min: 1, max: 100 } },
  'QueryInput.Limit': { range: { min: 1 } },
  'ScanInput.Limit': { range: { min: 1 } },
  'UpdateItemInputAttributeUpdatesValue.Action': { kind: 'enum', values: ['ADD', 'PUT', 'DELETE'] },
  'PutItemInput.ReturnValues': { kind: 'enum', values: ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] },
  'DeleteItemInput.ReturnValues': { kind: 'enum', values: ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] },
  'UpdateItemInput.ReturnValues': { kind: 'enum', values: ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] },
  'BatchGetRequestMap.self': { length: { min: 1, max: 100 } },
  'BatchWriteItemRequestMap.self': { length: { min: 1, max: 25 } },
  'BatchWriteItemRequestMapValue.self': { length: { min: 1, max: 25 } },
  'BatchGetRequestMapValueKeys.self': { length: { min: 1, max: 100 } },
};
for (const op of ['CreateTable', 'DeleteItem', 'DeleteTable', 'DescribeTable', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem', 'UpdateTable']) {
  CONSTRAINTS[`${op}Input.TableName`] = TABLE_NAME;
}

/** Old-format type names → ShapeKind. A shape with no type is a string. */
function kindOf(shape) {
  const type = shape.type || 'string';
  if (type === 'structure' || type === 'list' || type === 'map' || type === 'string' || type === 'boolean') return type;
  if (['integer', 'long', 'double', 'float', 'blob', 'timestamp'].includes(type)) return type;
  throw new Error(`unsupported type ${type}`);
}

function generate(file) {
  const model = JSON.parse(fs.readFileSync(file, 'utf8'));
  const shapes = [];
  const named = new Map();

  /** Adds a shape (by reference or inline) and returns its index; `name` is used for inline shapes. */
  function add(ref, name) {
    if (ref.shape) {
      if (named.has(ref.shape)) return named.get(ref.shape);
      const target = model.shapes[ref.shape];
      if (!target) throw new Error(`unknown shape ${ref.shape}`);
      return build(target, RENAMES[ref.shape] || ref.shape, ref.shape);
    }
    return build(ref, name, null);
  }

  function build(shape, name, sharedId) {
    const kind = kindOf(shape);
    const def = { name, kind };
    const index = shapes.length;
    shapes.push(def);
    if (sharedId) named.set(sharedId, index);
    const self = CONSTRAINTS[`${name}.self`];
    if (kind === 'structure') {
      const required = new Set(shape.required || []);
      def.members = Object.entries(shape.members || {}).map(([member, ref]) => {
        const m = { name: member, target: add(ref, `${name}${member}`) };
        const extra = CONSTRAINTS[`${name}.${member}`];
        if (extra) m.target = constrained(m.target, extra, `${name}${member}`);
        if (required.has(member)) m.required = true;
        return m;
      });
    } else if (kind === 'list') {
      def.member = add(shape.member || {}, `${name}Member`);
      const extra = CONSTRAINTS[`${name}.member`];
      if (extra) def.member = constrained(def.member, extra, `${name}Member`);
    } else if (kind === 'map') {
      def.key = add(shape.key || {}, `${name}Key`);
      def.value = add(shape.value || {}, `${name}Value`);
    }
    if (self) Object.assign(def, self);
    return index;
  }

  /** A constrained copy of a scalar target (constraints belong to the member, not to a shared shape). */
  function constrained(target, extra, name) {
    const base = shapes[target];
    if (![...named.values()].includes(target)) {
      // An inline shape belongs to this member alone.
      Object.assign(base, extra);
      return target;
    }
    shapes.push({ ...base, name, ...extra });
    return shapes.length - 1;
  }

  const operationNames = Object.keys(model.operations).sort(cmp);
  const operations = operationNames.map((op) => [op, add(model.operations[op].input, `${op}Input`)]);

  return renderModel({
    header: [
      '// Generated by scripts/codegen-dynamodb-legacy.js from the DynamoDB 2011-12-05 service model',
      `// (../shared/aws-models/${path.basename(file)}) plus the constraints its API reference documents.`,
      '// Do not edit: run `node scripts/codegen-dynamodb-legacy.js`.',
    ],
    shapeTypes: '../model/shape-types',
    constName: 'LEGACY_MODEL',
    version: model.metadata.apiVersion,
    operationNames,
    operations,
    errorNames: [],
    shapes,
  });
}

runIfMain(module, generate, MODEL_PATH, OUT_PATH);

module.exports = { generate };
