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
    out['error'] = {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'item': e.response.get('Item')}
try:
    ddb.put_item(TableName='Music', Item=dict(key), Expected={'Artist': {'Exists': True}})
except ClientError as e:
    out['expected'] = {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message']}
print(json.dumps(out))
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
    });
    assert.deepEqual(result.expected, {
      code: 'ValidationException',
      message: 'One or more parameter values were invalid: Exists is set to TRUE for attribute Artist, Value must also be set',
    });
  });
});
