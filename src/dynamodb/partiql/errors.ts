/** The errors DynamoDB answers PartiQL statements with. */
import { AwsError } from '../../errors/aws-error';
import { validationError } from '../../errors/dynamodb-errors';
import { DUPLICATE_ITEM_MESSAGE } from '../transactions/cancellation';

const DYNAMODB = 'com.amazonaws.dynamodb.v20120810';

/** A statement the parser refuses: `Statement wasn't well formed, can't be processed: <detail>`. */
export const wellFormed = (detail: string): AwsError => validationError(`Statement wasn't well formed, can't be processed: ${detail}`);

/** A well-formed statement DynamoDB does not run: `Unsupported operation: <detail>`. */
export const unsupported = (detail: string): AwsError => validationError(`Unsupported operation: ${detail}`);

/** UPDATE / DELETE (and single-item SELECTs in batches and transactions) must name the whole primary key. */
export const MISSING_KEY = 'Where clause does not contain a mandatory equality on all key attributes';

/** INSERT of an item whose key is taken. */
export const duplicateItem = (): AwsError => new AwsError('DuplicateItemException', 400, DUPLICATE_ITEM_MESSAGE, DYNAMODB);

/**
 * BatchExecuteStatement with both SELECTs and writes: the AWS docs say a batch is all reads or all writes; this
 * wording is the one issue 6 quotes, not found in any public capture.
 */
export const MIXED_BATCH_MESSAGE = 'Unsupported operation: Batch operations with mixed read and write are not supported';
