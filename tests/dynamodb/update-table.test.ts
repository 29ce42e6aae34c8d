import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
  type CreateTableCommandInput,
  type UpdateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { rejectsWith } from '../helpers/aws-assert';
import { useBasalt } from '../helpers/suite';
import { HASH, provisioned, S, tableInput } from '../helpers/tables';

const INVALID = 'One or more parameter values were invalid: ';
const NOTHING_TO_UPDATE =
  'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, ' +
  'MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required';

describe('UpdateTable', () => {
  const server = useBasalt();

  /** A provisioned table (hash key p, 1/1) with global index by-g (2/2) on attribute g. */
  const create = (name: string, overrides: Partial<CreateTableCommandInput> = {}) =>
    server.ddb.send(
      new CreateTableCommand(
        tableInput(name, {
          AttributeDefinitions: [S('p'), S('g')],
          ...provisioned(1, 1),
          GlobalSecondaryIndexes: [
            { IndexName: 'by-g', KeySchema: [HASH('g')], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } },
          ],
          ...overrides,
        }),
      ),
    );
  const update = (input: UpdateTableCommandInput) => server.ddb.send(new UpdateTableCommand(input));
  const describeTable = async (name: string) => (await server.ddb.send(new DescribeTableCommand({ TableName: name }))).Table!;
  const rejects = (input: UpdateTableCommandInput, name: string, message: string) => rejectsWith(update(input), name, message);
  const invalid = (input: UpdateTableCommandInput, message: string) => rejects(input, 'ValidationException', message);

  before(async () => {
    await create('rules');
  });

  it('needs something to update', async () => {
    await invalid({ TableName: 'rules' }, NOTHING_TO_UPDATE);
    await invalid({ TableName: 'rules', GlobalSecondaryIndexUpdates: [] }, NOTHING_TO_UPDATE);
    await invalid({ TableName: 'rules', AttributeDefinitions: [{ AttributeName: 'p', AttributeType: 'S' }] }, NOTHING_TO_UPDATE);
    await invalid({ TableName: 'rules', GlobalSecondaryIndexUpdates: [], DeletionProtectionEnabled: true }, `${INVALID}List of GlobalSecondaryIndexUpdates is empty`);
  });

  it('keeps some changes apart', async () => {
    const capacity = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
    const newIndex = {
      Create: { IndexName: 'by-p', KeySchema: [{ AttributeName: 'p', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const }, ProvisionedThroughput: capacity },
    };
    await invalid(
      { TableName: 'rules', SSESpecification: { Enabled: true }, DeletionProtectionEnabled: true },
      `${INVALID}Server-Side Encryption modification must be the only operation in the request`,
    );
    await invalid({ TableName: 'rules', TableClass: 'STANDARD', ProvisionedThroughput: capacity }, `${INVALID}TableClass modification must be the only operation in the request`);
    await invalid(
      { TableName: 'rules', ProvisionedThroughput: capacity, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } },
      `${INVALID}You cannot modify stream status while updating table IOPS`,
    );
    await invalid({ TableName: 'rules', ProvisionedThroughput: capacity, GlobalSecondaryIndexUpdates: [newIndex] }, `${INVALID}You cannot create or delete index while updating table IOPS`);
  });

  it('checks each index action', async () => {
    await invalid(
      { TableName: 'rules', GlobalSecondaryIndexUpdates: [{}] },
      `${INVALID}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null`,
    );
    await invalid(
      { TableName: 'rules', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-g' }, Update: { IndexName: 'by-g', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 } } }] },
      `${INVALID}Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object`,
    );
    await invalid(
      { TableName: 'rules', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-g' } }, { Delete: { IndexName: 'by-g' } }] },
      `${INVALID}Only one global secondary index update per index is allowed simultaneously. Index: by-g`,
    );
    await invalid(
      {
        TableName: 'rules',
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-x', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
      },
      `${INVALID}AttributeDefinitions is not specified for index: by-x`,
    );
    await rejects(
      { TableName: 'rules', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'nope' } }] },
      'ResourceNotFoundException',
      'Requested resource not found: Index nope for table rules',
    );
    await invalid(
      {
        TableName: 'rules',
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } },
        ],
      },
      'Attempting to create an index which already exists',
    );
    await rejects(
      {
        TableName: 'rules',
        AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'b', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: ['a', 'b'].map((key) => ({
          Create: { IndexName: `by-${key}`, KeySchema: [{ AttributeName: key, KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
        })),
      },
      'LimitExceededException',
      'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
    );
  });

  it('refuses capacity that would not change, and capacity on an on-demand table', async () => {
    await invalid(
      { TableName: 'rules', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
      'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 1. ' +
        'Requested ReadCapacityUnits: 1. Current WriteCapacityUnits provisioned for the table: 1. Requested WriteCapacityUnits: 1. ' +
        'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );
    await invalid(
      { TableName: 'rules', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'by-g', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } } }] },
      'The provisioned throughput for the index by-g will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for index by-g: 2. ' +
        'Requested ReadCapacityUnits: 2. Current WriteCapacityUnits provisioned for index by-g: 2. Requested WriteCapacityUnits: 2. ' +
        'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );
    await invalid({ TableName: 'rules', BillingMode: 'PROVISIONED' }, `${INVALID}ProvisionedThroughput must be specified when BillingMode is PROVISIONED`);
    await invalid(
      { TableName: 'rules', BillingMode: 'PAY_PER_REQUEST', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } },
      `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
    );
  });

  it('says which table is missing', async () => {
    await rejects({ TableName: 'missing', DeletionProtectionEnabled: true }, 'ResourceNotFoundException', 'Requested resource not found: Table: missing not found');
  });

  it('changes capacity: UPDATING with the old values, then the new ones with their dates', async () => {
    await create('capacity');
    const { TableDescription: during } = await update({ TableName: 'capacity', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 1 } });
    assert.equal(during!.TableStatus, 'UPDATING');
    assert.equal(during!.ProvisionedThroughput!.ReadCapacityUnits, 1);
    const increased = await describeTable('capacity');
    assert.equal(increased.TableStatus, 'ACTIVE');
    assert.equal(increased.ProvisionedThroughput!.ReadCapacityUnits, 5);
    assert.ok(increased.ProvisionedThroughput!.LastIncreaseDateTime instanceof Date);

    await update({ TableName: 'capacity', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 } });
    const decreased = await describeTable('capacity');
    assert.equal(decreased.ProvisionedThroughput!.NumberOfDecreasesToday, 1);
    assert.ok(decreased.ProvisionedThroughput!.LastDecreaseDateTime instanceof Date);

    const { TableDescription: index } = await update({
      TableName: 'capacity',
      GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'by-g', ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 7 } } }],
    });
    assert.equal(index!.TableStatus, 'ACTIVE');
    assert.equal(index!.GlobalSecondaryIndexes![0]!.IndexStatus, 'UPDATING');
    assert.equal(index!.GlobalSecondaryIndexes![0]!.ProvisionedThroughput!.ReadCapacityUnits, 2);
    assert.equal((await describeTable('capacity')).GlobalSecondaryIndexes![0]!.ProvisionedThroughput!.ReadCapacityUnits, 7);
  });

  it('switches billing modes, asking capacity for every index when going PROVISIONED', async () => {
    await create('billing');
    const { TableDescription: onDemand } = await update({ TableName: 'billing', BillingMode: 'PAY_PER_REQUEST' });
    assert.equal(onDemand!.TableStatus, 'UPDATING');
    assert.equal(onDemand!.BillingModeSummary!.BillingMode, 'PAY_PER_REQUEST');
    assert.ok(onDemand!.BillingModeSummary!.LastUpdateToPayPerRequestDateTime instanceof Date);
    assert.equal(onDemand!.ProvisionedThroughput!.ReadCapacityUnits, 0);

    await invalid(
      { TableName: 'billing', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 } },
      `${INVALID}ProvisionedThroughput must be specified for index: by-g`,
    );
    await invalid(
      { TableName: 'billing', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'by-g', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 } } }] },
      `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: by-g when BillingMode is PAY_PER_REQUEST`,
    );
    const { TableDescription: provisioned } = await update({
      TableName: 'billing',
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
      GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'by-g', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 } } }],
    });
    assert.equal(provisioned!.BillingModeSummary!.BillingMode, 'PROVISIONED');
    assert.equal(provisioned!.ProvisionedThroughput!.WriteCapacityUnits, 4);
    assert.equal(provisioned!.GlobalSecondaryIndexes![0]!.ProvisionedThroughput!.WriteCapacityUnits, 6);
  });

  it('creates a global index (CREATING, backfilling, ACTIVE) and deletes one (DELETING, gone)', async () => {
    await create('indexed', { BillingMode: 'PAY_PER_REQUEST', ProvisionedThroughput: undefined, GlobalSecondaryIndexes: undefined, AttributeDefinitions: [S('p')] });
    const { TableDescription: creating } = await update({
      TableName: 'indexed',
      AttributeDefinitions: [{ AttributeName: 'n', AttributeType: 'N' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-n', KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }],
    });
    assert.equal(creating!.TableStatus, 'UPDATING');
    assert.equal(creating!.GlobalSecondaryIndexes![0]!.IndexStatus, 'CREATING');
    assert.equal(creating!.GlobalSecondaryIndexes![0]!.Backfilling, false);
    const active = await describeTable('indexed');
    assert.equal(active.TableStatus, 'ACTIVE');
    assert.equal(active.GlobalSecondaryIndexes![0]!.IndexStatus, 'ACTIVE');
    assert.equal(active.GlobalSecondaryIndexes![0]!.Backfilling, undefined);
    assert.deepEqual(active.AttributeDefinitions, [{ AttributeName: 'n', AttributeType: 'N' }, { AttributeName: 'p', AttributeType: 'S' }]);

    const { TableDescription: deleting } = await update({ TableName: 'indexed', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-n' } }] });
    assert.equal(deleting!.TableStatus, 'UPDATING');
    assert.equal(deleting!.GlobalSecondaryIndexes![0]!.IndexStatus, 'DELETING');
    const gone = await describeTable('indexed');
    assert.equal(gone.GlobalSecondaryIndexes, undefined);
    assert.deepEqual(gone.AttributeDefinitions, [{ AttributeName: 'p', AttributeType: 'S' }]);
  });

  it('enables and disables streams, keeping the latest stream ARN', async () => {
    await create('streamed');
    await invalid({ TableName: 'streamed', StreamSpecification: { StreamEnabled: true } }, `${INVALID}If stream is being enabled then UpdateViewType is required`);
    await invalid({ TableName: 'streamed', StreamSpecification: { StreamEnabled: false } }, 'Table has no stream to disable: TableName: streamed');
    const { TableDescription: enabled } = await update({ TableName: 'streamed', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
    assert.deepEqual(enabled!.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    assert.equal(enabled!.LatestStreamArn, `${enabled!.TableArn}/stream/${enabled!.LatestStreamLabel}`);
    await invalid({ TableName: 'streamed', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }, 'Table already has an enabled stream: TableName: streamed');
    const { TableDescription: disabled } = await update({ TableName: 'streamed', StreamSpecification: { StreamEnabled: false } });
    assert.equal(disabled!.StreamSpecification, undefined);
    assert.equal(disabled!.LatestStreamArn, enabled!.LatestStreamArn);
  });

  it('changes deletion protection, table class and encryption', async () => {
    await create('settings');
    assert.equal((await update({ TableName: 'settings', DeletionProtectionEnabled: true })).TableDescription!.DeletionProtectionEnabled, true);
    const classed = (await update({ TableName: 'settings', TableClass: 'STANDARD_INFREQUENT_ACCESS' })).TableDescription!;
    assert.equal(classed.TableClassSummary!.TableClass, 'STANDARD_INFREQUENT_ACCESS');
    assert.ok(classed.TableClassSummary!.LastUpdateDateTime instanceof Date);
    await invalid({ TableName: 'settings', SSESpecification: { Enabled: false } }, `${INVALID}Table is already encrypted by default`);
    const encrypted = (await update({ TableName: 'settings', SSESpecification: { Enabled: true } })).TableDescription!;
    assert.equal(encrypted.SSEDescription!.Status, 'ENABLED');
    await invalid(
      { TableName: 'settings', SSESpecification: { Enabled: true } },
      `${INVALID}Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key`,
    );
  });
});
