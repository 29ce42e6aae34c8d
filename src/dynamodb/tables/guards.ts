/** What a table must be, and what DynamoDB says when it is not, before it can be changed. */
import { resourceInUse } from '../../errors/dynamodb-errors';
import type { AwsError } from '../../errors/aws-error';
import type { TableRecord } from './record';

const IN_USE = 'Attempt to change a resource which is still in use';

const TRANSITION: Record<Exclude<TableRecord['status'], 'ACTIVE'>, string> = {
  CREATING: 'created',
  UPDATING: 'updated',
  DELETING: 'deleted',
};

/** ResourceInUseException with DynamoDB's common prefix. */
export const inUse = (detail: string): AwsError => resourceInUse(`${IN_USE}: ${detail}`);

/** UpdateTable, DeleteTable and TagResource need an ACTIVE table. */
export function requireActive(record: TableRecord): void {
  if (record.status !== 'ACTIVE') throw inUse(`Table is being ${TRANSITION[record.status]}: ${record.name}`);
}
