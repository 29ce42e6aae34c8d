/**
 * TableDescription, as CreateTable, DescribeTable and UpdateTable return it, and the shorter one DeleteTable
 * returns (no CreationDateTime, schema or indexes). Times go out as epoch seconds, which the SDKs read as
 * timestamps.
 */
import { decreasesToday } from './lifecycle';
import { indexArn, streamArn, tableArn, type Scope } from './arn';
import type { GlobalIndexRecord, TableRecord, Throughput, WarmThroughput } from './record';

type Description = Record<string, unknown>;

const seconds = (time: number): number => time / 1000;

/** On-demand tables and indexes start warm at 12,000 reads and 4,000 writes per second. */
const ON_DEMAND_WARM = { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000 };

function describeThroughput(throughput: Throughput, now: number): Description {
  return {
    ...(throughput.lastIncreaseAt !== undefined && { LastIncreaseDateTime: seconds(throughput.lastIncreaseAt) }),
    ...(throughput.lastDecreaseAt !== undefined && { LastDecreaseDateTime: seconds(throughput.lastDecreaseAt) }),
    NumberOfDecreasesToday: decreasesToday(throughput, now),
    ReadCapacityUnits: throughput.read,
    WriteCapacityUnits: throughput.write,
  };
}

function describeWarm(record: TableRecord, throughput: Throughput, warm: WarmThroughput | undefined): Description {
  const base =
    record.billingMode === 'PAY_PER_REQUEST'
      ? ON_DEMAND_WARM
      : { ReadUnitsPerSecond: throughput.read, WriteUnitsPerSecond: throughput.write };
  return { ...base, ...warm, Status: 'ACTIVE' };
}

function describeGlobalIndex(record: TableRecord, index: GlobalIndexRecord, scope: Scope, now: number): Description {
  return {
    IndexName: index.name,
    KeySchema: index.keySchema,
    Projection: index.projection,
    IndexStatus: index.status,
    // Strictly after: the UpdateTable answer that starts an allocation says false even with no delay.
    ...(index.status === 'CREATING' && index.allocatedAt !== undefined && { Backfilling: now > index.allocatedAt }),
    ProvisionedThroughput: describeThroughput(index.throughput, now),
    IndexSizeBytes: index.sizeBytes ?? 0,
    ItemCount: index.itemCount ?? 0,
    IndexArn: indexArn(scope, record.name, index.name),
    ...(index.onDemand && { OnDemandThroughput: index.onDemand }),
    WarmThroughput: describeWarm(record, index.throughput, index.warm),
  };
}

/** The fields every description carries, DeleteTable's included. */
function describeCommon(record: TableRecord, scope: Scope, now: number): Description {
  return {
    TableName: record.name,
    TableStatus: record.status,
    ProvisionedThroughput: describeThroughput(record.throughput, now),
    TableSizeBytes: record.sizeBytes,
    ItemCount: record.itemCount,
    TableArn: tableArn(scope, record.name),
    TableId: record.tableId ?? record.id,
    ...(record.billingModeReported && {
      BillingModeSummary: {
        BillingMode: record.billingMode,
        ...(record.lastUpdateToPayPerRequestAt !== undefined && {
          LastUpdateToPayPerRequestDateTime: seconds(record.lastUpdateToPayPerRequestAt),
        }),
      },
    }),
  };
}

function describeStream(record: TableRecord, scope: Scope): Description {
  const stream = record.stream;
  if (!stream) return {};
  return {
    ...(stream.enabled && { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.viewType } }),
    LatestStreamLabel: stream.label,
    LatestStreamArn: streamArn(scope, record.name, stream.label),
  };
}

export function describeTable(record: TableRecord, scope: Scope, now: number): Description {
  const common = describeCommon(record, scope, now);
  const sortedDefinitions = [...record.attributeDefinitions].sort((a, b) => (a.AttributeName < b.AttributeName ? -1 : 1));
  return {
    AttributeDefinitions: sortedDefinitions,
    TableName: common.TableName,
    KeySchema: record.keySchema,
    TableStatus: common.TableStatus,
    CreationDateTime: seconds(record.createdAt),
    // Spreading keeps TableName and TableStatus where they were first placed, DynamoDB's order.
    ...common,
    ...(record.localIndexes.length > 0 && {
      LocalSecondaryIndexes: record.localIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: index.keySchema,
        Projection: index.projection,
        IndexSizeBytes: index.sizeBytes ?? 0,
        ItemCount: index.itemCount ?? 0,
        IndexArn: indexArn(scope, record.name, index.name),
      })),
    }),
    ...(record.globalIndexes.length > 0 && {
      GlobalSecondaryIndexes: record.globalIndexes.map((index) => describeGlobalIndex(record, index, scope, now)),
    }),
    ...describeStream(record, scope),
    ...(record.sse && { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: record.sse.kmsMasterKeyArn } }),
    ...(record.tableClass && {
      TableClassSummary: {
        TableClass: record.tableClass.value,
        ...(record.tableClass.lastUpdateAt !== undefined && { LastUpdateDateTime: seconds(record.tableClass.lastUpdateAt) }),
      },
    }),
    DeletionProtectionEnabled: record.deletionProtection,
    ...(record.onDemand && { OnDemandThroughput: record.onDemand }),
    WarmThroughput: describeWarm(record, record.throughput, record.warm),
  };
}

/** DeleteTable's description: DynamoDB leaves out the creation time, the schema and the indexes. */
export function describeDeletedTable(record: TableRecord, scope: Scope, now: number): Description {
  return describeCommon(record, scope, now);
}
