import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { python } from '../helpers/python';
import { BatchWriteItemCommand, CreateTableCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { awsError } from '../helpers/basalt';
import { N, S, pkSkTable } from '../helpers/items';
import { useBasalt } from '../helpers/suite';


/** boto3's paginators over Query and Scan, and a parallel scan in 4 segments. */
const SCRIPT = `
import json, sys, boto3
ddb = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1',
                   aws_access_key_id='test', aws_secret_access_key='test')
out = {}
keys = []
for page in ddb.get_paginator('scan').paginate(TableName='scanned', PaginationConfig={'PageSize': 37}):
    keys += [i['pk']['S'] + '/' + i['sk']['N'] for i in page['Items']]
out['scan'] = keys
q = []
for page in ddb.get_paginator('query').paginate(TableName='scanned', KeyConditionExpression='pk = :p',
        ExpressionAttributeValues={':p': {'S': 'p3'}}, PaginationConfig={'PageSize': 4}):
    q += [int(i['sk']['N']) for i in page['Items']]
out['query'] = q
segments = []
for segment in range(4):
    seg = []
    for page in ddb.get_paginator('scan').paginate(TableName='scanned', Segment=segment, TotalSegments=4, PaginationConfig={'PageSize': 10}):
        seg += [i['pk']['S'] + '/' + i['sk']['N'] for i in page['Items']]
    segments.append(seg)
out['segments'] = segments
print(json.dumps(out))
`;

describe('Scan', () => {
  const suite = useBasalt();
  const all: string[] = [];

  before(async () => {
    await suite.ddb.send(
      new CreateTableCommand(pkSkTable('scanned', 'N')),
    );
    let batch: { PutRequest: { Item: Record<string, AttributeValue> } }[] = [];
    for (let p = 0; p < 40; p++) {
      for (let s = 0; s < 10; s++) {
        batch.push({ PutRequest: { Item: { pk: S(`p${p}`), sk: N(s), even: { BOOL: s % 2 === 0 } } } });
        all.push(`p${p}/${s}`);
        if (batch.length === 25) {
          await suite.ddb.send(new BatchWriteItemCommand({ RequestItems: { scanned: batch } }));
          batch = [];
        }
      }
    }
  });

  const key = (i: Record<string, AttributeValue>) => `${i.pk!.S}/${i.sk!.N}`;

  it('pages through the whole table exactly once', async () => {
    const seen: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await suite.ddb.send(new ScanCommand({ TableName: 'scanned', Limit: 33, ExclusiveStartKey: start }));
      assert.ok(page.Count! <= 33);
      seen.push(...page.Items!.map(key));
      start = page.LastEvaluatedKey;
    } while (start);
    assert.deepEqual([...seen].sort(), [...all].sort());
  });

  it('filters (expression and legacy), projects and counts', async () => {
    const r = await suite.ddb.send(new ScanCommand({ TableName: 'scanned', FilterExpression: 'even = :t AND sk > :n', ExpressionAttributeValues: { ':t': { BOOL: true }, ':n': N(6) }, ProjectionExpression: 'sk' }));
    assert.equal(r.Count, 40);
    assert.equal(r.ScannedCount, 400);
    assert.ok(r.Items!.every((i) => Object.keys(i).join() === 'sk' && i.sk!.N === '8'));
    const legacy = await suite.ddb.send(
      new ScanCommand({ TableName: 'scanned', ScanFilter: { sk: { ComparisonOperator: 'IN', AttributeValueList: [N(1), N(2)] } }, Select: 'COUNT', ReturnConsumedCapacity: 'TOTAL' }),
    );
    assert.equal(legacy.Count, 80);
    assert.equal(legacy.Items, undefined);
    assert.equal(legacy.ConsumedCapacity!.TableName, 'scanned');
  });

  it('parallel scan segments cover the table with no overlap and no gap', async () => {
    for (const total of [1, 3, 7]) {
      const seen: string[] = [];
      for (let segment = 0; segment < total; segment++) {
        let start: Record<string, AttributeValue> | undefined;
        do {
          const page = await suite.ddb.send(new ScanCommand({ TableName: 'scanned', Segment: segment, TotalSegments: total, Limit: 50, ExclusiveStartKey: start }));
          seen.push(...page.Items!.map(key));
          start = page.LastEvaluatedKey;
        } while (start);
      }
      assert.deepEqual([...seen].sort(), [...all].sort(), `TotalSegments ${total}`);
    }
  });

  it("DynamoDB's Segment / TotalSegments, start key and Select errors", async () => {
    const fail = async (input: Partial<ConstructorParameters<typeof ScanCommand>[0]>, message: string) => {
      const err = await awsError(suite.ddb.send(new ScanCommand({ TableName: 'scanned', ...input })));
      assert.equal(err.name, 'ValidationException');
      assert.equal(err.message, message);
    };
    await fail({ Segment: 1 }, 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
    await fail({ TotalSegments: 2 }, 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
    await fail({ Segment: 2, TotalSegments: 2 }, 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is out of bounds for TotalSegments: 2');
    await fail({ ExclusiveStartKey: { pk: S('p1') } }, 'The provided starting key is invalid: The provided key element does not match the schema');
    await fail({ Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'sk' }, 'Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES');
    await fail({ Select: 'COUNT', AttributesToGet: ['sk'] }, 'Cannot specify the AttributesToGet when choosing to get only the Count');
    await fail({ Select: 'SPECIFIC_ATTRIBUTES' }, 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
    // "Querying" even in a Scan, as DynamoDB words it.
    await fail({ Select: 'ALL_PROJECTED_ATTRIBUTES' }, 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
    await fail({ FilterExpression: 'sk > :n', ScanFilter: { sk: { ComparisonOperator: 'NULL' } } }, 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}');
    // Find a key of segment 0 of 2 and use it with segment 1.
    const first = await suite.ddb.send(new ScanCommand({ TableName: 'scanned', Segment: 0, TotalSegments: 2, Limit: 1 }));
    await fail(
      { Segment: 1, TotalSegments: 2, ExclusiveStartKey: first.LastEvaluatedKey! },
      'The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 1',
    );
  });

  it('boto3 paginators return every item exactly once; 4 segments return the table exactly once', async () => {
    const run = await python(SCRIPT, suite.basalt.endpoint, [suite.basalt.endpoint]);
    assert.equal(run.code, 0, run.stderr);
    const stdout = run.stdout;
    const out = JSON.parse(stdout) as { scan: string[]; query: number[]; segments: string[][] };
    assert.equal(out.scan.length, all.length);
    assert.deepEqual([...out.scan].sort(), [...all].sort());
    assert.deepEqual(out.query, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const union = out.segments.flat();
    assert.equal(union.length, all.length);
    assert.deepEqual([...union].sort(), [...all].sort());
    assert.ok(out.segments.every((s) => s.length > 0), 'every segment gets a share');
  });
});
