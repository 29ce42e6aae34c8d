'use strict';
/**
 * What the two DynamoDB model generators (codegen-dynamodb.js, codegen-dynamodb-legacy.js) share: the
 * literal writer, the locale-independent ordering, the layout of the generated ServiceModel module, and
 * writing it out when the script is run.
 */
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

/** A JSON-like value as a TypeScript literal (single-quoted strings, unquoted keys). */
function literal(value) {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') {
    const body = Object.entries(value).map(([k, v]) => `${k}: ${literal(v)}`).join(', ');
    return `{ ${body} }`;
  }
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(value);
}

/** Locale-independent ordering, so every machine generates the same file. */
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The generated module: `header` comment lines, the ServiceModel import from `shapeTypes`, and the model as
 * `constName` (operations as [name, input shape index] pairs, shapes already converted).
 */
function renderModel({ header, shapeTypes, constName, version, operationNames, operations, errorNames, shapes }) {
  const lines = [
    ...header,
    `import type { ServiceModel } from '${shapeTypes}';`,
    '',
    `export const ${constName}: ServiceModel = {`,
    `  version: ${literal(version)},`,
    `  operationNames: ${literal(operationNames)},`,
    '  operations: {',
    ...operations.map(([name, input]) => `    ${name}: ${input},`),
    '  },',
    `  errorNames: ${literal(errorNames)},`,
    '  shapes: [',
    ...shapes.map((s, i) => `    /* ${i} */ ${literal(s)},`),
    '  ],',
    '};',
    '',
  ];
  return lines.join('\n');
}

/** When `mod` is the script run, generates from `modelPath` and writes `outPath`. */
function runIfMain(mod, generate, modelPath, outPath) {
  if (require.main !== mod) return;
  const out = generate(modelPath);
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  fs.writeFileSync(outPath, out);
  console.log(`wrote ${path.relative(ROOT, outPath)} (${out.length} bytes)`);
}

module.exports = { ROOT, literal, cmp, renderModel, runIfMain };
