/**
 * The table a tagging operation's ResourceArn names. Only table ARNs of this account and region carry tags;
 * index ARNs are refused, and anything else is DynamoDB's "not a DynamoDB resource" or "not found".
 */
import { resourceNotFound, validationError } from '../../errors/dynamodb-errors';
import type { ReadView } from '../../storage/engine';
import { parseArn, type Scope } from './arn';
import { loadTable } from './catalogue';
import type { TableRecord } from './record';
import { invalidParameter } from './schema-rules';

export async function loadTaggedTable(view: ReadView, scope: Scope, resourceArn: string, now: number): Promise<TableRecord> {
  if (!resourceArn.startsWith('arn:')) throw invalidParameter(`ARNs must start with 'arn:': ${resourceArn}`);
  const arn = parseArn(resourceArn);
  if (!arn || arn.service !== 'dynamodb') throw invalidParameter(`Provided Arn is not a DynamoDB resource arn: ${resourceArn}`);
  if (/^table\/[^/]+\/index\//.test(arn.resource)) {
    throw invalidParameter(`Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${resourceArn}`);
  }
  if (arn.partition !== 'aws' || arn.region !== scope.region) {
    throw validationError(`Invalid TableArn: Invalid ResourceArn provided as input ${resourceArn}`);
  }
  const name = /^table\/([^/]+)$/.exec(arn.resource)?.[1];
  const record = name !== undefined && arn.accountId === scope.accountId ? await loadTable(view, scope, name, now) : undefined;
  if (!record || record.status === 'DELETING') throw resourceNotFound(`Requested resource not found: ResourceArn: ${resourceArn} not found`);
  return record;
}
