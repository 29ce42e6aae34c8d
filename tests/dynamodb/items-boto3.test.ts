import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { python } from '../helpers/python';
import { useBasalt } from '../helpers/suite';

/** A boto3 client against Basalt: create a table, put and get an item, and fail a conditional put. */
const SCRIPT = `
import json, sys, boto3
from botocore.exceptions import ClientError
ddb = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1',
                   aws_access_key_id='test', aws_secret_access_key='test')
ddb.create_table(TableName='Music', BillingMode='PAY_PER_REQUEST',
    AttributeDefinitions=[{'AttributeName': 'Artist', 'AttributeType': 'S'}, {'AttributeName': 'SongTitle', 'AttributeType': 'S'}],
    KeySchema=[{'AttributeName': 'Artist', 'KeyType': 'HASH'}, {'AttributeName': 'SongTitle', 'KeyType': 'RANGE'}])
out = {}
r = ddb.put_item(TableName='Music', ReturnConsumedCapacity='TOTAL', Item={
    'AlbumTitle': {'S': 'Somewhat Famous'}, 'Artist': {'S': 'No One You Know'}, 'SongTitle': {'S': 'Call Me Today'}})
out['consumed'] = r['ConsumedCapacity']
key = {'Artist': {'S': 'No One You Know'}, 'SongTitle': {'S': 'Call Me Today'}}
out['item'] = ddb.get_item(TableName='Music', Key=key)['Item']
try:
    ddb.put_item(TableName='Music', Item=dict(key), ConditionExpression='attribute_not_exists(Artist)',
                 ReturnValuesOnConditionCheckFailure='ALL_OLD')
    out['error'] = None
except ClientError as e:
    # With the item, DynamoDB's body names the message 'Message', which botocore does not lift to the top.
    out['error'] = {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'item': e.response.get('Item'),
                    'top': e.response.get('message')}
try:
    ddb.put_item(TableName='Music', Item=dict(key), ConditionExpression='attribute_not_exists(Artist)')
except ClientError as e:
    out['bare'] = {'message': e.response['Error']['Message'], 'top': e.response.get('message'), 'item': e.response.get('Item')}
try:
    ddb.put_item(TableName='Music', Item=dict(key), Expected={'Artist': {'Exists': True}})
except ClientError as e:
    out['expected'] = {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message']}
print(json.dumps(out))
`;

/** boto3 reads answers whose items are the stored JSON spliced in: text with escapes, binary, pages. */
const READS = `
import json, sys, boto3
ddb = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1',
                   aws_access_key_id='test', aws_secret_access_key='test')
ddb.create_table(TableName='Reads', BillingMode='PAY_PER_REQUEST',
    AttributeDefinitions=[{'AttributeName': 'p', 'AttributeType': 'S'}, {'AttributeName': 's', 'AttributeType': 'N'}],
    KeySchema=[{'AttributeName': 'p', 'KeyType': 'HASH'}, {'AttributeName': 's', 'KeyType': 'RANGE'}])
text = 'é€😀 "q" \\\\ \\n\\t'
for i in range(25):
    ddb.put_item(TableName='Reads', Item={'p': {'S': 'x'}, 's': {'N': str(i)}, 't': {'S': text}, 'b': {'B': bytes([i, 255])}})
pages = ddb.get_paginator('query').paginate(TableName='Reads', KeyConditionExpression='p = :p',
    ExpressionAttributeValues={':p': {'S': 'x'}}, PaginationConfig={'PageSize': 10})
items = [item for page in pages for item in page['Items']]
scanned = [item for page in ddb.get_paginator('scan').paginate(TableName='Reads', PaginationConfig={'PageSize': 7}) for item in page['Items']]
print(json.dumps({'count': len(items), 'sorted': [int(i['s']['N']) for i in items] == list(range(25)),
    'text': all(i['t']['S'] == text for i in items), 'binary': all(i['b']['B'] == bytes([int(i['s']['N']), 255]) for i in items),
    'scan': len(scanned), 'same': sorted(json.dumps(i, default=list, sort_keys=True) for i in scanned) == sorted(json.dumps(i, default=list, sort_keys=True) for i in items)}))
`;

describe('boto3 cross-check', () => {
  const suite = useBasalt();

  it('put_item / get_item with a condition', async () => {
    const run = await python(SCRIPT, suite.basalt.endpoint, [suite.basalt.endpoint]);
    assert.equal(run.code, 0, run.stderr);
    const stdout = run.stdout;
    const result = JSON.parse(stdout);
    assert.deepEqual(result.consumed, { TableName: 'Music', CapacityUnits: 1.0 });
    assert.deepEqual(result.item, { AlbumTitle: { S: 'Somewhat Famous' }, Artist: { S: 'No One You Know' }, SongTitle: { S: 'Call Me Today' } });
    assert.deepEqual(result.error, {
      code: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
      item: { AlbumTitle: { S: 'Somewhat Famous' }, Artist: { S: 'No One You Know' }, SongTitle: { S: 'Call Me Today' } },
      top: null,
    });
    assert.deepEqual(result.bare, { message: 'The conditional request failed', top: 'The conditional request failed', item: null });
    assert.deepEqual(result.expected, {
      code: 'ValidationException',
      message: 'One or more parameter values were invalid: Exists is set to TRUE for attribute Artist, Value must also be set',
    });
  });

  it('query and scan paginators over items with escapes, non-ASCII text and binary', async () => {
    const run = await python(READS, suite.basalt.endpoint, [suite.basalt.endpoint]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { count: 25, sorted: true, text: true, binary: true, scan: 25, same: true });
  });
});
