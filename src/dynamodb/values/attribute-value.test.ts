import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAwsError } from '../../errors/aws-error';
import {
  ATTRIBUTE_VALUE_MESSAGES as M,
  KEY_MESSAGES,
  attributeType,
  base64ByteLength,
  expressionAttributeValueError,
  oneValidationError,
  validateAttributeValue,
  validateIndexKeyAttribute,
  validateItem,
  validateItemKeys,
  validateKey,
  validateKeyAttribute,
  type AttributeValue,
  type IndexKeySchema,
  type KeySchema,
  type ValueCheckOptions,
} from './attribute-value';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(isAwsError(err), `expected an AwsError, got ${String(err)}`);
    return { code: err.code, message: err.message };
  }
  assert.fail('expected an error');
}

function validation(fn: () => unknown): string {
  const { code, message } = errorOf(fn);
  assert.equal(code, 'ValidationException', message);
  return message;
}

const NOT_NUMERIC = 'The parameter cannot be converted to a numeric value';
const INVALID = 'One or more parameter values were invalid: ';

test('messages are DynamoDB’s, spacing included', () => {
  assert.equal(M.empty, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  assert.equal(M.moreThanOne, 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  assert.equal(M.nullNotTrue, 'One or more parameter values were invalid: Null attribute value types must have the value of true');
  assert.equal(M.emptyStringSet, 'One or more parameter values were invalid: An string set  may not be empty');
  assert.equal(M.emptyNumberSet, 'One or more parameter values were invalid: An number set  may not be empty');
  assert.equal(M.emptyBinarySet, 'One or more parameter values were invalid: Binary sets should not be empty');
  assert.equal(M.nesting, 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit');
});

test('refused values: the same answer in both layers', () => {
  const cases: [unknown, string][] = [
    [{}, M.empty],
    [{ a: '' }, M.empty],
    [{ S: null }, M.empty],
    [{ M: { a: {} } }, M.empty],
    [{ L: [{}] }, M.empty],
    [{ L: [{ a: {} }] }, M.empty],
    [null, M.empty],
    [{ S: 'a', N: '1' }, M.moreThanOne],
    [{ S: 'a', BOOL: true }, M.moreThanOne],
    [{ NULL: true, L: [] }, M.moreThanOne],
    // A bad number is reported before the type count.
    [{ S: 'a', N: 'b' }, `${NOT_NUMERIC}: b`],
    [{ N: 'b' }, `${NOT_NUMERIC}: b`],
    [{ NS: ['1', 'b', 'a'] }, `${NOT_NUMERIC}: b`],
    [{ NS: ['1', 'b'] }, `${NOT_NUMERIC}: b`],
    [{ N: '123456789012345678901234567890123456789' }, 'Attempting to store more than 38 significant digits in a Number'],
    [{ N: '-1.23456789012345678901234567890123456789' }, 'Attempting to store more than 38 significant digits in a Number'],
    [{ N: '1e126' }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    [{ N: '-1e126' }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    [{ N: '1e-131' }, 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
    [{ N: '-1e-131' }, 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
    [{ M: { x: { L: [{ N: 'abc' }] } } }, `${NOT_NUMERIC}: abc`],
    [{ SS: [] }, M.emptyStringSet],
    [{ NS: [] }, M.emptyNumberSet],
    [{ BS: [] }, M.emptyBinarySet],
    [{ M: { inner: { SS: [] } } }, M.emptyStringSet],
    [{ L: [{ SS: [] }] }, M.emptyStringSet],
  ];
  for (const layer of ['current', 'legacy'] as const) {
    for (const [value, expected] of cases) {
      assert.equal(validation(() => validateAttributeValue(value, { layer })), expected, `${JSON.stringify(value)} (${layer})`);
    }
  }
});

test('refused values whose wording depends on the layer', () => {
  const cases: [unknown, string, string][] = [
    // value, current, legacy (captured against AWS, 2026-10)
    [{ N: '' }, `${NOT_NUMERIC}: `, NOT_NUMERIC],
    [{ S: '', N: '' }, `${NOT_NUMERIC}: `, NOT_NUMERIC],
    [{ S: 'a', N: '' }, `${NOT_NUMERIC}: `, NOT_NUMERIC],
    [{ NS: ['1', ''] }, `${NOT_NUMERIC}: `, NOT_NUMERIC],
    [{ N: '1e2147483647' }, 'Number overflow. Attempting to store a number with magnitude larger than supported range', 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
    [{ SS: ['b', 'a', 'b'] }, `${INVALID}Input collection ["a", "b", "b"] contains duplicates.`, `${INVALID}Input collection [b, a, b] contains duplicates.`],
    [{ SS: ['a', 'a'] }, `${INVALID}Input collection ["a", "a"] contains duplicates.`, `${INVALID}Input collection [a, a] contains duplicates.`],
    [
      { SS: ['z', 'c', 'a', 'c', 'b', 'a'] },
      `${INVALID}Input collection ["a", "c", "z", "c", "b", "a"] contains duplicates.`,
      `${INVALID}Input collection [z, c, a, c, b, a] contains duplicates.`,
    ],
    [{ BS: ['/w==', 'AA==', 'AA=='] }, `${INVALID}Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.`, `${INVALID}Input collection [/w==, AA==, AA==]of type BS contains duplicates.`],
    [{ BS: ['Yg==', 'Yg=='] }, `${INVALID}Input collection ["Yg==","Yg=="]of type BS contains duplicates.`, `${INVALID}Input collection [Yg==, Yg==]of type BS contains duplicates.`],
    [{ NS: ['2', '1', '2'] }, `${INVALID}Input collection contains duplicates.`, 'Input collection contains duplicates'],
    [{ NS: ['1', '1'] }, `${INVALID}Input collection contains duplicates.`, 'Input collection contains duplicates'],
    // Number members are duplicates by value.
    [{ NS: ['1', '1.0'] }, `${INVALID}Input collection contains duplicates.`, 'Input collection contains duplicates'],
    [{ NS: ['1E2', '100'] }, `${INVALID}Input collection contains duplicates.`, 'Input collection contains duplicates'],
  ];
  for (const [value, current, legacy] of cases) {
    assert.equal(validation(() => validateAttributeValue(value)), current, JSON.stringify(value));
    assert.equal(validation(() => validateAttributeValue(value, { layer: 'legacy' })), legacy, `${JSON.stringify(value)} (legacy)`);
  }
});

test('string set duplicates are sorted by UTF-8 bytes up to the repeat', () => {
  // U+1F600 sorts after U+FF61 in UTF-8 byte order, before it in UTF-16 order.
  assert.equal(
    validation(() => validateAttributeValue({ SS: ['😀', '｡', '😀'] })),
    `${INVALID}Input collection ["｡", "😀", "😀"] contains duplicates.`,
  );
});

test('NULL false: accepted and normalised by the current layer, refused by the legacy one', () => {
  assert.deepEqual(validateAttributeValue({ NULL: false }), { NULL: true });
  assert.equal(validation(() => validateAttributeValue({ NULL: false }, { layer: 'legacy' })), M.nullNotTrue);
  assert.equal(validation(() => validateAttributeValue({ NULL: false }, { nullFalse: 'reject' })), M.nullNotTrue);
  assert.deepEqual(validateAttributeValue({ NULL: false }, { layer: 'legacy', nullFalse: 'accept' }), { NULL: true });
});

test('accepted values come back canonical', () => {
  const cases: [unknown, AttributeValue][] = [
    [{ S: '' }, { S: '' }],
    [{ S: 'héllo' }, { S: 'héllo' }],
    [{ B: '' }, { B: '' }],
    [{ B: 'Yg==' }, { B: 'Yg==' }],
    [{ N: '0001.500' }, { N: '1.5' }],
    [{ N: '-0' }, { N: '0' }],
    [{ N: '1E+125' }, { N: '1' + '0'.repeat(125) }],
    [{ BOOL: false }, { BOOL: false }],
    [{ NULL: true }, { NULL: true }],
    [{ SS: [''] }, { SS: [''] }],
    [{ SS: ['b', 'a'] }, { SS: ['b', 'a'] }],
    [{ BS: [''] }, { BS: [''] }],
    [{ BS: ['AAE=', 'Yg=='] }, { BS: ['AAE=', 'Yg=='] }],
    [{ NS: ['3', '1.50', '2e0'] }, { NS: ['3', '1.5', '2'] }],
    [{ L: [] }, { L: [] }],
    [{ M: {} }, { M: {} }],
    [{ L: [{ N: '01' }, { M: { a: { NS: ['10e-1'] } } }] }, { L: [{ N: '1' }, { M: { a: { NS: ['1'] } } }] }],
    // Null members and unknown names are dropped, as DynamoDB's deserialiser does.
    [{ S: 'a', N: null, X: 1 }, { S: 'a' }],
  ];
  for (const [input, expected] of cases) assert.deepEqual(validateAttributeValue(input), expected, JSON.stringify(input));
});

test('validateItem validates and canonicalises every attribute', () => {
  const item = validateItem({
    a: { S: 'x' },
    b: { N: '-56.7890' },
    c: { B: 'Yg==' },
    d: { BOOL: false },
    e: { NULL: true },
    f: { SS: ['a'] },
    g: { NS: ['-56.789'] },
    h: { BS: ['Yg=='] },
    i: { L: [{ S: 'a' }, { N: '-56.789' }, { L: [] }, { M: {} }] },
    j: { M: { a: { M: {} }, b: { L: [] } } },
  });
  assert.deepEqual(item.b, { N: '-56.789' });
  assert.equal(Object.keys(item).length, 10);
  assert.equal(attributeType(item.j!), 'M');
  assert.equal(validation(() => validateItem({ a: { S: 'x' }, b: { SS: [] } })), M.emptyStringSet);
  // `__proto__` is an ordinary attribute name.
  const odd = validateItem(JSON.parse('{"__proto__": {"S": "p"}}'));
  assert.deepEqual(Object.keys(odd), ['__proto__']);
  assert.deepEqual(Object.getOwnPropertyDescriptor(odd, '__proto__')?.value, { S: 'p' });
});

function deepMap(wraps: number): AttributeValue {
  let value: AttributeValue = { S: 'leaf' };
  for (let i = 0; i < wraps; i++) value = { M: { n: value } };
  return value;
}

function deepList(wraps: number): AttributeValue {
  let value: AttributeValue = { N: '1' };
  for (let i = 0; i < wraps; i++) value = { L: [value] };
  return value;
}

test('nesting: the attribute is level 1, a leaf may sit at level 32', () => {
  // Captured against AWS: 31 wraps (leaf at level 32) accepted, 32 wraps refused.
  assert.doesNotThrow(() => validateItem({ pk: { S: 'k' }, data: deepMap(31) }));
  assert.equal(validation(() => validateItem({ pk: { S: 'k' }, data: deepMap(32) })), M.nesting);
  assert.doesNotThrow(() => validateAttributeValue(deepList(31)));
  assert.equal(validation(() => validateAttributeValue(deepList(32))), M.nesting);
  const options: ValueCheckOptions = { maxDepth: Infinity };
  assert.doesNotThrow(() => validateAttributeValue(deepMap(40), options));
});

test('wrong JSON shapes: SerializationException in Coral’s words', () => {
  const cases: [unknown, string][] = [
    [{ S: 123 }, 'NUMBER_VALUE cannot be converted to String'],
    [{ N: 123 }, 'NUMBER_VALUE cannot be converted to String'],
    [{ S: true }, 'TRUE_VALUE cannot be converted to String'],
    [{ S: { S: 'asdf' } }, 'Start of structure or map found where not expected.'],
    [{ S: ['a'] }, 'Start of list found where not expected'],
    [{ BOOL: 'true' }, 'STRING_VALUE cannot be converted to Boolean'],
    [{ SS: {} }, 'Start of structure or map found where not expected.'],
    [{ SS: [1] }, 'NUMBER_VALUE cannot be converted to String'],
    [{ M: [] }, 'Start of list found where not expected'],
    [['S'], 'Start of list found where not expected'],
    [{ B: '23456' }, "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5"],
    [{ B: '=+/=' }, "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='"],
    [{ B: 'ab-=' }, "'ab-=' can not be converted to a Blob: Invalid Base64 character: '-'"],
    [{ B: '+/+=' }, "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"],
    [{ BS: ['Yg==', 'abc'] }, "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3"],
  ];
  for (const [value, expected] of cases) {
    const { code, message } = errorOf(() => validateAttributeValue(value));
    assert.equal(code, 'SerializationException', JSON.stringify(value));
    assert.equal(message, expected, JSON.stringify(value));
  }
});

test('base64ByteLength', () => {
  const cases: [string, number][] = [['', 0], ['Yg==', 1], ['YWI=', 2], ['YWJj', 3], ['AAAAAA==', 4]];
  for (const [text, bytes] of cases) assert.equal(base64ByteLength(text), bytes, text);
});

// ---- Keys ----

const HASH_S: KeySchema = { hash: { name: 'pk', type: 'S' } };
const RANGE_B: KeySchema = { hash: { name: 'a', type: 'S' }, range: { name: 'b', type: 'B' } };
const RANGE_S: KeySchema = { hash: { name: 'p_key', type: 'S' }, range: { name: 's_key', type: 'S' } };
const INDEXES: IndexKeySchema[] = [
  { name: 'test_lsi1', range: { name: 'lsi1_s_key', type: 'S' } },
  { name: 'test_gsi1', hash: { name: 'gsi1_p_key', type: 'S' }, range: { name: 'gsi1_s_key', type: 'S' } },
  { name: 'gsi1', hash: { name: 'shared', type: 'S' } },
  { name: 'zzz', range: { name: 'shared', type: 'S' } },
];

test('key messages are DynamoDB’s', () => {
  assert.equal(KEY_MESSAGES.missing('pk'), 'One or more parameter values were invalid: Missing the key pk in the item');
  assert.equal(KEY_MESSAGES.typeMismatch('pk', 'S', 'N'), 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N');
  assert.equal(
    KEY_MESSAGES.emptyString('pk'),
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
  );
  assert.equal(
    KEY_MESSAGES.emptyBinary('pk'),
    'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk',
  );
  assert.equal(KEY_MESSAGES.hashKeyTooLarge, 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes');
  assert.equal(KEY_MESSAGES.rangeKeyTooLarge, 'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
  assert.equal(
    KEY_MESSAGES.indexTypeMismatch('lsi1sk', 'S', 'N', 'gsi1'),
    'One or more parameter values were invalid: Type mismatch for Index Key lsi1sk Expected: S Actual: N IndexName: gsi1',
  );
  assert.equal(
    KEY_MESSAGES.indexEmptyString('lsi1sk', 'gsi1'),
    'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi1, IndexKey: lsi1sk',
  );
  assert.equal(KEY_MESSAGES.schemaMismatch, 'The provided key element does not match the schema');
});

const OTHER_TYPES: Record<string, AttributeValue> = {
  B: { B: 'abcd' },
  N: { N: '1' },
  BOOL: { BOOL: true },
  NULL: { NULL: true },
  SS: { SS: ['a'] },
  NS: { NS: ['1'] },
  BS: { BS: ['aaaa'] },
  M: { M: {} },
  L: { L: [] },
};

test('validateKeyAttribute', () => {
  const cases: [AttributeValue | undefined, 'S' | 'N' | 'B', 'HASH' | 'RANGE', string | undefined][] = [
    [undefined, 'S', 'HASH', KEY_MESSAGES.missing('a')],
    // dynalite's captures: every other type is a mismatch for an S key.
    ...Object.entries(OTHER_TYPES).map(([t, v]): [AttributeValue, 'S', 'HASH', string] => [v, 'S', 'HASH', KEY_MESSAGES.typeMismatch('a', 'S', t)]),
    [{ S: '' }, 'S', 'HASH', KEY_MESSAGES.emptyString('a')],
    [{ B: '' }, 'B', 'RANGE', KEY_MESSAGES.emptyBinary('a')],
    [{ S: 'a'.repeat(2048) }, 'S', 'HASH', undefined],
    [{ S: 'a'.repeat(2049) }, 'S', 'HASH', KEY_MESSAGES.hashKeyTooLarge],
    [{ S: 'é'.repeat(1025) }, 'S', 'HASH', KEY_MESSAGES.hashKeyTooLarge],
    [{ S: 'a'.repeat(1024) }, 'S', 'RANGE', undefined],
    [{ S: 'a'.repeat(1025) }, 'S', 'RANGE', KEY_MESSAGES.rangeKeyTooLarge],
    [{ B: Buffer.alloc(1025).toString('base64') }, 'B', 'RANGE', KEY_MESSAGES.rangeKeyTooLarge],
    [{ B: Buffer.alloc(1024).toString('base64') }, 'B', 'RANGE', undefined],
    [{ N: '9'.repeat(38) + '0'.repeat(88) }, 'N', 'RANGE', undefined],
  ];
  for (const [value, type, role, expected] of cases) {
    const label = `${JSON.stringify(value)?.slice(0, 40)} as ${type} ${role}`;
    if (expected === undefined) assert.doesNotThrow(() => validateKeyAttribute('a', value, type, role), label);
    else assert.equal(validation(() => validateKeyAttribute('a', value, type, role)), expected, label);
  }
});

test('validateItemKeys', () => {
  const cases: [Record<string, AttributeValue>, KeySchema, string | undefined][] = [
    [{ pk: { S: 'x' } }, HASH_S, undefined],
    [{}, HASH_S, KEY_MESSAGES.missing('pk')],
    [{ b: { S: 'a' } }, HASH_S, KEY_MESSAGES.missing('pk')],
    [{ pk: { N: '5' } }, HASH_S, KEY_MESSAGES.typeMismatch('pk', 'S', 'N')],
    [{ pk: { L: [{ S: 'x' }] } }, HASH_S, KEY_MESSAGES.typeMismatch('pk', 'S', 'L')],
    [{ pk: { S: '' } }, HASH_S, KEY_MESSAGES.emptyString('pk')],
    [{ a: { S: 'a' }, b: { B: '' } }, RANGE_B, KEY_MESSAGES.emptyBinary('b')],
    [{ a: { S: 'a' } }, RANGE_B, KEY_MESSAGES.missing('b')],
    [{ p_key_xx: { S: 'foo' }, s_key: { S: 'bar' } }, RANGE_S, KEY_MESSAGES.missing('p_key')],
    [{ p_key: { S: 'foo' }, s_key_xx: { S: 'bar' } }, RANGE_S, KEY_MESSAGES.missing('s_key')],
    [{ p_key: { S: 'foo' }, s_key: { N: '1' } }, RANGE_S, KEY_MESSAGES.typeMismatch('s_key', 'S', 'N')],
    [{ p_key: { S: 'foo' }, s_key: { S: '' } }, RANGE_S, KEY_MESSAGES.emptyString('s_key')],
    // Empty values are refused before schema mismatches (AWS checks them up front).
    [{ p_key: { N: '1' }, s_key: { S: '' } }, RANGE_S, KEY_MESSAGES.emptyString('s_key')],
    [{ p_key: { S: 'a'.repeat(2049) }, s_key: { S: 'bar' } }, RANGE_S, KEY_MESSAGES.hashKeyTooLarge],
    [{ p_key: { S: 'foo' }, s_key: { S: 'a'.repeat(1025) } }, RANGE_S, KEY_MESSAGES.rangeKeyTooLarge],
    [{ p_key: { S: 'a'.repeat(2048) }, s_key: { S: 'a'.repeat(1024) } }, RANGE_S, undefined],
  ];
  for (const [item, schema, expected] of cases) {
    const label = JSON.stringify(item).slice(0, 80);
    if (expected === undefined) assert.doesNotThrow(() => validateItemKeys(item, schema), label);
    else assert.equal(validation(() => validateItemKeys(item, schema)), expected, label);
  }
});

test('validateItemKeys with secondary indexes', () => {
  const base = { p_key: { S: 'foo' }, s_key: { S: 'bar' } };
  const cases: [Record<string, AttributeValue>, string | undefined][] = [
    [{ ...base }, undefined],
    [{ ...base, gsi1_p_key: { S: 'x' } }, undefined],
    [{ ...base, gsi1_p_key: { N: '1' } }, KEY_MESSAGES.indexTypeMismatch('gsi1_p_key', 'S', 'N', 'test_gsi1')],
    [{ ...base, gsi1_s_key: { N: '1' } }, KEY_MESSAGES.indexTypeMismatch('gsi1_s_key', 'S', 'N', 'test_gsi1')],
    [{ ...base, lsi1_s_key: { N: '1' } }, KEY_MESSAGES.indexTypeMismatch('lsi1_s_key', 'S', 'N', 'test_lsi1')],
    [{ ...base, lsi1_s_key: { BOOL: true } }, KEY_MESSAGES.indexTypeMismatch('lsi1_s_key', 'S', 'BOOL', 'test_lsi1')],
    [{ ...base, lsi1_s_key: { S: '' } }, KEY_MESSAGES.indexEmptyString('lsi1_s_key', 'test_lsi1')],
    // An attribute keying several indexes is reported under the alphabetically first.
    [{ ...base, shared: { N: '5' } }, KEY_MESSAGES.indexTypeMismatch('shared', 'S', 'N', 'gsi1')],
    [{ ...base, shared: { S: '' } }, KEY_MESSAGES.indexEmptyString('shared', 'gsi1')],
    // Table keys first.
    [{ p_key: { N: '1' }, s_key: { S: 'bar' }, shared: { N: '5' } }, KEY_MESSAGES.typeMismatch('p_key', 'S', 'N')],
    // Empty values (table or index) before type mismatches.
    [{ p_key: { N: '1' }, s_key: { S: 'bar' }, shared: { S: '' } }, KEY_MESSAGES.indexEmptyString('shared', 'gsi1')],
  ];
  for (const [item, expected] of cases) {
    const label = JSON.stringify(item);
    if (expected === undefined) assert.doesNotThrow(() => validateItemKeys(item, RANGE_S, INDEXES), label);
    else assert.equal(validation(() => validateItemKeys(item, RANGE_S, INDEXES)), expected, label);
  }
  assert.doesNotThrow(() => validateIndexKeyAttribute('x', undefined, 'N', 'idx'));
  assert.equal(validation(() => validateIndexKeyAttribute('x', { B: '' }, 'B', 'idx')), KEY_MESSAGES.indexEmptyBinary('x', 'idx'));
});

test('validateKey (a Key parameter)', () => {
  const cases: [Record<string, AttributeValue>, KeySchema, string | undefined][] = [
    [{ pk: { S: 'x' } }, HASH_S, undefined],
    [{ pk: { S: '' } }, HASH_S, KEY_MESSAGES.emptyString('pk')],
    [{ pk: { N: '1' } }, HASH_S, KEY_MESSAGES.schemaMismatch],
    [{ pk: { L: [] } }, HASH_S, KEY_MESSAGES.schemaMismatch],
    [{}, HASH_S, KEY_MESSAGES.schemaMismatch],
    [{ other: { S: 'x' } }, HASH_S, KEY_MESSAGES.schemaMismatch],
    [{ pk: { S: 'x' }, extra: { S: 'y' } }, HASH_S, KEY_MESSAGES.schemaMismatch],
    [{ p_key: { S: 'foo' } }, RANGE_S, KEY_MESSAGES.schemaMismatch],
    [{ p_key: { S: 'foo' }, s_key: { N: '1' } }, RANGE_S, KEY_MESSAGES.schemaMismatch],
    [{ p_key: { S: 'foo' }, s_key: { S: '' } }, RANGE_S, KEY_MESSAGES.emptyString('s_key')],
    [{ a: { S: 'a' }, b: { B: '' } }, RANGE_B, KEY_MESSAGES.emptyBinary('b')],
    [{ pk: { S: 'a'.repeat(2049) } }, HASH_S, KEY_MESSAGES.hashKeyTooLarge],
    [{ p_key: { S: 'foo' }, s_key: { S: 'a'.repeat(1025) } }, RANGE_S, KEY_MESSAGES.rangeKeyTooLarge],
  ];
  for (const [key, schema, expected] of cases) {
    const label = JSON.stringify(key).slice(0, 80);
    if (expected === undefined) assert.doesNotThrow(() => validateKey(key, schema), label);
    else assert.equal(validation(() => validateKey(key, schema)), expected, label);
  }
});

test('envelopes', () => {
  assert.equal(oneValidationError(M.emptyStringSet), '1 validation error detected: One or more parameter values were invalid: An string set  may not be empty');
  assert.equal(
    expressionAttributeValueError(':v', `${NOT_NUMERIC}: abc`),
    'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: abc for key :v',
  );
});
