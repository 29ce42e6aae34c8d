/**
 * Table names. A TableName member carries a plain name or a table ARN; the request checks (check-input.ts)
 * have already held either to its form, so what is left is to find which table an ARN designates.
 */
import type { AwsError } from '../../errors/aws-error';
import { resourceNotFound, validationError } from '../../errors/dynamodb-errors';
import { parseArn, type Scope } from './arn';

/** The table a TableName member designates: the name itself, or the table of a table ARN in this account and region. */
export function resolveTableName(value: string, scope: Scope): string {
  if (!value.startsWith('arn:')) return value;
  const arn = parseArn(value);
  // DynamoDB's validator reports ARNs of another partition or region this way (ack-api-quirks catalogue).
  const invalid = (what: string) => validationError(`1 validation error detected: Invalid ${what} in '${value}'`);
  if (!arn || arn.service !== 'dynamodb' || !/^table\/[^/]+$/.test(arn.resource)) throw invalid('resource type');
  if (arn.partition !== 'aws') throw invalid('AWS partition');
  if (arn.region !== scope.region) throw invalid('AWS region');
  const name = arn.resource.slice('table/'.length);
  if (arn.accountId !== scope.accountId) throw tableNotFound(name);
  return name;
}

/** What DescribeTable, UpdateTable and DeleteTable say of a table that does not exist. */
export function tableNotFound(name: string): AwsError {
  return resourceNotFound(`Requested resource not found: Table: ${name} not found`);
}
