import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { awsError } from '../helpers/basalt';
import { N, S, pkSkTable } from '../helpers/items';
import { useBasalt } from '../helpers/suite';
import { HASH, S as defS, tableInput } from '../helpers/tables';


describe('Query', () => {
  const suite = useBasalt();

  before(async () => {
    await suite.ddb.send(
      new CreateTableCommand(pkSkTable('qnum', 'N')),
    );
    await suite.ddb.send(
      new CreateTableCommand(pkSkTable('qstr', 'S')),
    );
    // Numbers out of text order: -5, 0.5, 2, 10, 100 ... sorted numerically.
    const numbers = [100, -5, 2, 10, 0.5, 3, 1e3, -100];
    for (const n of numbers) {
      await suite.ddb.send(new PutItemCommand({ TableName: 'qnum', Item: { pk: S('a'), sk: N(n), v: N(n), big: S('x'.repeat(10)) } }));
    }
    await suite.ddb.send(new PutItemCommand({ TableName: 'qnum', Item: { pk: S('b'), sk: N(1) } }));
    // Strings by UTF-8 bytes: 'A' < 'a' < 'z' < '¿' < '\uFF61' < '😀'.
    for (const s of ['😀', 'z', 'a', '\uFF61', 'A', '¿', 'ab', 'abc', 'b']) {
      await suite.ddb.send(new PutItemCommand({ TableName: 'qstr', Item: { pk: S('p'), sk: S(s) } }));
    }
  });

  const sks = (items: Record<string, AttributeValue>[] | undefined) => (items ?? []).map((i) => (i.sk as { N?: string; S?: string }).N ?? (i.sk as { S: string }).S);

  it('returns a partition in numeric sort key order, forward and backward', async () => {
    const forward = await suite.ddb.send(new QueryCommand({ TableName: 'qnum', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') } }));
    assert.deepEqual(sks(forward.Items), ['-100', '-5', '0.5', '2', '3', '10', '100', '1000']);
    assert.equal(forward.Count, 8);
    assert.equal(forward.ScannedCount, 8);
    assert.equal(forward.LastEvaluatedKey, undefined);
    const backward = await suite.ddb.send(
      new QueryCommand({ TableName: 'qnum', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, ScanIndexForward: false }),
    );
    assert.deepEqual(sks(backward.Items), ['1000', '100', '10', '3', '2', '0.5', '-5', '-100']);
  });

  it('orders strings by UTF-8 bytes', async () => {
    const r = await suite.ddb.send(new QueryCommand({ TableName: 'qstr', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') } }));
    assert.deepEqual(sks(r.Items), ['A', 'a', 'ab', 'abc', 'b', 'z', '¿', '\uFF61', '😀']);
  });

  it('supports every sort key operator', async () => {
    const q = async (expr: string, values: Record<string, AttributeValue>, table = 'qnum') =>
      sks((await suite.ddb.send(new QueryCommand({ TableName: table, KeyConditionExpression: expr, ExpressionAttributeValues: values }))).Items);
    assert.deepEqual(await q('pk = :p AND sk = :v', { ':p': S('a'), ':v': N('2.0') }), ['2']);
    assert.deepEqual(await q('pk = :p AND sk < :v', { ':p': S('a'), ':v': N(2) }), ['-100', '-5', '0.5']);
    assert.deepEqual(await q('pk = :p AND sk <= :v', { ':p': S('a'), ':v': N(2) }), ['-100', '-5', '0.5', '2']);
    assert.deepEqual(await q('pk = :p AND sk > :v', { ':p': S('a'), ':v': N(10) }), ['100', '1000']);
    assert.deepEqual(await q('pk = :p AND sk >= :v', { ':p': S('a'), ':v': N(10) }), ['10', '100', '1000']);
    assert.deepEqual(await q(':v <= sk AND pk = :p', { ':p': S('a'), ':v': N(10) }), ['10', '100', '1000']);
    assert.deepEqual(await q('pk = :p AND sk BETWEEN :x AND :y', { ':p': S('a'), ':x': N(-5), ':y': N(3) }), ['-5', '0.5', '2', '3']);
    assert.deepEqual(await q('pk = :p AND begins_with(sk, :x)', { ':p': S('p'), ':x': S('a') }, 'qstr'), ['a', 'ab', 'abc']);
    assert.deepEqual(await q('pk = :p AND begins_with(sk, :x)', { ':p': S('p'), ':x': S('ab') }, 'qstr'), ['ab', 'abc']);
    assert.deepEqual(await q('pk = :p', { ':p': S('nobody') }), []);
  });

  it('legacy KeyConditions and QueryFilter', async () => {
    const r = await suite.ddb.send(
      new QueryCommand({
        TableName: 'qnum',
        KeyConditions: {
          pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] },
          sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N(0), N(100)] },
        },
        QueryFilter: { v: { ComparisonOperator: 'GT', AttributeValueList: [N(2)] } },
        AttributesToGet: ['sk'],
      }),
    );
    assert.deepEqual(r.Items, [{ sk: N(3) }, { sk: N(10) }, { sk: N(100) }]);
    assert.equal(r.Count, 3);
    assert.equal(r.ScannedCount, 5);
  });

  it('filters after Limit and pages with LastEvaluatedKey', async () => {
    const r = await suite.ddb.send(
      new QueryCommand({
        TableName: 'qnum',
        KeyConditionExpression: 'pk = :p',
        FilterExpression: 'v > :z',
        ExpressionAttributeValues: { ':p': S('a'), ':z': N(0) },
        Limit: 3,
      }),
    );
    assert.equal(r.ScannedCount, 3);
    assert.equal(r.Count, 1);
    assert.deepEqual(r.LastEvaluatedKey, { pk: S('a'), sk: N('0.5') });
    const seen: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    let pages = 0;
    do {
      const page = await suite.ddb.send(
        new QueryCommand({ TableName: 'qnum', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, Limit: 3, ExclusiveStartKey: start, ScanIndexForward: false }),
      );
      seen.push(...sks(page.Items));
      start = page.LastEvaluatedKey;
      pages++;
    } while (start);
    assert.deepEqual(seen, ['1000', '100', '10', '3', '2', '0.5', '-5', '-100']);
    assert.equal(pages, 3);
  });

  it('Select COUNT, ProjectionExpression and consumed capacity', async () => {
    const count = await suite.ddb.send(
      new QueryCommand({ TableName: 'qnum', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, Select: 'COUNT', ReturnConsumedCapacity: 'TOTAL' }),
    );
    assert.equal(count.Items, undefined);
    assert.equal(count.Count, 8);
    assert.deepEqual(count.ConsumedCapacity, { TableName: 'qnum', CapacityUnits: 0.5 });
    const projected = await suite.ddb.send(
      new QueryCommand({
        TableName: 'qnum',
        KeyConditionExpression: '#k = :p AND sk = :s',
        ProjectionExpression: 'v, #k',
        ExpressionAttributeNames: { '#k': 'pk' },
        ExpressionAttributeValues: { ':p': S('a'), ':s': N(3) },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    assert.deepEqual(projected.Items, [{ v: N(3), pk: S('a') }]);
    assert.deepEqual(projected.ConsumedCapacity, { TableName: 'qnum', CapacityUnits: 1 });
  });

  it('pages at 1 MB of items, measured before the filter', async () => {
    const big = 'x'.repeat(300_000);
    for (let i = 0; i < 5; i++) await suite.ddb.send(new PutItemCommand({ TableName: 'qnum', Item: { pk: S('big'), sk: N(i), payload: S(big) } }));
    const r = await suite.ddb.send(
      new QueryCommand({ TableName: 'qnum', KeyConditionExpression: 'pk = :p', FilterExpression: 'attribute_not_exists(payload)', ExpressionAttributeValues: { ':p': S('big') } }),
    );
    assert.equal(r.Count, 0);
    assert.equal(r.ScannedCount, 4);
    assert.deepEqual(r.LastEvaluatedKey, { pk: S('big'), sk: N(3) });
    const rest = await suite.ddb.send(
      new QueryCommand({ TableName: 'qnum', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('big') }, ExclusiveStartKey: r.LastEvaluatedKey }),
    );
    assert.equal(rest.Count, 1);
    assert.equal(rest.LastEvaluatedKey, undefined);
  });

  it('pages items returned as stored at exactly the same 1 MB as items read and filtered', async () => {
    // Binary values take a third more room as base64 JSON than their size: the page's JSON passes 1 MB
    // well before its items do, so the stored path must size items exactly near the limit.
    const blob = new Uint8Array(99_000).fill(7);
    for (let i = 0; i < 14; i++) await suite.ddb.send(new PutItemCommand({ TableName: 'qnum', Item: { pk: S('blobs'), sk: N(i), b: { B: blob } } }));
    const base = { TableName: 'qnum', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('blobs') }, ReturnConsumedCapacity: 'TOTAL' as const };
    const stored = await suite.ddb.send(new QueryCommand(base));
    const parsed = await suite.ddb.send(new QueryCommand({ ...base, FilterExpression: 'attribute_exists(b)' }));
    assert.equal(stored.Count, 11);
    assert.deepEqual(stored.LastEvaluatedKey, { pk: S('blobs'), sk: N(10) });
    for (const member of ['Count', 'ScannedCount', 'LastEvaluatedKey', 'ConsumedCapacity'] as const) assert.deepEqual(stored[member], parsed[member], member);
  });

  it('answers items returned as stored exactly as items read and filtered', async () => {
    // Without filter or projection the stored JSON is spliced into the answer; a filter that keeps
    // everything takes the parsed path. Both must agree on items, counts, pages and capacity.
    const odd = { S: 'é€😀 "q" \\ \n\t\u0001 \ud800' };
    for (let i = 0; i < 30; i++) {
      const item: Record<string, AttributeValue> = { pk: S('same'), sk: N(i), text: odd, n: N(`-${i}.50E-3`), '1': { BOOL: i % 2 === 0 } };
      if (i % 3 === 0) item.nested = { M: { l: { L: [{ NULL: true }, { SS: ['a', 'ü'] }, { B: new Uint8Array([1, 2, 3]) }] }, 'ñ': { NS: ['1', '2.5'] } } };
      if (i > 20) item.v = N(i);
      await suite.ddb.send(new PutItemCommand({ TableName: 'qnum', Item: item }));
    }
    const base = { TableName: 'qnum', KeyConditionExpression: 'pk = :p', ReturnConsumedCapacity: 'TOTAL' as const };
    const keepAll = { FilterExpression: 'attribute_exists(v) OR attribute_not_exists(v)' };
    for (const extra of [{}, { Limit: 7 }, { Limit: 30 }, { ScanIndexForward: false, Limit: 4 }, { Select: 'COUNT' as const }]) {
      const stored = await suite.ddb.send(new QueryCommand({ ...base, ...extra, ExpressionAttributeValues: { ':p': S('same') } }));
      const parsed = await suite.ddb.send(new QueryCommand({ ...base, ...extra, ...keepAll, ExpressionAttributeValues: { ':p': S('same') } }));
      assert.deepEqual(stored.Items, parsed.Items, JSON.stringify(extra));
      for (const member of ['Count', 'ScannedCount', 'LastEvaluatedKey', 'ConsumedCapacity'] as const) assert.deepEqual(stored[member], parsed[member], member);
    }
    const all = await suite.ddb.send(new QueryCommand({ ...base, ExpressionAttributeValues: { ':p': S('same') } }));
    assert.equal(all.Count, 30);
    assert.deepEqual(all.Items![3]!.text, odd);
    assert.deepEqual(all.Items![3]!.nested, { M: { l: { L: [{ NULL: true }, { SS: ['a', 'ü'] }, { B: new Uint8Array([1, 2, 3]) }] }, 'ñ': { NS: ['1', '2.5'] } } });
  });

  it("DynamoDB's key condition errors", async () => {
    const fail = async (input: Partial<ConstructorParameters<typeof QueryCommand>[0]>, message: string) => {
      const err = await awsError(suite.ddb.send(new QueryCommand({ TableName: 'qnum', ...input })));
      assert.equal(err.name, 'ValidationException');
      assert.equal(err.message, message);
    };
    const v = { ':p': S('a'), ':v': N(1) };
    await fail({ KeyConditionExpression: 'sk = :v', ExpressionAttributeValues: { ':v': N(1) } }, 'Query condition missed key schema element: pk');
    await fail({ KeyConditionExpression: 'pk = :p AND extra = :v', ExpressionAttributeValues: v }, 'Query condition missed key schema element: sk');
    await fail({ KeyConditionExpression: 'pk > :p', ExpressionAttributeValues: { ':p': S('a') } }, 'Query key condition not supported');
    // begins_with on a number sort key: a number operand fails the expression's type check, a string one the
    // key schema's; the legacy KeyConditions refuse BEGINS_WITH of a number outright.
    await fail(
      { KeyConditionExpression: 'pk = :p AND begins_with(sk, :v)', ExpressionAttributeValues: v },
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
    await fail(
      { KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': S('a'), ':s': S('1') } },
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    );
    await fail(
      { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] }, sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [N(1)] } } },
      'One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type',
    );
    await fail({ KeyConditionExpression: 'pk = :p OR sk = :v', ExpressionAttributeValues: v }, 'Invalid operator used in KeyConditionExpression: OR');
    await fail({ KeyConditionExpression: 'pk = :p AND sk <> :v', ExpressionAttributeValues: v }, 'Invalid operator used in KeyConditionExpression: <>');
    await fail({ KeyConditionExpression: 'pk = :p AND attribute_exists(sk)', ExpressionAttributeValues: { ':p': S('a') } }, 'Invalid operator used in KeyConditionExpression: attribute_exists');
    await fail({ KeyConditionExpression: 'pk = :p AND pk = :p', ExpressionAttributeValues: { ':p': S('a') } }, 'KeyConditionExpressions must only contain one condition per key');
    await fail({ KeyConditionExpression: 'pk = :p AND sk.x = :v', ExpressionAttributeValues: v }, 'KeyConditionExpressions cannot have conditions on nested attributes');
    await fail({ KeyConditionExpression: 'pk = :p AND sk = :v', ExpressionAttributeValues: { ':p': S('a'), ':v': S('1') } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type');
    await fail({}, 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    await fail(
      { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] }, sk: { ComparisonOperator: 'NULL' }, v: { ComparisonOperator: 'NULL' } } },
      'Conditions can be of length 1 or 2 only',
    );
    await fail(
      { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] }, sk: { ComparisonOperator: 'NOT_NULL' } } },
      'Attempted conditional constraint is not an indexable operation',
    );
    await fail(
      { KeyConditionExpression: 'pk = :p', FilterExpression: 'sk > :v', ExpressionAttributeValues: v },
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
    );
    await fail(
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, ExclusiveStartKey: { pk: S('a') } },
      'The provided starting key is invalid: The provided key element does not match the schema',
    );
    await fail(
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, ExclusiveStartKey: { pk: S('b'), sk: N(1) } },
      'The provided starting key is outside query boundaries based on provided conditions',
    );
    // Query's Select messages come in the "1 validation error detected: " envelope; Scan's do not (scan.test.ts).
    await fail(
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, Select: 'ALL_PROJECTED_ATTRIBUTES' },
      '1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName',
    );
    await fail(
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, Select: 'COUNT', ProjectionExpression: 'v' },
      '1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count',
    );
    await fail(
      { KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] } }, Select: 'ALL_ATTRIBUTES', AttributesToGet: ['v'] },
      '1 validation error detected: Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES',
    );
    await fail(
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, Select: 'SPECIFIC_ATTRIBUTES' },
      '1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
    );
    await fail(
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') }, IndexName: 'nope' },
      'The table does not have the specified index: nope',
    );
    const missing = await awsError(suite.ddb.send(new QueryCommand({ TableName: 'nothere', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('a') } })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.message, 'Requested resource not found');
  });

  it('Query of a hash-only key refuses a second condition', async () => {
    await suite.ddb.send(
      new CreateTableCommand(tableInput('hash', { AttributeDefinitions: [defS('id')], KeySchema: [HASH('id')] })),
    );
    await suite.ddb.send(new BatchWriteItemCommand({ RequestItems: { hash: [{ PutRequest: { Item: { id: S('x'), n: N(1) } } }] } }));
    const r = await suite.ddb.send(new QueryCommand({ TableName: 'hash', KeyConditionExpression: 'id = :i', ExpressionAttributeValues: { ':i': S('x') } }));
    assert.deepEqual(r.Items, [{ id: S('x'), n: N(1) }]);
    const err = await awsError(
      suite.ddb.send(new QueryCommand({ TableName: 'hash', KeyConditionExpression: 'id = :i AND n = :n', ExpressionAttributeValues: { ':i': S('x'), ':n': N(1) } })),
    );
    assert.equal(err.message, 'Query key condition not supported');
  });
});
