/**
 * The table catalogue's record, stored as JSON under `tableRecordKey`. Times are epoch milliseconds. A
 * status other than ACTIVE lasts until its `until` time and is settled lazily when the record is read
 * (lifecycle.ts), so no timers are needed and a restarted server picks up where it was.
 */

export type TableStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';
export type IndexStatus = TableStatus;
export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: 'S' | 'N' | 'B';
}

export interface Projection {
  ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  NonKeyAttributes?: string[];
}

export interface OnDemandThroughput {
  MaxReadRequestUnits?: number;
  MaxWriteRequestUnits?: number;
}

export interface WarmThroughput {
  ReadUnitsPerSecond?: number;
  WriteUnitsPerSecond?: number;
}

export interface Tag {
  Key: string;
  Value: string;
}

/** Provisioned capacity of a table or global index; 0/0 under PAY_PER_REQUEST. */
export interface Throughput {
  read: number;
  write: number;
  lastIncreaseAt?: number;
  lastDecreaseAt?: number;
  /** Decreases applied on `decreasesDay` (UTC, YYYY-MM-DD); the count restarts each day. */
  decreasesToday: number;
  decreasesDay?: string;
  /** Requested by UpdateTable and applied when the UPDATING status settles, as DynamoDB reports it. */
  pending?: { read: number; write: number };
}

export interface LocalIndexRecord {
  name: string;
  keySchema: KeySchemaElement[];
  projection: Projection;
  /** Entries in the index and their projected size (indexes/maintain.ts keeps them). */
  itemCount?: number;
  sizeBytes?: number;
}

export interface GlobalIndexRecord extends LocalIndexRecord {
  status: IndexStatus;
  until: number;
  /** Indexes added by UpdateTable allocate resources until then, and backfill after it. */
  allocatedAt?: number;
  /**
   * While an index added by UpdateTable is being backfilled: base64 of the table storage key from which items
   * are not indexed yet (indexes/backfill.ts). The index stays CREATING until the backfill is done.
   */
  backfillCursor?: string;
  throughput: Throughput;
  onDemand?: OnDemandThroughput;
  warm?: WarmThroughput;
}

export interface StreamRecord {
  enabled: boolean;
  viewType?: string;
  /** The latest stream's label; it outlives disabling, as LatestStreamArn does in DynamoDB. */
  label: string;
}

export interface TableRecord {
  name: string;
  /**
   * What the table's keys in storage hang off (keys.ts): random, never reused in its account and region, and
   * short, because every item and index key carries it.
   */
  id: string;
  /**
   * DescribeTable's TableId, a UUID. Absent in tables created before it was kept apart from `id`: their `id`
   * is that UUID.
   */
  tableId?: string;
  createdAt: number;
  status: TableStatus;
  until: number;
  attributeDefinitions: AttributeDefinition[];
  keySchema: KeySchemaElement[];
  localIndexes: LocalIndexRecord[];
  globalIndexes: GlobalIndexRecord[];
  billingMode: BillingMode;
  /** BillingModeSummary is reported once a billing mode was asked for, at creation or since. */
  billingModeReported: boolean;
  lastUpdateToPayPerRequestAt?: number;
  throughput: Throughput;
  onDemand?: OnDemandThroughput;
  warm?: WarmThroughput;
  stream?: StreamRecord;
  /** Present when encryption uses a KMS key (SSESpecification.Enabled); absent for the AWS-owned key. */
  sse?: { kmsMasterKeyArn: string };
  tableClass?: { value: string; lastUpdateAt?: number };
  deletionProtection: boolean;
  tags: Tag[];
  itemCount: number;
  sizeBytes: number;
}

export function newThroughput(read: number, write: number): Throughput {
  return { read, write, decreasesToday: 0 };
}
