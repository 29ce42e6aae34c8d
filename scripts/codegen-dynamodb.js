#!/usr/bin/env node
'use strict';
/**
 * Generates src/dynamodb/model/shapes.generated.ts from the official DynamoDB Smithy model
 * (../shared/aws-models/dynamodb-2012-08-10.json, relative to the repo root).
 *
 * The output keeps only what request checking needs: every operation's input shape and the shapes reachable
 * from the inputs, with kinds, members, required flags and length/range/pattern/enum constraints; no
 * documentation. Shapes are sorted by name so the output is deterministic. The generated file is committed,
 * so a checkout without ../shared still builds.
 *
 * Usage: node scripts/codegen-dynamodb.js [path/to/model.json]
 */
const fs = require('fs');
const path = require('path');
const { ROOT, cmp, literal, renderModel, runIfMain } = require('./codegen-common');

const MODEL_PATH = process.argv[2] || path.join(ROOT, '..', 'shared', 'aws-models', 'dynamodb-2012-08-10.json');
const OUT_PATH = path.join(ROOT, 'src', 'dynamodb', 'model', 'shapes.generated.ts');
const NS = 'com.amazonaws.dynamodb#';

const KINDS = new Set([
  'structure', 'union', 'list', 'map', 'string', 'enum', 'boolean', 'byte', 'short', 'integer', 'long',
  'float', 'double', 'bigInteger', 'bigDecimal', 'blob', 'timestamp', 'document',
]);

/** Smithy prelude shapes (`smithy.api#String`...) behave like a local shape of the same kind. */
const PRELUDE = {
  String: 'string', Boolean: 'boolean', PrimitiveBoolean: 'boolean', Byte: 'byte', Short: 'short',
  Integer: 'integer', PrimitiveInteger: 'integer', Long: 'long', PrimitiveLong: 'long', Float: 'float',
  Double: 'double', BigInteger: 'bigInteger', BigDecimal: 'bigDecimal', Blob: 'blob', Timestamp: 'timestamp',
  Document: 'document',
};

function load(file) {
  const model = JSON.parse(fs.readFileSync(file, 'utf8'));
  const shapes = model.shapes;
  const services = Object.entries(shapes).filter(([, s]) => s.type === 'service');
  if (services.length !== 1) throw new Error(`expected one service in ${file}, found ${services.length}`);
  return { shapes, service: services[0][1] };
}

function shortName(id) {
  const hash = id.indexOf('#');
  return hash < 0 ? id : id.slice(hash + 1);
}

function shapeOf(shapes, id) {
  if (shapes[id]) return shapes[id];
  if (id.startsWith('smithy.api#') && PRELUDE[shortName(id)]) return { type: PRELUDE[shortName(id)] };
  throw new Error(`unknown shape ${id}`);
}

/** Targets a shape refers to, in a fixed order. */
function children(shape) {
  const out = [];
  if (shape.type === 'structure' || shape.type === 'union') {
    for (const m of Object.values(shape.members || {})) out.push(m.target);
  }
  if (shape.type === 'list' || shape.type === 'set') out.push(shape.member.target);
  if (shape.type === 'map') out.push(shape.key.target, shape.value.target);
  return out;
}

function reachableFromInputs(shapes, operationIds) {
  const seen = new Set();
  const stack = [];
  for (const id of operationIds) {
    const input = shapes[id].input;
    if (input) stack.push(input.target);
  }
  while (stack.length) {
    const id = stack.pop();
    if (seen.has(id) || id === 'smithy.api#Unit') continue;
    seen.add(id);
    for (const child of children(shapeOf(shapes, id))) stack.push(child);
  }
  return seen;
}

function bounds(trait) {
  if (!trait) return undefined;
  const out = {};
  if (trait.min !== undefined) out.min = Number(trait.min);
  if (trait.max !== undefined) out.max = Number(trait.max);
  return Object.keys(out).length ? out : undefined;
}

function convert(shapes, id, index) {
  const shape = shapeOf(shapes, id);
  const kind = shape.type === 'set' ? 'list' : shape.type;
  if (!KINDS.has(kind)) throw new Error(`shape ${id} has unsupported type ${shape.type}`);
  const traits = shape.traits || {};
  const def = { name: shortName(id), kind };
  if (kind === 'structure' || kind === 'union') {
    def.members = Object.entries(shape.members || {}).map(([name, m]) => {
      const member = { name, target: index.get(m.target) };
      if (m.traits && m.traits['smithy.api#required'] !== undefined) member.required = true;
      return member;
    });
  }
  if (kind === 'list') def.member = index.get(shape.member.target);
  if (kind === 'map') {
    def.key = index.get(shape.key.target);
    def.value = index.get(shape.value.target);
  }
  if (kind === 'enum') {
    def.values = Object.entries(shape.members).map(([name, m]) => {
      const value = m.traits && m.traits['smithy.api#enumValue'];
      return value === undefined ? name : String(value);
    });
  }
  const length = bounds(traits['smithy.api#length']);
  if (length) def.length = length;
  const range = bounds(traits['smithy.api#range']);
  if (range) def.range = range;
  if (traits['smithy.api#pattern'] !== undefined) def.pattern = traits['smithy.api#pattern'];
  return def;
}

function generate(file) {
  const { shapes, service } = load(file);
  const operationIds = (service.operations || []).map((o) => o.target).sort((a, b) => cmp(shortName(a), shortName(b)));
  const ids = [...reachableFromInputs(shapes, operationIds)].sort((a, b) => cmp(shortName(a), shortName(b)) || cmp(a, b));
  const index = new Map(ids.map((id, i) => [id, i]));
  const names = new Set();
  for (const id of ids) {
    if (names.has(shortName(id))) throw new Error(`two shapes are named ${shortName(id)}`);
    names.add(shortName(id));
  }

  const operations = operationIds.map((id) => {
    const input = shapes[id].input;
    if (!input || input.target === 'smithy.api#Unit') throw new Error(`operation ${id} has no input shape`);
    return [shortName(id), index.get(input.target)];
  });
  const errorNames = Object.entries(shapes)
    .filter(([, s]) => s.traits && s.traits['smithy.api#error'] !== undefined)
    .map(([id]) => shortName(id))
    .sort(cmp);

  return renderModel({
    header: [
      '// Generated by scripts/codegen-dynamodb.js from the official DynamoDB Smithy model',
      `// (../shared/aws-models/${path.basename(file)}). Do not edit: run \`npm run codegen\`.`,
    ],
    shapeTypes: './shape-types',
    constName: 'DYNAMODB_MODEL',
    version: service.version,
    operationNames: operations.map(([name]) => name),
    operations,
    errorNames,
    shapes: ids.map((id) => convert(shapes, id, index)),
  });
}

runIfMain(module, generate, MODEL_PATH, OUT_PATH);

module.exports = { generate };
