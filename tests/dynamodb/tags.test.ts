import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { rejectsWith } from '../helpers/aws-assert';
import { useBasalt } from '../helpers/suite';
import { tableInput } from '../helpers/tables';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/tagged';
const INVALID = 'One or more parameter values were invalid: ';

describe('TagResource, UntagResource and ListTagsOfResource', () => {
  const server = useBasalt();

  before(async () => {
    await server.ddb.send(new CreateTableCommand(tableInput('tagged', { Tags: [{ Key: 'env', Value: 'test' }] })));
  });

  const listTags = async () => (await server.ddb.send(new ListTagsOfResourceCommand({ ResourceArn: ARN }))).Tags;

  it('keeps the tags given at creation, adds, replaces and removes tags', async () => {
    assert.deepEqual(await listTags(), [{ Key: 'env', Value: 'test' }]);
    await server.ddb.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'db' }] }));
    assert.deepEqual(await listTags(), [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'db' }]);
    await server.ddb.send(new UntagResourceCommand({ ResourceArn: ARN, TagKeys: ['env', 'unknown'] }));
    assert.deepEqual(await listTags(), [{ Key: 'team', Value: 'db' }]);
  });

  it('checks tags and tag keys', async () => {
    await rejectsWith(server.ddb.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [] })), 'ValidationException', 'Atleast one Tag needs to be provided as Input.');
    await rejectsWith(server.ddb.send(new UntagResourceCommand({ ResourceArn: ARN, TagKeys: [] })), 'ValidationException', 'Atleast one Tag Key needs to be provided as Input.');
    await rejectsWith(server.ddb.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [{ Key: 'aws:owner', Value: 'x' }] })), 'ValidationException', 'Tag Key cannot be prefixed with aws:, Key: aws:owner');
    await rejectsWith(server.ddb.send(new TagResourceCommand({ ResourceArn: ARN, Tags: [{ Key: 'k', Value: 'bad|value' }] })), 'ValidationException', 'The Tag Value provided is invalid, Value: bad|value');
    await rejectsWith(server.ddb.send(new UntagResourceCommand({ ResourceArn: ARN, TagKeys: ['bad|key'] })), 'ValidationException', 'The Tag Key provided is invalid, Key: bad|key');
  });

  it('holds a table to 50 tags', async () => {
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejectsWith(server.ddb.send(new TagResourceCommand({ ResourceArn: ARN, Tags: tags })), 'ValidationException', 'Number of Tags exceed the current limit for the provided ResourceArn');
    assert.deepEqual(await listTags(), [{ Key: 'team', Value: 'db' }]);
  });

  it('answers bad and unknown ARNs as DynamoDB does', async () => {
    const list = (arn: string) => server.ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    await rejectsWith(list('tagged'), 'ValidationException', `${INVALID}ARNs must start with 'arn:': tagged`);
    await rejectsWith(list('arn:aws:s3:::bucket'), 'ValidationException', `${INVALID}Provided Arn is not a DynamoDB resource arn: arn:aws:s3:::bucket`);
    await rejectsWith(
      list(`${ARN}/index/by-x`),
      'ValidationException',
      `${INVALID}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${ARN}/index/by-x`,
    );
    const otherRegion = 'arn:aws:dynamodb:eu-west-1:000000000000:table/tagged';
    await rejectsWith(list(otherRegion), 'ValidationException', `Invalid TableArn: Invalid ResourceArn provided as input ${otherRegion}`);
    const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/missing';
    await rejectsWith(list(missing), 'ResourceNotFoundException', `Requested resource not found: ResourceArn: ${missing} not found`);
    await rejectsWith(
      server.ddb.send(new TagResourceCommand({ ResourceArn: missing, Tags: [{ Key: 'a', Value: 'b' }] })),
      'ResourceNotFoundException',
      `Requested resource not found: ResourceArn: ${missing} not found`,
    );
  });
});
