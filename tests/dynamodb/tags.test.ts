import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { awsError, startBasalt, type BasaltProcess } from '../helpers/basalt';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/tagged';
const INVALID = 'One or more parameter values were invalid: ';

describe('TagResource, UntagResource and ListTagsOfResource', () => {
  let basalt: BasaltProcess;
  let ddb: DynamoDBClient;

  before(async () => {
    basalt = await startBasalt(['--in-memory']);
    ddb = basalt.dynamodb();
    await ddb.send(
      new CreateTableCommand({
        TableName: 'tagged',
        AttributeDefinitions: [{ AttributeName: 'p', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'p', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        Tags: [{ Key: 'env', Value: 'test' }],
      }),
    );
  });
  after(async () => {
    ddb.destroy();
    await basalt.stop();
  });

  const listTags = async () => (await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: ARN }))).Tags;
  const rejects = async (promise: Promise<unknown>, name: string, message: string) => {
    const err = await awsError(promise);
    assert.equal(err.name, name);
    assert.equal(err.message, message);
  };

  it('keeps the tags given at creation, adds, replaces and removes tags', async () => {
    assert.deepEqual(await listTags(), [{ Key: 'env', Value: 'test' }]);
    await ddb.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'db' }] }));
    assert.deepEqual(await listTags(), [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'db' }]);
    await ddb.send(new UntagResourceCommand({ ResourceArn: ARN, TagKeys: ['env', 'unknown'] }));
    assert.deepEqual(await listTags(), [{ Key: 'team', Value: 'db' }]);
  });

  it('checks tags and tag keys', async () => {
    await rejects(ddb.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [] })), 'ValidationException', 'Atleast one Tag needs to be provided as Input.');
    await rejects(ddb.send(new UntagResourceCommand({ ResourceArn: ARN, TagKeys: [] })), 'ValidationException', 'Atleast one Tag Key needs to be provided as Input.');
    await rejects(ddb.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [{ Key: 'aws:owner', Value: 'x' }] })), 'ValidationException', 'Tag Key cannot be prefixed with aws:, Key: aws:owner');
    await rejects(ddb.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [{ Key: 'k', Value: 'bad|value' }] })), 'ValidationException', 'The Tag Value provided is invalid, Value: bad|value');
    await rejects(ddb.send(new UntagResourceCommand({ ResourceArn: ARN, TagKeys: ['bad|key'] })), 'ValidationException', 'The Tag Key provided is invalid, Key: bad|key');
  });

  it('holds a table to 50 tags', async () => {
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejects(ddb.send(new TagResourceCommand({ ResourceArn: ARN, Tags: tags })), 'ValidationException', 'Number of Tags exceed the current limit for the provided ResourceArn');
    assert.deepEqual(await listTags(), [{ Key: 'team', Value: 'db' }]);
  });

  it('answers bad and unknown ARNs as DynamoDB does', async () => {
    const list = (arn: string) => ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    await rejects(list('tagged'), 'ValidationException', `${INVALID}ARNs must start with 'arn:': tagged`);
    await rejects(list('arn:aws:s3:::bucket'), 'ValidationException', `${INVALID}Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::bucket`);
    await rejects(
      list(`${ARN}/index/by-x`),
      'ValidationException',
      `${INVALID}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${ARN}/index/by-x`,
    );
    const otherRegion = 'arn:aws:dynamodb:eu-west-1:000000000000:table/tagged';
    await rejects(list(otherRegion), 'ValidationException', `Invalid TableArn: Invalid ResourceArn provided as input ${otherRegion}`);
    const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/missing';
    await rejects(list(missing), 'ResourceNotFoundException', `Requested resource not found: ResourceArn: ${missing} not found`);
    await rejects(
      ddb.send(new TagResourceCommand({ ResourceArn: missing, Tags: [{ Key: 'a', Value: 'b' }] })),
      'ResourceNotFoundException',
      `Requested resource not found: ResourceArn: ${missing} not found`,
    );
  });
});
