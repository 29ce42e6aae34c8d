import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { python } from '../helpers/python';
import { startBasalt, type BasaltProcess } from '../helpers/basalt';

/**
 * boto3 against Basalt: execute_statement INSERT / SELECT / UPDATE with parameters, a DuplicateItemException,
 * and an execute_transaction cancelled with its CancellationReasons.
 */
const SCRIPT = `
import json, sys, boto3
from botocore.exceptions import ClientError
ddb = boto3.client('dynamodb', endpoint_url=sys.argv[1], region_name='us-east-1',
                   aws_access_key_id='test', aws_secret_access_key='test')
ddb.create_table(TableName='Songs', BillingMode='PAY_PER_REQUEST',
    AttributeDefinitions=[{'AttributeName': 'artist', 'AttributeType': 'S'}, {'AttributeName': 'song', 'AttributeType': 'S'}],
    KeySchema=[{'AttributeName': 'artist', 'KeyType': 'HASH'}, {'AttributeName': 'song', 'KeyType': 'RANGE'}])
out = {}
def error(call):
    try:
        call()
        return None
    except ClientError as e:
        return {'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'],
                'reasons': e.response.get('CancellationReasons')}
out['insert'] = ddb.execute_statement(Statement="INSERT INTO Songs VALUE {'artist': ?, 'song': ?, 'plays': ?}",
    Parameters=[{'S': 'a'}, {'S': 'one'}, {'N': '1'}], ReturnConsumedCapacity='TOTAL')
out['update'] = ddb.execute_statement(Statement='UPDATE Songs SET plays = plays + ? WHERE artist = ? AND song = ? RETURNING ALL NEW *',
    Parameters=[{'N': '2'}, {'S': 'a'}, {'S': 'one'}])
out['select'] = ddb.execute_statement(Statement='SELECT song, plays FROM Songs WHERE artist = ?', Parameters=[{'S': 'a'}])
out['duplicate'] = error(lambda: ddb.execute_statement(Statement="INSERT INTO Songs VALUE {'artist': 'a', 'song': 'one'}"))
ddb.execute_statement(Statement="INSERT INTO Songs VALUE {'artist': 'b', 'song': 'x'}")
out['cancelled'] = error(lambda: ddb.execute_transaction(TransactStatements=[
    {'Statement': "INSERT INTO Songs VALUE {'artist': 'a', 'song': 'two'}"},
    {'Statement': "INSERT INTO Songs VALUE {'artist': 'b', 'song': 'x'}"},
    {'Statement': 'UPDATE Songs SET plays = 0 WHERE artist = ? AND song = ? AND plays > ?',
     'Parameters': [{'S': 'a'}, {'S': 'one'}, {'N': '10'}], 'ReturnValuesOnConditionCheckFailure': 'ALL_OLD'},
]))
out['after'] = ddb.execute_statement(Statement="SELECT song FROM Songs WHERE artist = 'a'")['Items']
for k in ('insert', 'update', 'select'):
    out[k].pop('ResponseMetadata', None)
print(json.dumps(out))
`;

describe('boto3 PartiQL cross-check', () => {
  let basalt: BasaltProcess;
  before(async () => {
    basalt = await startBasalt(['--in-memory']);
  });
  after(async () => {
    await basalt.stop();
  });

  it('execute_statement and execute_transaction', async () => {
    const run = await python(SCRIPT, basalt.endpoint, [basalt.endpoint]);
    assert.equal(run.code, 0, run.stderr);
    const stdout = run.stdout;
    const result = JSON.parse(stdout);
    assert.deepEqual(result.insert, { Items: [], ConsumedCapacity: { TableName: 'Songs', CapacityUnits: 1.0 } });
    assert.deepEqual(result.update, { Items: [{ artist: { S: 'a' }, song: { S: 'one' }, plays: { N: '3' } }] });
    assert.deepEqual(result.select, { Items: [{ song: { S: 'one' }, plays: { N: '3' } }] });
    assert.deepEqual(result.duplicate, { code: 'DuplicateItemException', message: 'Duplicate primary key exists in table', reasons: null });
    assert.deepEqual(result.cancelled, {
      code: 'TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem, ConditionalCheckFailed]',
      reasons: [
        { Code: 'None' },
        { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { artist: { S: 'a' }, song: { S: 'one' }, plays: { N: '3' } } },
      ],
    });
    assert.deepEqual(result.after, [{ song: { S: 'one' } }]);
  });
});
