import type { StorageEngine } from '../storage/engine';

/** Who is asking and where: the account comes from the credential, the region from the signature's scope. */
export interface RequestContext {
  accountId: string;
  region: string;
  requestId: string;
}

export interface DynamoSettings {
  /** How long tables and indexes stay CREATING / UPDATING / DELETING before settling, in milliseconds. */
  transitionDelayMs: number;
  /** The item collection size limit of tables with local secondary indexes, bytes (items/collection-size.ts). */
  itemCollectionLimitBytes: number;
}

export interface OperationContext extends RequestContext {
  store: StorageEngine;
  settings: DynamoSettings;
}

/**
 * One DynamoDB operation. The request has already passed the checks the service model declares (types,
 * required members, lengths, ranges, patterns, enums); `validate` adds the operation's own rules, with
 * DynamoDB's messages, before `handle` touches storage.
 */
export interface Operation<Input = any, Output = unknown> {
  validate?(input: Input): void;
  handle(input: Input, ctx: OperationContext): Promise<Output>;
}
