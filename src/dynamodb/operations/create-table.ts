/**
 * CreateTable. The service-level rules run in the order DynamoDB applies them (dynalite's tests, recorded
 * against AWS): table name, billing and capacity, stream and encryption settings, attribute definitions
 * and the table key, then local and global indexes, then tags.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { resourceInUse, validationError } from '../../errors/dynamodb-errors';
import type { Operation } from '../operation';
import { kmsMasterKeyArn, newGlobalIndex, storedProjection, streamLabel, type GlobalIndexInput, type SseInput } from '../tables/build';
import { loadTable, saveTable } from '../tables/catalogue';
import { describeTable } from '../tables/describe';
import { resolveTableName } from '../tables/names';
import {
  newThroughput,
  type AttributeDefinition,
  type BillingMode,
  type KeySchemaElement,
  type OnDemandThroughput,
  type Projection,
  type TableRecord,
  type Tag,
  type WarmThroughput,
} from '../tables/record';
import {
  attributeNames,
  checkCapacityBounds,
  checkIndexKeySchema,
  checkKeyElements,
  checkProjection,
  invalidParameter,
  undefinedKeyAttributes,
  type CapacityInput,
} from '../tables/schema-rules';
import { checkOnDemandThroughput, checkSseSpecification } from '../tables/setting-rules';
import { checkTags } from '../tables/tag-rules';

interface LocalIndexInput {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: Projection;
}

interface CreateTableInput {
  TableName: string;
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  LocalSecondaryIndexes?: LocalIndexInput[];
  GlobalSecondaryIndexes?: GlobalIndexInput[];
  BillingMode?: BillingMode;
  ProvisionedThroughput?: CapacityInput;
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  SSESpecification?: SseInput;
  Tags?: Tag[];
  TableClass?: string;
  DeletionProtectionEnabled?: boolean;
  OnDemandThroughput?: OnDemandThroughput;
  WarmThroughput?: WarmThroughput;
}

const MAX_LOCAL_INDEXES = 5;
const MAX_GLOBAL_INDEXES = 20;

function checkBilling(input: CreateTableInput): void {
  const throughput = input.ProvisionedThroughput;
  if (input.BillingMode === 'PAY_PER_REQUEST') {
    if (throughput) {
      throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    }
  } else if (!throughput?.ReadCapacityUnits || !throughput.WriteCapacityUnits) {
    throw invalidParameter('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  }
  checkCapacityBounds(throughput);
  checkOnDemandThroughput(input.OnDemandThroughput, input.BillingMode ?? 'PROVISIONED', undefined, false);
}

function checkStream(spec: CreateTableInput['StreamSpecification']): void {
  if (spec?.StreamEnabled && !spec.StreamViewType) {
    throw invalidParameter('Table is being created with a stream enabled, UpdateViewType is required');
  }
  if (spec && !spec.StreamEnabled && spec.StreamViewType) {
    throw invalidParameter('Table is being created with a stream disabled, UpdateViewType should not be specified');
  }
}

/** AttributeDefinitions must name exactly the key attributes of the table and its indexes. */
function checkTableKey(input: CreateTableInput, indexes: readonly { KeySchema: KeySchemaElement[] }[]): void {
  const definitions = attributeNames(input.AttributeDefinitions);
  const duplicate = definitions.find((name, i) => definitions.indexOf(name) !== i);
  if (duplicate !== undefined) throw validationError(`Attribute Name is duplicated: ${duplicate}`);
  const keys = attributeNames(input.KeySchema);
  if (keys.length > definitions.length) throw validationError('Invalid KeySchema: Some index key attribute have no definition');
  if (keys.some((key) => !definitions.includes(key))) throw undefinedKeyAttributes(keys, definitions);
  checkKeyElements(input.KeySchema);
  if (indexes.length === 0) {
    if (keys.length !== definitions.length) {
      throw invalidParameter('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
    }
    return;
  }
  const used = [...new Set([...keys, ...indexes.flatMap((index) => attributeNames(index.KeySchema))])];
  if (definitions.some((name) => !used.includes(name))) {
    throw invalidParameter(`Some AttributeDefinitions are not used. AttributeDefinitions: [${definitions.join(', ')}], keys used: [${used.join(', ')}]`);
  }
}

function checkLocalIndexes(input: CreateTableInput, definitions: string[], names: Set<string>): void {
  const indexes = input.LocalSecondaryIndexes;
  if (!indexes) return;
  if (indexes.length === 0) throw invalidParameter('List of LocalSecondaryIndexes is empty');
  if (input.KeySchema.length !== 2) {
    throw invalidParameter('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
  }
  const tableHash = input.KeySchema[0]!.AttributeName;
  for (const index of indexes) {
    checkIndexKeySchema(index.KeySchema, definitions);
    if (index.KeySchema.length !== 2) throw invalidParameter(`Index KeySchema does not have a range key for index: ${index.IndexName}`);
    const indexHash = index.KeySchema[0]!.AttributeName;
    if (indexHash !== tableHash) {
      throw invalidParameter(
        `Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index.IndexName}. index hash key: ${indexHash}, table hash key: ${tableHash}`,
      );
    }
    checkProjection(index.Projection);
    checkUniqueName(index.IndexName, names);
  }
  if (indexes.length > MAX_LOCAL_INDEXES) {
    throw invalidParameter(`Number of LocalSecondaryIndexes exceeds per-table limit of ${MAX_LOCAL_INDEXES}`);
  }
}

function checkGlobalIndexes(input: CreateTableInput, definitions: string[], names: Set<string>): void {
  const indexes = input.GlobalSecondaryIndexes;
  if (!indexes) return;
  if (indexes.length === 0) throw invalidParameter('List of GlobalSecondaryIndexes is empty');
  const billingMode = input.BillingMode ?? 'PROVISIONED';
  for (const index of indexes) {
    checkIndexKeySchema(index.KeySchema, definitions);
    checkProjection(index.Projection);
    if (billingMode === 'PAY_PER_REQUEST' && index.ProvisionedThroughput) {
      throw invalidParameter(`ProvisionedThroughput should not be specified for index: ${index.IndexName} when BillingMode is PAY_PER_REQUEST`);
    }
    if (billingMode === 'PROVISIONED' && !index.ProvisionedThroughput) {
      throw invalidParameter(`ProvisionedThroughput is not specified for index: ${index.IndexName}`);
    }
    checkCapacityBounds(index.ProvisionedThroughput);
    checkOnDemandThroughput(index.OnDemandThroughput, billingMode, index.IndexName, false);
    checkUniqueName(index.IndexName, names);
  }
  if (indexes.length > MAX_GLOBAL_INDEXES) {
    throw invalidParameter(`GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GLOBAL_INDEXES}`);
  }
}

/** Index names are unique across local and global indexes. */
function checkUniqueName(name: string, names: Set<string>): void {
  if (names.has(name)) throw invalidParameter(`Duplicate index name: ${name}`);
  names.add(name);
}

function validate(input: CreateTableInput): void {
  checkBilling(input);
  checkStream(input.StreamSpecification);
  checkSseSpecification(input.SSESpecification);
  checkTableKey(input, [...(input.LocalSecondaryIndexes ?? []), ...(input.GlobalSecondaryIndexes ?? [])]);
  const definitions = attributeNames(input.AttributeDefinitions);
  const indexNames = new Set<string>();
  checkLocalIndexes(input, definitions, indexNames);
  checkGlobalIndexes(input, definitions, indexNames);
  checkTags(input.Tags ?? []);
}

function newTable(input: CreateTableInput, name: string, scope: { accountId: string; region: string }, now: number, delay: number): TableRecord {
  const billingMode = input.BillingMode ?? 'PROVISIONED';
  const until = now + delay;
  const capacity = input.ProvisionedThroughput;
  const stream = input.StreamSpecification;
  return {
    name,
    // 12 characters (72 random bits) in every key instead of the UUID's 36: measured on a million-item
    // table of 200-byte items, its file is 8% smaller (319 MB, was 348) and loading it 2-8% faster.
    id: randomBytes(9).toString('base64url'),
    tableId: randomUUID(),
    createdAt: now,
    status: 'CREATING',
    until,
    attributeDefinitions: input.AttributeDefinitions,
    keySchema: input.KeySchema,
    localIndexes: (input.LocalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName,
      keySchema: index.KeySchema,
      projection: storedProjection(index.Projection),
    })),
    globalIndexes: (input.GlobalSecondaryIndexes ?? []).map((index) => newGlobalIndex(index, billingMode, { until })),
    billingMode,
    billingModeReported: input.BillingMode !== undefined,
    ...(billingMode === 'PAY_PER_REQUEST' && { lastUpdateToPayPerRequestAt: now }),
    throughput: newThroughput(capacity?.ReadCapacityUnits ?? 0, capacity?.WriteCapacityUnits ?? 0),
    ...(input.OnDemandThroughput && { onDemand: input.OnDemandThroughput }),
    ...(input.WarmThroughput && { warm: input.WarmThroughput }),
    ...(stream?.StreamEnabled && { stream: { enabled: true, viewType: stream.StreamViewType, label: streamLabel(now) } }),
    ...(input.SSESpecification?.Enabled && { sse: { kmsMasterKeyArn: kmsMasterKeyArn(input.SSESpecification, scope) } }),
    ...(input.TableClass && { tableClass: { value: input.TableClass } }),
    deletionProtection: input.DeletionProtectionEnabled ?? false,
    tags: input.Tags ?? [],
    itemCount: 0,
    sizeBytes: 0,
  };
}

export const createTable: Operation<CreateTableInput> = {
  validate,
  async handle(input, ctx) {
    const name = resolveTableName(input.TableName, ctx);
    const now = Date.now();
    const record = await ctx.store.transact(async (tx) => {
      if (await loadTable(tx, ctx, name, now)) throw resourceInUse(`Table already exists: ${name}`);
      const created = newTable(input, name, ctx, now, ctx.settings.transitionDelayMs);
      saveTable(tx, ctx, created);
      return created;
    });
    return { TableDescription: describeTable(record, ctx, now) };
  },
};
