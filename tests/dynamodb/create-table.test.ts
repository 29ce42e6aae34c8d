import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { rejectsWith } from '../helpers/aws-assert';
import { useBasalt } from '../helpers/suite';
import { HASH, RANGE, S, tableInput } from '../helpers/tables';

const ALL = { ProjectionType: 'ALL' as const };
const INVALID = 'One or more parameter values were invalid: ';

/** A valid on-demand table with hash key a and range key b; cases override what they test. */
function table(overrides: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput {
  return tableInput('abc', { AttributeDefinitions: [S('a'), S('b')], KeySchema: [HASH('a'), RANGE('b')], ...overrides });
}

const lsi = (name: string, keys: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[] = [HASH('a'), RANGE('b')]) => ({ IndexName: name, KeySchema: keys, Projection: ALL });
const gsi = (name: string, keys: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[] = [HASH('b')]) => ({ IndexName: name, KeySchema: keys, Projection: ALL });

describe('CreateTable', () => {
  const server = useBasalt();

  const rejects = (input: CreateTableCommandInput, name: string, message: string) => rejectsWith(server.ddb.send(new CreateTableCommand(input)), name, message);
  const invalid = (input: CreateTableCommandInput, message: string) => rejects(input, 'ValidationException', message);

  describe('validation', () => {
    it('applies the billing-mode rules', async () => {
      await invalid(
        table({ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
        `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
      );
      await invalid(
        table({ BillingMode: undefined }),
        `${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`,
      );
      await invalid(
        table({ BillingMode: 'PROVISIONED' }),
        `${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`,
      );
      await invalid(
        table({ BillingMode: undefined, ProvisionedThroughput: { ReadCapacityUnits: 1000000000001, WriteCapacityUnits: 1000000000001 } }),
        'Given value 1000000000001 for ReadCapacityUnits is out of bounds',
      );
      await invalid(
        table({ BillingMode: undefined, ProvisionedThroughput: { ReadCapacityUnits: 1000000000000, WriteCapacityUnits: 1000000000001 } }),
        'Given value 1000000000001 for WriteCapacityUnits is out of bounds',
      );
      await invalid(
        table({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, OnDemandThroughput: { MaxReadRequestUnits: 5 } }),
        `${INVALID}MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED`,
      );
      await invalid(
        table({ OnDemandThroughput: { MaxWriteRequestUnits: 0 } }),
        `${INVALID}Requested MaxWriteRequestUnits for OnDemandThroughput for table is outside of valid range`,
      );
    });

    it('checks the stream and encryption settings', async () => {
      await invalid(table({ StreamSpecification: { StreamEnabled: true } }), `${INVALID}Table is being created with a stream enabled, UpdateViewType is required`);
      await invalid(
        table({ StreamSpecification: { StreamEnabled: false, StreamViewType: 'NEW_IMAGE' } }),
        `${INVALID}Table is being created with a stream disabled, UpdateViewType should not be specified`,
      );
      await invalid(table({ SSESpecification: { Enabled: false, SSEType: 'KMS' } }), `${INVALID}SSEType can not be specified if Enabled is false`);
      await invalid(table({ SSESpecification: { Enabled: true, SSEType: 'AES256' } }), `${INVALID}SSEType AES256 is not supported`);
      await invalid(table({ SSESpecification: { Enabled: true, KMSMasterKeyId: 'k' } }), `${INVALID}SSEType KMS is required if KMSMasterKeyId is specified`);
    });

    it('requires attribute definitions to cover exactly the table key', async () => {
      await invalid(table({ AttributeDefinitions: [S('a'), S('a')], KeySchema: [HASH('a')] }), 'Attribute Name is duplicated: a');
      await invalid(table({ AttributeDefinitions: [S('b')], KeySchema: [HASH('a'), RANGE('b')] }), 'Invalid KeySchema: Some index key attribute have no definition');
      await invalid(table({ AttributeDefinitions: [S('a')], KeySchema: [HASH('a'), HASH('a')] }), 'Invalid KeySchema: Some index key attribute have no definition');
      await invalid(
        table({ AttributeDefinitions: [S('b')], KeySchema: [HASH('a')] }),
        `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]`,
      );
      await invalid(
        table({ AttributeDefinitions: [S('a'), S('c'), S('b')] }),
        `${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`,
      );
      await invalid(
        table({ KeySchema: [HASH('a')] }),
        `${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`,
      );
    });

    it('checks the order and names of key elements', async () => {
      await invalid(table({ KeySchema: [HASH('a'), HASH('a')] }), 'Both the Hash Key and the Range Key element in the KeySchema have the same name');
      await invalid(table({ KeySchema: [HASH('a'), HASH('b')] }), 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
      await invalid(table({ KeySchema: [RANGE('a'), HASH('b')] }), 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
      await invalid(table({ KeySchema: [RANGE('a'), RANGE('b')] }), 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    });

    it('rejects attribute definitions no key uses when there are indexes', async () => {
      await invalid(
        table({ AttributeDefinitions: [S('a'), S('b'), S('c')], GlobalSecondaryIndexes: [gsi('gi1')] }),
        `${INVALID}Some AttributeDefinitions are not used. AttributeDefinitions: [a, b, c], keys used: [a, b]`,
      );
    });

    it('applies the local index rules', async () => {
      await invalid(table({ LocalSecondaryIndexes: [] }), `${INVALID}List of LocalSecondaryIndexes is empty`);
      await invalid(
        table({ KeySchema: [HASH('a')], AttributeDefinitions: [S('a'), S('b')], LocalSecondaryIndexes: [lsi('abc', [HASH('a'), RANGE('b')])] }),
        `${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`,
      );
      await invalid(
        table({ AttributeDefinitions: [S('a'), S('b'), S('c')], LocalSecondaryIndexes: [lsi('abc', [HASH('a'), RANGE('d')]), lsi('abd', [HASH('a'), RANGE('c')])] }),
        `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [a, d], AttributeDefinitions: [a, b, c]`,
      );
      await invalid(table({ LocalSecondaryIndexes: [lsi('abc', [RANGE('a')])] }), 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
      await invalid(table({ LocalSecondaryIndexes: [lsi('abc', [HASH('b')])] }), `${INVALID}Index KeySchema does not have a range key for index: abc`);
      await invalid(
        table({ LocalSecondaryIndexes: [lsi('abc', [HASH('b'), RANGE('a')])] }),
        `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: abc. index hash key: b, table hash key: a`,
      );
      await invalid(table({ LocalSecondaryIndexes: [lsi('abc'), lsi('abc')] }), `${INVALID}Duplicate index name: abc`);
      await invalid(
        table({ LocalSecondaryIndexes: ['ls1', 'ls2', 'ls3', 'ls4', 'ls5', 'ls6'].map((n) => lsi(n)) }),
        `${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5`,
      );
    });

    it('applies the projection rules', async () => {
      const withProjection = (Projection: object) => table({ LocalSecondaryIndexes: [{ ...lsi('abc'), Projection }] });
      await invalid(withProjection({}), `${INVALID}Unknown ProjectionType: null`);
      await invalid(withProjection({ NonKeyAttributes: ['x'] }), `${INVALID}Unknown ProjectionType: null`);
      await invalid(withProjection({ ProjectionType: 'ALL', NonKeyAttributes: ['x'] }), `${INVALID}ProjectionType is ALL, but NonKeyAttributes is specified`);
      await invalid(withProjection({ ProjectionType: 'KEYS_ONLY', NonKeyAttributes: ['x'] }), `${INVALID}ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified`);
      await invalid(withProjection({ ProjectionType: 'INCLUDE' }), `${INVALID}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`);
      await invalid(withProjection({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['x', 'x'] }), `${INVALID}Duplicate element in NonKeyAttributes: x`);
    });

    it('applies the global index rules', async () => {
      await invalid(table({ GlobalSecondaryIndexes: [] }), `${INVALID}List of GlobalSecondaryIndexes is empty`);
      await invalid(
        table({ GlobalSecondaryIndexes: [gsi('gi1', [HASH('c')])] }),
        `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [c], AttributeDefinitions: [a, b]`,
      );
      await invalid(table({ GlobalSecondaryIndexes: [gsi('gi1', [HASH('b'), RANGE('b')])] }), 'Both the Hash Key and the Range Key element in the KeySchema have the same name');
      await invalid(table({ GlobalSecondaryIndexes: [gsi('gi1', [HASH('a'), HASH('b')])] }), 'Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
      await invalid(
        table({ GlobalSecondaryIndexes: [{ ...gsi('gi1'), ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }] }),
        `${INVALID}ProvisionedThroughput should not be specified for index: gi1 when BillingMode is PAY_PER_REQUEST`,
      );
      await invalid(
        table({ BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, GlobalSecondaryIndexes: [gsi('gi1')] }),
        `${INVALID}ProvisionedThroughput is not specified for index: gi1`,
      );
      await invalid(table({ LocalSecondaryIndexes: [lsi('dup')], GlobalSecondaryIndexes: [gsi('dup')] }), `${INVALID}Duplicate index name: dup`);
      await invalid(
        table({ GlobalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => gsi(`gsi${i}`)) }),
        `${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of 20`,
      );
    });

    it('applies the tag rules', async () => {
      await invalid(table({ Tags: [{ Key: 'a|b', Value: 'v' }] }), 'The Tag Key provided is invalid, Key: a|b');
      await invalid(table({ Tags: [{ Key: 'aws:x', Value: 'v' }] }), 'Tag Key cannot be prefixed with aws:, Key: aws:x');
      await invalid(table({ Tags: [{ Key: 'k', Value: 'a|b' }] }), 'The Tag Value provided is invalid, Value: a|b');
      await invalid(table({ Tags: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] }), 'Duplicate Tag Keys provided as input: Duplicate Tag Key found k');
    });
  });

  describe('success', () => {
    it('answers CREATING with the full description, then refuses the same name', async () => {
      const before = Date.now() / 1000;
      const out = await server.ddb.send(
        new CreateTableCommand(
          table({
            TableName: 'created-table',
            AttributeDefinitions: [S('b'), S('a'), S('c')],
            LocalSecondaryIndexes: [{ ...lsi('by-c', [HASH('a'), RANGE('c')]), Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['z', 'y'] } }],
            GlobalSecondaryIndexes: [gsi('by-b')],
            StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
            SSESpecification: { Enabled: true },
            TableClass: 'STANDARD_INFREQUENT_ACCESS',
            DeletionProtectionEnabled: true,
            Tags: [{ Key: 'team', Value: 'core' }],
          }),
        ),
      );
      const desc = out.TableDescription!;
      assert.equal(desc.TableStatus, 'CREATING');
      assert.equal(desc.TableName, 'created-table');
      assert.match(desc.TableId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(desc.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/created-table');
      assert.ok(desc.CreationDateTime!.getTime() / 1000 >= before - 1);
      assert.deepEqual(desc.AttributeDefinitions, [S('a'), S('b'), S('c')]);
      assert.deepEqual(desc.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
      assert.equal(desc.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
      assert.deepEqual(desc.BillingModeSummary?.LastUpdateToPayPerRequestDateTime, desc.CreationDateTime);
      assert.deepEqual(desc.LocalSecondaryIndexes, [
        {
          IndexName: 'by-c',
          KeySchema: [HASH('a'), RANGE('c')],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['y', 'z'] },
          IndexSizeBytes: 0,
          ItemCount: 0,
          IndexArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/created-table/index/by-c',
        },
      ]);
      const [global] = desc.GlobalSecondaryIndexes!;
      assert.equal(global!.IndexStatus, 'CREATING');
      assert.equal(global!.Backfilling, undefined);
      assert.equal(global!.IndexArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/created-table/index/by-b');
      assert.deepEqual(desc.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
      assert.match(desc.LatestStreamLabel!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
      assert.equal(desc.LatestStreamArn, `${desc.TableArn}/stream/${desc.LatestStreamLabel}`);
      assert.equal(desc.SSEDescription?.Status, 'ENABLED');
      assert.equal(desc.SSEDescription?.SSEType, 'KMS');
      assert.match(desc.SSEDescription!.KMSMasterKeyArn!, /^arn:aws:kms:us-east-1:000000000000:key\//);
      assert.equal(desc.TableClassSummary?.TableClass, 'STANDARD_INFREQUENT_ACCESS');
      assert.equal(desc.DeletionProtectionEnabled, true);
      assert.deepEqual(desc.WarmThroughput, { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' });

      await rejects(table({ TableName: 'created-table' }), 'ResourceInUseException', 'Table already exists: created-table');
    });

    it('omits BillingModeSummary when no billing mode was given', async () => {
      const out = await server.ddb.send(
        new CreateTableCommand(table({ TableName: 'provisioned-table', BillingMode: undefined, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 } })),
      );
      const desc = out.TableDescription!;
      assert.equal(desc.BillingModeSummary, undefined);
      assert.deepEqual(desc.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 6 });
      assert.equal(desc.StreamSpecification, undefined);
      assert.equal(desc.SSEDescription, undefined);
      assert.equal(desc.DeletionProtectionEnabled, false);
    });

    it('accepts a table ARN as the name', async () => {
      const out = await server.ddb.send(new CreateTableCommand(table({ TableName: 'arn:aws:dynamodb:us-east-1:000000000000:table/by-arn' })));
      assert.equal(out.TableDescription!.TableName, 'by-arn');
    });
  });
});
