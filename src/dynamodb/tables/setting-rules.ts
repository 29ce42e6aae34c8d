/** Rules on a table's optional settings (on-demand maxima, encryption) that CreateTable and UpdateTable share. */
import type { BillingMode, OnDemandThroughput } from './record';
import { invalidParameter } from './schema-rules';
import type { SseInput } from './build';

/**
 * On-demand maxima belong to PAY_PER_REQUEST tables and are at least 1; UpdateTable may also send -1 to
 * remove one (`allowRemoval`).
 */
export function checkOnDemandThroughput(
  maxima: OnDemandThroughput | undefined,
  billingMode: BillingMode,
  indexName: string | undefined,
  allowRemoval: boolean,
): void {
  if (!maxima) return;
  for (const member of ['MaxReadRequestUnits', 'MaxWriteRequestUnits'] as const) {
    const value = maxima[member];
    if (value === undefined) continue;
    if (billingMode === 'PROVISIONED') {
      const subject = indexName === undefined ? '' : ` for index: ${indexName}`;
      throw invalidParameter(`${member} for OnDemandThroughput${subject} cannot be specified when the table BillingMode is PROVISIONED`);
    }
    if (value < 1 && !(allowRemoval && value === -1)) {
      const subject = indexName === undefined ? 'table' : `index : ${indexName}`;
      throw invalidParameter(`Requested ${member} for OnDemandThroughput for ${subject} is outside of valid range`);
    }
  }
}

/** A KMS key goes with Enabled and SSEType KMS; DynamoDB has no AES256 option. */
export function checkSseSpecification(spec: SseInput | undefined): void {
  if (!spec) return;
  if (!spec.Enabled && spec.SSEType !== undefined) throw invalidParameter('SSEType can not be specified if Enabled is false');
  if (!spec.Enabled && spec.KMSMasterKeyId !== undefined) throw invalidParameter('KMSMasterKeyId can not be specified if Enabled is false');
  if (spec.SSEType === 'AES256') throw invalidParameter('SSEType AES256 is not supported');
  if (spec.KMSMasterKeyId !== undefined && spec.SSEType !== 'KMS') throw invalidParameter('SSEType KMS is required if KMSMasterKeyId is specified');
}
