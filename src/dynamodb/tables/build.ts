/** Pieces of a table record that CreateTable and UpdateTable both build from request members. */
import { createHash } from 'node:crypto';
import type { Scope } from './arn';
import {
  newThroughput,
  type BillingMode,
  type GlobalIndexRecord,
  type KeySchemaElement,
  type OnDemandThroughput,
  type Projection,
  type WarmThroughput,
} from './record';
import type { CapacityInput } from './schema-rules';

export interface GlobalIndexInput {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: Projection;
  ProvisionedThroughput?: CapacityInput;
  OnDemandThroughput?: OnDemandThroughput;
  WarmThroughput?: WarmThroughput;
}

export interface SseInput {
  Enabled?: boolean;
  SSEType?: string;
  KMSMasterKeyId?: string;
}

/** DynamoDB returns NonKeyAttributes sorted by name. */
export function storedProjection(projection: Projection): Projection {
  return projection.NonKeyAttributes
    ? { ProjectionType: projection.ProjectionType, NonKeyAttributes: [...projection.NonKeyAttributes].sort() }
    : { ProjectionType: projection.ProjectionType };
}

export function newGlobalIndex(
  input: GlobalIndexInput,
  billingMode: BillingMode,
  timing: { until: number; allocatedAt?: number },
): GlobalIndexRecord {
  const capacity = billingMode === 'PROVISIONED' ? input.ProvisionedThroughput : undefined;
  return {
    name: input.IndexName,
    keySchema: input.KeySchema,
    projection: storedProjection(input.Projection),
    status: 'CREATING',
    ...timing,
    throughput: newThroughput(capacity?.ReadCapacityUnits ?? 0, capacity?.WriteCapacityUnits ?? 0),
    ...(input.OnDemandThroughput && { onDemand: input.OnDemandThroughput }),
    ...(input.WarmThroughput && { warm: input.WarmThroughput }),
  };
}

/** A stream's label is its creation time, e.g. `2024-05-01T12:00:00.000`. */
export function streamLabel(now: number): string {
  return new Date(now).toISOString().replace('Z', '');
}

/** A stable id for the account's `aws/dynamodb` managed key, so every table reports the same ARN. */
function managedKeyId(scope: Scope): string {
  const hex = createHash('sha256').update(`aws/dynamodb:${scope.accountId}:${scope.region}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The KMS key ARN an enabled SSESpecification designates (the managed key when none is named). */
export function kmsMasterKeyArn(spec: SseInput, scope: Scope): string {
  const id = spec.KMSMasterKeyId;
  if (id?.startsWith('arn:')) return id;
  return `arn:aws:kms:${scope.region}:${scope.accountId}:${id?.startsWith('alias/') ? id : `key/${id ?? managedKeyId(scope)}`}`;
}
