/**
 * UpdateTable. `validate` holds the rules on the request alone (something to do, which changes may share a
 * request, well-formed index actions); `handle` applies the changes to the ACTIVE table, each with its own
 * rules against the table's state, and writes nothing if any is refused. Capacity changes, billing
 * switches, stream changes, deletion protection and index creation or deletion make the table UPDATING.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { Transaction } from '../../storage/engine';
import type { Operation, OperationContext } from '../operation';
import { backfillStep, beginBackfill, continueBackfill, INLINE_BACKFILL } from '../indexes/backfill';
import { indexRange } from '../indexes/layout';
import { kmsMasterKeyArn, streamLabel, type SseInput } from '../tables/build';
import { mergeOnDemand, requestCapacityChange, setCapacity, TABLE_HOLDER } from '../tables/capacity';
import { requireTable, saveTable } from '../tables/catalogue';
import { withStats } from '../tables/stats';
import { describeTable } from '../tables/describe';
import { requireActive } from '../tables/guards';
import { applyIndexUpdates, indexActionName, markTableUpdating, requireIndexCapacity, type IndexUpdateInput } from '../tables/index-updates';
import { resolveTableName } from '../tables/names';
import type { AttributeDefinition, BillingMode, OnDemandThroughput, TableRecord, WarmThroughput } from '../tables/record';
import { checkCapacityBounds, checkIndexKeySchema, checkProjection, invalidParameter, attributeNames, type CapacityInput } from '../tables/schema-rules';
import { checkOnDemandThroughput, checkSseSpecification } from '../tables/setting-rules';

interface UpdateTableInput {
  TableName: string;
  AttributeDefinitions?: AttributeDefinition[];
  BillingMode?: BillingMode;
  ProvisionedThroughput?: Required<CapacityInput>;
  GlobalSecondaryIndexUpdates?: IndexUpdateInput[];
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  SSESpecification?: SseInput;
  TableClass?: string;
  DeletionProtectionEnabled?: boolean;
  OnDemandThroughput?: OnDemandThroughput;
  WarmThroughput?: WarmThroughput;
  MultiRegionConsistency?: string;
}

/** The members that ask for a change; an empty GlobalSecondaryIndexUpdates asks for none. */
const CHANGE_MEMBERS = [
  'ProvisionedThroughput',
  'BillingMode',
  'StreamSpecification',
  'GlobalSecondaryIndexUpdates',
  'SSESpecification',
  'DeletionProtectionEnabled',
  'OnDemandThroughput',
  'WarmThroughput',
  'TableClass',
] as const;

type ChangeMember = (typeof CHANGE_MEMBERS)[number];

function requestedChanges(input: UpdateTableInput): ChangeMember[] {
  return CHANGE_MEMBERS.filter((member) => input[member] !== undefined && !(member === 'GlobalSecondaryIndexUpdates' && input[member]!.length === 0));
}

/** DynamoDB names every member that could have made a change, leaving out MultiRegionConsistency when it was sent. */
function nothingToUpdate(input: UpdateTableInput): Error {
  const members = [
    'ProvisionedThroughput', 'BillingMode', 'UpdateStreamEnabled', 'GlobalSecondaryIndexUpdates', 'SSESpecification',
    'ReplicaUpdates', 'MultiAccountReplicaReady', 'ReplicaTransitRoleArn', 'MultiRegionConsistency',
    'DeletionProtectionEnabled', 'OnDemandThroughput', 'WarmThroughput',
  ].filter((member) => !(member === 'MultiRegionConsistency' && input.MultiRegionConsistency !== undefined));
  return validationError(`At least one of ${members.join(', ')} or TableClass is required`);
}

/** Changes that must travel alone, or only with certain others. */
function checkCombinations(input: UpdateTableInput, changes: ChangeMember[]): void {
  const alone = (member: ChangeMember, message: string) => {
    if (changes.includes(member) && changes.length > 1) throw invalidParameter(message);
  };
  const updates = input.GlobalSecondaryIndexUpdates ?? [];
  const onlineIndexChange = updates.some((u) => u.Create ?? u.Delete);
  alone('SSESpecification', 'Server-Side Encryption modification must be the only operation in the request');
  alone('TableClass', 'TableClass modification must be the only operation in the request');
  alone('DeletionProtectionEnabled', 'DeletionProtection modification must be the only operation in the request');
  if (input.WarmThroughput && updates.some((u) => u.Create)) {
    throw invalidParameter('Create global secondary index cannot be specified when updating WarmThroughput');
  }
  alone('WarmThroughput', 'WarmThroughput must be the only operation in the request');
  if (input.OnDemandThroughput && changes.some((c) => c !== 'OnDemandThroughput' && c !== 'BillingMode')) {
    throw invalidParameter('OnDemandThroughput can only be combined with BillingMode in an UpdateTable request');
  }
  if (input.ProvisionedThroughput && input.StreamSpecification) {
    throw invalidParameter('You cannot modify stream status while updating table IOPS');
  }
  if (input.ProvisionedThroughput && onlineIndexChange) throw invalidParameter('You cannot create or delete index while updating table IOPS');
  if (input.StreamSpecification && onlineIndexChange) throw invalidParameter('You cannot create or delete index while changing stream status');
}

function checkStreamSpecification(spec: UpdateTableInput['StreamSpecification']): void {
  if (spec?.StreamEnabled && !spec.StreamViewType) throw invalidParameter('If stream is being enabled then UpdateViewType is required');
  if (spec && !spec.StreamEnabled && spec.StreamViewType) {
    throw invalidParameter('If stream is being disabled, then UpdateViewType must not be specified');
  }
}

/** Each entry holds one action, each index appears once, and a new index's keys are defined in the request. */
function checkIndexActions(input: UpdateTableInput): void {
  const names = new Set<string>();
  for (const update of input.GlobalSecondaryIndexUpdates ?? []) {
    const actions = [update.Update, update.Create, update.Delete].filter((a) => a !== undefined);
    if (actions.length === 0) {
      throw invalidParameter(
        'One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null',
      );
    }
    if (actions.length > 1) throw invalidParameter('Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object');
    const name = indexActionName(update);
    if (names.has(name)) throw invalidParameter(`Only one global secondary index update per index is allowed simultaneously. Index: ${name}`);
    names.add(name);
    checkCapacityBounds(update.Update?.ProvisionedThroughput);
    const create = update.Create;
    if (!create) continue;
    if (!input.AttributeDefinitions) throw invalidParameter(`AttributeDefinitions is not specified for index: ${name}`);
    checkIndexKeySchema(create.KeySchema, attributeNames(input.AttributeDefinitions));
    checkProjection(create.Projection);
    checkCapacityBounds(create.ProvisionedThroughput);
  }
}

function validate(input: UpdateTableInput): void {
  const changes = requestedChanges(input);
  if (changes.length === 0) throw nothingToUpdate(input);
  if (input.GlobalSecondaryIndexUpdates?.length === 0) throw invalidParameter('List of GlobalSecondaryIndexUpdates is empty');
  checkCombinations(input, changes);
  checkCapacityBounds(input.ProvisionedThroughput);
  checkStreamSpecification(input.StreamSpecification);
  checkSseSpecification(input.SSESpecification);
  checkIndexActions(input);
}

/** Billing mode, table capacity, on-demand maxima and the global indexes, which depend on the billing mode. */
function applyCapacity(table: TableRecord, input: UpdateTableInput, now: number, delay: number): void {
  const billingMode = input.BillingMode ?? table.billingMode;
  const capacity = input.ProvisionedThroughput;
  if (capacity && billingMode === 'PAY_PER_REQUEST') {
    throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }
  if (input.BillingMode === 'PROVISIONED' && !capacity) {
    throw invalidParameter('ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
  }
  checkOnDemandThroughput(input.OnDemandThroughput, billingMode, undefined, true);
  const toProvisioned = table.billingMode === 'PAY_PER_REQUEST' && billingMode === 'PROVISIONED';
  const updates = input.GlobalSecondaryIndexUpdates ?? [];
  if (toProvisioned) requireIndexCapacity(table, updates);
  applyIndexUpdates(table, updates, { billingMode, toProvisioned, definitions: input.AttributeDefinitions ?? [], now, delay });
  if (capacity) {
    table.throughput = toProvisioned
      ? setCapacity(table.throughput, capacity.ReadCapacityUnits, capacity.WriteCapacityUnits)
      : requestCapacityChange(table.throughput, capacity, TABLE_HOLDER);
  }
  if (input.BillingMode) {
    if (billingMode === 'PAY_PER_REQUEST' && table.billingMode === 'PROVISIONED') {
      table.lastUpdateToPayPerRequestAt = now;
      table.throughput = setCapacity(table.throughput, 0, 0);
      for (const index of table.globalIndexes) index.throughput = setCapacity(index.throughput, 0, 0);
    }
    // A switch drops the on-demand maxima of the table and its indexes.
    if (billingMode !== table.billingMode) {
      delete table.onDemand;
      for (const index of table.globalIndexes) delete index.onDemand;
    }
    table.billingMode = billingMode;
    table.billingModeReported = true;
  }
  if (input.BillingMode || capacity) markTableUpdating(table, now + delay);
  if (input.OnDemandThroughput) {
    const onDemand = mergeOnDemand(table.onDemand, input.OnDemandThroughput);
    if (onDemand) table.onDemand = onDemand;
    else delete table.onDemand;
  }
}

function applyStream(table: TableRecord, spec: NonNullable<UpdateTableInput['StreamSpecification']>, now: number, delay: number): void {
  if (spec.StreamEnabled) {
    if (table.stream?.enabled) throw validationError(`Table already has an enabled stream: TableName: ${table.name}`);
    table.stream = { enabled: true, viewType: spec.StreamViewType, label: streamLabel(now) };
  } else {
    if (!table.stream?.enabled) throw validationError(`Table has no stream to disable: TableName: ${table.name}`);
    table.stream = { enabled: false, label: table.stream.label };
  }
  markTableUpdating(table, now + delay);
}

function applySse(table: TableRecord, spec: SseInput, ctx: OperationContext): void {
  if (!spec.Enabled) {
    if (!table.sse) throw invalidParameter('Table is already encrypted by default');
    delete table.sse;
    return;
  }
  const arn = kmsMasterKeyArn(spec, ctx);
  if (table.sse?.kmsMasterKeyArn === arn) {
    throw invalidParameter('Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key');
  }
  table.sse = { kmsMasterKeyArn: arn };
}

function applyUpdates(record: TableRecord, input: UpdateTableInput, ctx: OperationContext, now: number): TableRecord {
  const delay = ctx.settings.transitionDelayMs;
  const table = structuredClone(record);
  applyCapacity(table, input, now, delay);
  if (input.StreamSpecification) applyStream(table, input.StreamSpecification, now, delay);
  if (input.SSESpecification) applySse(table, input.SSESpecification, ctx);
  if (input.TableClass) table.tableClass = { value: input.TableClass, lastUpdateAt: now };
  if (input.WarmThroughput) table.warm = { ...table.warm, ...input.WarmThroughput };
  if (input.DeletionProtectionEnabled !== undefined) {
    table.deletionProtection = input.DeletionProtectionEnabled;
    markTableUpdating(table, now + delay);
  }
  return table;
}

/**
 * A created global index starts its backfill (small tables are indexed in this transaction); a dropped one
 * loses its entries at once.
 */
async function startIndexChanges(tx: Transaction, ctx: OperationContext, before: TableRecord, after: TableRecord): Promise<void> {
  for (const index of after.globalIndexes) {
    const previous = before.globalIndexes.find((i) => i.name === index.name);
    if (!previous && index.status === 'CREATING') {
      await beginBackfill(tx, ctx, after, index);
      await backfillStep(tx, ctx, after, index.name, INLINE_BACKFILL);
    } else if (previous && previous.status !== 'DELETING' && index.status === 'DELETING') {
      const range = indexRange(ctx, after.id, index.name);
      tx.deleteRange(range.start, range.end);
      delete index.backfillCursor;
    }
  }
}

export const updateTable: Operation<UpdateTableInput> = {
  validate,
  async handle(input, ctx) {
    const name = resolveTableName(input.TableName, ctx);
    const now = Date.now();
    const updated = await ctx.store.transact(async (tx) => {
      const record = await requireTable(tx, ctx, name, now);
      requireActive(record);
      const table = applyUpdates(record, input, ctx, now);
      await startIndexChanges(tx, ctx, record, table);
      saveTable(tx, ctx, table);
      return withStats(tx, ctx, table);
    });
    for (const index of updated.globalIndexes) {
      if (index.backfillCursor !== undefined) continueBackfill(ctx.store, ctx, updated.name, index.name);
    }
    return { TableDescription: describeTable(updated, ctx, now) };
  },
};
