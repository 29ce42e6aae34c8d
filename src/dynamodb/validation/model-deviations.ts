/**
 * What DynamoDB does differently from the public model, each with its evidence. The plain-name rule for
 * TableName members lives with the other table-name rules in table-names.ts.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { Bounds } from '../model/shape-types';
import { NAME_MAX, NAME_MIN } from './table-names';

/** Members the public model marks required that DynamoDB leaves to the operation ("The Tag Key provided is invalid, Key: null"). */
export const NOT_REQUIRED = new Set(['Tag.Key', 'Tag.Value']);
/** Members whose model constraints DynamoDB does not apply generically (ExportTableToPointInTime '' → "Invalid TableArn: Invalid Table ARN"). */
export const UNCHECKED = new Set(['ExportTableToPointInTimeInput.TableArn']);
/** Lengths DynamoDB enforces that the public model omits (live capture 2026: "Value '' at 'sSESpecification.kMSMasterKeyId' ..."). */
export const EXTRA_LENGTH: Record<string, Bounds> = { 'SSESpecification.KMSMasterKeyId': { min: 1 } };

/** Enum sets as DynamoDB prints them, where that order differs from the model's (dynalite tests; live captures). */
export const ENUM_ORDER: Record<string, readonly string[]> = {
  Select: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'],
  ComparisonOperator: ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'],
  ConditionalOperator: ['OR', 'AND'],
  ReturnValue: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'],
  ScalarAttributeType: ['B', 'N', 'S'],
  ProjectionType: ['ALL', 'INCLUDE', 'KEYS_ONLY'],
  StreamViewType: ['OLD_IMAGE', 'KEYS_ONLY', 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE'],
};

/** Patterns DynamoDB prints with their anchors; the model anchors all of them, DynamoDB mostly does not (S3Bucket: live capture). */
export const ANCHORED_PATTERN_TEXT = new Set(['S3Bucket']);

/**
 * Members are validated in Java HashMap order of their lowerCamel names; members sharing a bucket keep
 * insertion order, which is model order except where observed otherwise (dynalite test/query.js lists
 * returnConsumedCapacity before queryFilter, both in bucket 9).
 */
export const INSERTION_FIRST: Record<string, readonly string[]> = { QueryInput: ['ReturnConsumedCapacity', 'QueryFilter'] };

/** Checks DynamoDB makes after deserialisation and before its validator; each throws alone. */
export const PRECHECKS: Record<string, (body: Record<string, unknown>) => void> = {};
for (const op of ['CreateTable', 'DescribeTable', 'DeleteTable', 'UpdateTable']) {
  // dynalite test/createTable.js etc.; still so for CreateTable in a 2026 live suite
  PRECHECKS[op] = (body) => {
    if (body.TableName == null) throw validationError("The parameter 'TableName' is required but was not present in the request");
  };
}
for (const op of ['TagResource', 'UntagResource', 'ListTagsOfResource']) {
  // dynalite test/tagResource.js, untagResource.js, listTagsOfResource.js
  PRECHECKS[op] = (body) => {
    if (body.ResourceArn == null) throw validationError('Invalid TableArn');
  };
}
/** Older name checks with their own wording (live capture 2026: legacy global tables, restore, contributor insights). */
const LEGACY_NAME_CHECKS: Record<string, readonly [member: string, label: string]> = {
  DescribeGlobalTable: ['GlobalTableName', 'TableName'],
  DescribeGlobalTableSettings: ['GlobalTableName', 'TableName'],
  RestoreTableFromBackup: ['TargetTableName', 'TableName'],
  DescribeContributorInsights: ['IndexName', 'IndexName'],
  UpdateContributorInsights: ['IndexName', 'IndexName'],
};
for (const [op, [member, label]] of Object.entries(LEGACY_NAME_CHECKS)) {
  PRECHECKS[op] = (body) => {
    const value = body[member];
    if (typeof value === 'string' && (value.length < NAME_MIN || value.length > NAME_MAX)) {
      throw validationError(`${label} must be at least 3 characters long and at most 255 characters long`);
    }
  };
}
