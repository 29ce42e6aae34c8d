/**
 * TransactionCanceledException and its CancellationReasons, one per request item in request order:
 * `{Code: 'None'}` for an item that was fine, `ConditionalCheckFailed` (with the stored `Item` when the item
 * asked for ReturnValuesOnConditionCheckFailure ALL_OLD), `DuplicateItem` (a PartiQL INSERT of a taken key),
 * `ValidationError` with its message. TransactWriteItems, TransactGetItems and ExecuteTransaction all build
 * their reasons here.
 *
 * Isolation: DynamoDB cancels with `TransactionConflict` when another transaction or a single-item write
 * touches an item while the transaction runs. Basalt runs every transaction's reads, checks and writes in
 * one storage-engine transaction, and the engine serialises those with each other and with every
 * single-item write, so transactions are serializable and Basalt never produces TransactionConflict or
 * TransactionConflictException.
 */
import { isAwsError } from '../../errors/aws-error';
import { DYNAMODB_ERRORS, dynamoError } from '../../errors/dynamodb-errors';
import type { AwsError } from '../../errors/aws-error';
import type { Item } from '../values/attribute-value';

export type CancellationCode = 'None' | 'ConditionalCheckFailed' | 'DuplicateItem' | 'ValidationError' | 'TransactionConflict' | 'ItemCollectionSizeLimitExceeded';

export interface CancellationReason {
  Code: CancellationCode;
  Message?: string;
  Item?: Item;
}

export const NONE: CancellationReason = { Code: 'None' };
export const CONDITIONAL_CHECK_FAILED_MESSAGE = 'The conditional request failed';

export function conditionFailed(old: Item | undefined, onFailure: string | undefined): CancellationReason {
  const reason: CancellationReason = { Code: 'ConditionalCheckFailed', Message: CONDITIONAL_CHECK_FAILED_MESSAGE };
  if (onFailure === 'ALL_OLD' && old) reason.Item = old;
  return reason;
}

/** A write that took its item collection over the size limit (items/collection-size.ts). */
export function collectionSizeReason(): CancellationReason {
  return { Code: 'ItemCollectionSizeLimitExceeded', Message: DYNAMODB_ERRORS.ItemCollectionSizeLimitExceededException.message };
}

export const DUPLICATE_ITEM_MESSAGE = 'Duplicate primary key exists in table';

export function duplicateItemReason(): CancellationReason {
  return { Code: 'DuplicateItem', Message: DUPLICATE_ITEM_MESSAGE };
}

/**
 * The reason for an error a single-item write would have thrown: ConditionalCheckFailedException (its `Item`
 * kept), DuplicateItemException, ValidationException; undefined for any other error.
 */
export function reasonOf(error: unknown): CancellationReason | undefined {
  if (!isAwsError(error)) return undefined;
  switch (error.code) {
    case 'ConditionalCheckFailedException': {
      const reason: CancellationReason = { Code: 'ConditionalCheckFailed', Message: error.message || CONDITIONAL_CHECK_FAILED_MESSAGE };
      if (error.fields.Item) reason.Item = error.fields.Item as Item;
      return reason;
    }
    case 'DuplicateItemException':
      return duplicateItemReason();
    case 'ValidationException':
      return validationReason(error.message);
    default:
      return undefined;
  }
}

export function validationReason(message: string): CancellationReason {
  return { Code: 'ValidationError', Message: message };
}

/** Runs `fn`; a ValidationException it throws becomes a ValidationError reason, other errors propagate. */
export function asReason(fn: () => void): CancellationReason | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (isAwsError(error) && error.code === 'ValidationException') return validationReason(error.message);
    throw error;
  }
}

export function cancelledMessage(reasons: readonly CancellationReason[]): string {
  return `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`;
}

/** The exception for a transaction with at least one reason other than None. */
export function transactionCanceled(reasons: CancellationReason[]): AwsError {
  return dynamoError('TransactionCanceledException', cancelledMessage(reasons), { CancellationReasons: reasons });
}

export const MULTIPLE_OPERATIONS_MESSAGE = 'Transaction request cannot include multiple operations on one item';
