import assert from 'node:assert/strict';
import { awsError } from './basalt';

/** Awaits a request that must fail with this AWS error name and message. */
export async function rejectsWith(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  const err = await awsError(promise);
  assert.equal(err.name, name);
  assert.equal(err.message, message);
}
