/**
 * UpdateTable's GlobalSecondaryIndexUpdates against the table as it stands. One index may be created or
 * deleted at a time (per request and per table); a created index allocates resources while the table is
 * UPDATING, then backfills (CREATING, Backfilling true) with the table ACTIVE again, then is ACTIVE; a
 * deleted index is DELETING with the table UPDATING, then gone. Messages are DynamoDB's as recorded
 * against AWS.
 */
import { dynamoError, resourceNotFound, validationError } from '../../errors/dynamodb-errors';
import { indexHolder, mergeOnDemand, requestCapacityChange, setCapacity } from './capacity';
import { newGlobalIndex, type GlobalIndexInput } from './build';
import { inUse } from './guards';
import type { AttributeDefinition, BillingMode, GlobalIndexRecord, OnDemandThroughput, TableRecord, WarmThroughput } from './record';
import { invalidParameter, type CapacityInput } from './schema-rules';
import { checkOnDemandThroughput } from './setting-rules';

export interface IndexUpdateInput {
  Create?: GlobalIndexInput;
  Update?: { IndexName: string; ProvisionedThroughput?: Required<CapacityInput>; OnDemandThroughput?: OnDemandThroughput; WarmThroughput?: WarmThroughput };
  Delete?: { IndexName: string };
}

/** What the updates are applied with: the billing mode the table ends up in, and the transition timing. */
export interface IndexUpdateContext {
  billingMode: BillingMode;
  /** The table is switching from PAY_PER_REQUEST to PROVISIONED in this request. */
  toProvisioned: boolean;
  definitions: AttributeDefinition[];
  now: number;
  delay: number;
}

const MAX_GLOBAL_INDEXES = 20;

const onlineIndexLimit = () =>
  dynamoError('LimitExceededException', 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');

export const indexActionName = (update: IndexUpdateInput): string =>
  (update.Create ?? update.Update ?? update.Delete)!.IndexName;

const TRANSITION: Record<string, string> = { CREATING: 'created', UPDATING: 'updated', DELETING: 'deleted' };

/** The global index an Update or Delete names, or DynamoDB's answer when there is none. */
function existingIndex(table: TableRecord, name: string, action: 'update' | 'delete'): GlobalIndexRecord {
  if (table.localIndexes.some((i) => i.name === name)) {
    throw validationError(`Cannot ${action} an index that is not a GlobalSecondaryIndex: ${name}`);
  }
  const index = table.globalIndexes.find((i) => i.name === name);
  if (!index) throw resourceNotFound(`Requested resource not found: Index ${name} for table ${table.name}`);
  return index;
}

function requireIndexActive(table: TableRecord, index: GlobalIndexRecord): void {
  if (index.status !== 'ACTIVE') throw inUse(`Index is being ${TRANSITION[index.status]}. Table: ${table.name} Index: ${index.name}`);
}

function createIndex(table: TableRecord, create: GlobalIndexInput, ctx: IndexUpdateContext): void {
  const name = create.IndexName;
  if (table.globalIndexes.some((i) => i.name === name) || table.localIndexes.some((i) => i.name === name)) {
    throw validationError('Attempting to create an index which already exists');
  }
  if (table.globalIndexes.length >= MAX_GLOBAL_INDEXES) {
    throw dynamoError('LimitExceededException', `Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of ${MAX_GLOBAL_INDEXES}`);
  }
  if (ctx.billingMode === 'PROVISIONED' && !create.ProvisionedThroughput) {
    throw invalidParameter(`ProvisionedThroughput must be specified for index: ${name}`);
  }
  if (ctx.billingMode === 'PAY_PER_REQUEST' && create.ProvisionedThroughput) {
    throw invalidParameter(`Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`);
  }
  checkOnDemandThroughput(create.OnDemandThroughput, ctx.billingMode, name, false);
  for (const key of create.KeySchema) {
    if (!table.attributeDefinitions.some((d) => d.AttributeName === key.AttributeName)) {
      table.attributeDefinitions.push(ctx.definitions.find((d) => d.AttributeName === key.AttributeName)!);
    }
  }
  const allocatedAt = ctx.now + ctx.delay;
  table.globalIndexes.push(newGlobalIndex(create, ctx.billingMode, { allocatedAt, until: allocatedAt + ctx.delay }));
  markTableUpdating(table, allocatedAt);
}

function updateIndex(table: TableRecord, update: NonNullable<IndexUpdateInput['Update']>, ctx: IndexUpdateContext): void {
  const index = existingIndex(table, update.IndexName, 'update');
  requireIndexActive(table, index);
  const name = index.name;
  const capacity = update.ProvisionedThroughput;
  if (ctx.billingMode === 'PAY_PER_REQUEST') {
    if (capacity) {
      throw invalidParameter(`Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`);
    }
    if (!update.OnDemandThroughput && !update.WarmThroughput) {
      throw invalidParameter(`The only Updates for index: ${name} when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput`);
    }
  } else if (!capacity && !update.WarmThroughput) {
    throw invalidParameter(`ProvisionedThroughput must be specified for index: ${name}`);
  }
  checkOnDemandThroughput(update.OnDemandThroughput, ctx.billingMode, name, true);
  if (capacity && ctx.toProvisioned) {
    index.throughput = setCapacity(index.throughput, capacity.ReadCapacityUnits, capacity.WriteCapacityUnits);
  } else if (capacity) {
    index.throughput = requestCapacityChange(index.throughput, capacity, indexHolder(name));
    index.status = 'UPDATING';
    index.until = ctx.now + ctx.delay;
  }
  if (update.OnDemandThroughput) {
    const onDemand = mergeOnDemand(index.onDemand, update.OnDemandThroughput);
    if (onDemand) index.onDemand = onDemand;
    else delete index.onDemand;
  }
  if (update.WarmThroughput) index.warm = { ...index.warm, ...update.WarmThroughput };
}

function deleteIndex(table: TableRecord, name: string, ctx: IndexUpdateContext): void {
  const index = existingIndex(table, name, 'delete');
  // An index still CREATING may be dropped: its allocation phase already holds the table UPDATING.
  if (index.status !== 'CREATING') requireIndexActive(table, index);
  index.status = 'DELETING';
  index.until = ctx.now + ctx.delay;
  delete index.allocatedAt;
  markTableUpdating(table, index.until);
}

export function markTableUpdating(table: TableRecord, until: number): void {
  table.status = 'UPDATING';
  table.until = Math.max(table.until, until);
}

/** Applies the updates to `table` (a copy the caller owns), or throws without having changed the store. */
export function applyIndexUpdates(table: TableRecord, updates: readonly IndexUpdateInput[], ctx: IndexUpdateContext): void {
  const online = updates.filter((u) => u.Create ?? u.Delete);
  const busy = table.globalIndexes.filter((i) => i.status === 'CREATING' || i.status === 'DELETING');
  if (online.length > 1 || (online.length === 1 && busy.some((i) => i.name !== indexActionName(online[0]!)))) throw onlineIndexLimit();
  for (const update of updates) {
    if (update.Create) createIndex(table, update.Create, ctx);
    else if (update.Update) updateIndex(table, update.Update, ctx);
    else deleteIndex(table, update.Delete!.IndexName, ctx);
  }
}

/** Switching to PROVISIONED needs capacity for every global index that stays. */
export function requireIndexCapacity(table: TableRecord, updates: readonly IndexUpdateInput[]): void {
  for (const index of table.globalIndexes) {
    const update = updates.find((u) => indexActionName(u) === index.name);
    if (!update?.Delete && !update?.Update?.ProvisionedThroughput) {
      throw invalidParameter(`ProvisionedThroughput must be specified for index: ${index.name}`);
    }
  }
}
