/** Provisioned-capacity changes shared by a table and its global indexes. */
import { validationError } from '../../errors/dynamodb-errors';
import type { OnDemandThroughput, Throughput } from './record';
import type { CapacityInput } from './schema-rules';

/** How the "will not change" message names what it is about: `the table`, or `the index NAME` / `index NAME`. */
export interface CapacityHolder {
  subject: string;
  owner: string;
}

export const TABLE_HOLDER: CapacityHolder = { subject: 'the table', owner: 'the table' };
export const indexHolder = (name: string): CapacityHolder => ({ subject: `the index ${name}`, owner: `index ${name}` });

/**
 * Records a requested change, applied when the UPDATING status settles. Asking for the current values is
 * refused: DynamoDB treats it as an error, not as a no-op.
 */
export function requestCapacityChange(throughput: Throughput, requested: Required<CapacityInput>, holder: CapacityHolder): Throughput {
  const read = requested.ReadCapacityUnits;
  const write = requested.WriteCapacityUnits;
  if (read === throughput.read && write === throughput.write) {
    throw validationError(
      `The provisioned throughput for ${holder.subject} will not change. The requested value equals the current value. ` +
        `Current ReadCapacityUnits provisioned for ${holder.owner}: ${throughput.read}. Requested ReadCapacityUnits: ${read}. ` +
        `Current WriteCapacityUnits provisioned for ${holder.owner}: ${throughput.write}. Requested WriteCapacityUnits: ${write}. ` +
        'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );
  }
  return { ...throughput, pending: { read, write } };
}

/** A billing-mode switch sets capacity directly: there is no earlier value to compare with. */
export function setCapacity(throughput: Throughput, read: number, write: number): Throughput {
  const next = { ...throughput, read, write };
  delete next.pending;
  return next;
}

/** On-demand maxima after an update: -1 removes a maximum; nothing left means no OnDemandThroughput. */
export function mergeOnDemand(current: OnDemandThroughput | undefined, requested: OnDemandThroughput): OnDemandThroughput | undefined {
  const merged: OnDemandThroughput = { ...current, ...requested };
  for (const member of ['MaxReadRequestUnits', 'MaxWriteRequestUnits'] as const) {
    if (merged[member] === -1) delete merged[member];
  }
  return Object.keys(merged).length > 0 ? merged : undefined;
}
