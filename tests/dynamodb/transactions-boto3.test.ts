import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { python } from '../helpers/python';
import { startBasalt, type BasaltProcess } from '../helpers/basalt';

/** boto3 against Basalt: a transaction cancelled by a failed condition, and a transactional read. */
const SCRIPT = `
import json, sys, boto3
from botocore.exceptions import ClientError
ddb = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1',
                   aws_access_key_id='test', aws_secret_access_key='test')
ddb.create_table(TableName='Accounts', BillingMode='PAY_PER_REQUEST',
    AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}],
    KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}])
ddb.put_item(TableName='Accounts', Item={'id': {'S': 'a'}, 'balance': {'N': '5'}})
out = {}
try:
    ddb.transact_write_items(TransactItems=[
        {'Put': {'TableName': 'Accounts', 'Item': {'id': {'S': 'b'}, 'balance': {'N': '0'}}}},
        {'Update': {'TableName': 'Accounts', 'Key': {'id': {'S': 'a'}}, 'UpdateExpression': 'SET balance = balance - :x',
                    'ConditionExpression': 'balance >= :x', 'ExpressionAttributeValues': {':x': {'N': '10'}},
                    'ReturnValuesOnConditionCheckFailure': 'ALL_OLD'}},
    ])
    out['error'] = None
except ClientError as e:
    out['error'] = {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'],
                    'reasons': e.response.get('CancellationReasons')}
r = ddb.transact_get_items(TransactItems=[{'Get': {'TableName': 'Accounts', 'Key': {'id': {'S': 'a'}}}},
                                          {'Get': {'TableName': 'Accounts', 'Key': {'id': {'S': 'b'}}}}],
                           ReturnConsumedCapacity='TOTAL')
out['responses'] = r['Responses']
out['consumed'] = r['ConsumedCapacity']
print(json.dumps(out))
`;

describe('boto3 transactions cross-check', () => {
  let basalt: BasaltProcess;
  before(async () => {
    basalt = await startBasalt(['--in-memory']);
  });
  after(async () => {
    await basalt.stop();
  });

  it('transact_write_items CancellationReasons and transact_get_items', async () => {
    const run = await python(SCRIPT, basalt.endpoint, [basalt.endpoint]);
    assert.equal(run.code, 0, run.stderr);
    const stdout = run.stdout;
    const result = JSON.parse(stdout);
    assert.deepEqual(result.error, {
      code: 'TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
      reasons: [
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: { S: 'a' }, balance: { N: '5' } } },
      ],
    });
    assert.deepEqual(result.responses, [{ Item: { id: { S: 'a' }, balance: { N: '5' } } }, {}]);
    assert.deepEqual(result.consumed, [{ TableName: 'Accounts', CapacityUnits: 4.0 }]);
  });
});
