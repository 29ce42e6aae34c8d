/**
 * Idempotency for TransactWriteItems (and any other operation with a ClientRequestToken): a successful
 * request's token is stored with a hash of the request and its response for ten minutes. A retry with the
 * same token and the same parameters gets the stored response and writes nothing; the same token with other
 * parameters is refused with IdempotentParameterMismatchException. Only successful requests are recorded, so
 * a cancelled transaction retried with its token runs again.
 *
 *   ('ddb', ACCOUNT, REGION, 'txtoken', OPERATION, TOKEN)                 -> { hash, expiresAt, response }
 *   ('ddb', ACCOUNT, REGION, 'txtoken-expiry', EXPIRES_AT(16 hex), OPERATION, TOKEN) -> empty
 *
 * The expiry index lets every new token sweep a few expired ones, so the store does not grow without bound.
 */
import { createHash } from 'node:crypto';
import { dynamoError } from '../../errors/dynamodb-errors';
import type { ReadView, Transaction } from '../../storage/engine';
import { decodeKey, encodeKey, prefixRange } from '../../storage/tuple-key';
import type { Scope } from '../tables/arn';

export const TOKEN_LIFETIME_MS = 10 * 60 * 1000;
const SWEEP_LIMIT = 16;

interface TokenRecord {
  hash: string;
  expiresAt: number;
  response: unknown;
}

export const IDEMPOTENT_MISMATCH_MESSAGE = 'The request uses the same client token as a previous, but non-identical request.';

function tokenKey(scope: Scope, operation: string, token: string): Buffer {
  return encodeKey(['ddb', scope.accountId, scope.region, 'txtoken', operation, token]);
}

function expiryPrefix(scope: Scope): string[] {
  return ['ddb', scope.accountId, scope.region, 'txtoken-expiry'];
}

function expiryKey(scope: Scope, expiresAt: number, operation: string, token: string): Buffer {
  return encodeKey([...expiryPrefix(scope), expiresAt.toString(16).padStart(16, '0'), operation, token]);
}

/** A hash of the request's parameters other than the token itself. */
export function requestHash(input: Record<string, unknown>): string {
  const { ClientRequestToken: _token, ...rest } = input;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/**
 * The stored response for a live token with the same request hash, or undefined when the token is new or
 * expired. Throws IdempotentParameterMismatchException for a live token recorded with another hash.
 */
export async function replayToken(view: ReadView, scope: Scope, operation: string, token: string, hash: string, now: number): Promise<{ response: unknown } | undefined> {
  const raw = await view.get(tokenKey(scope, operation, token));
  if (!raw) return undefined;
  const record = JSON.parse(raw.toString('utf8')) as TokenRecord;
  if (record.expiresAt <= now) return undefined;
  if (record.hash !== hash) throw dynamoError('IdempotentParameterMismatchException', IDEMPOTENT_MISMATCH_MESSAGE);
  return { response: record.response };
}

/** Records a successful request's token (replacing an expired record) and sweeps a few expired tokens. */
export async function recordToken(tx: Transaction, scope: Scope, operation: string, token: string, hash: string, response: unknown, now: number): Promise<void> {
  const range = prefixRange(expiryPrefix(scope));
  const expired = await tx.scan({ start: range.start, end: expiryKey(scope, now, '', ''), limit: SWEEP_LIMIT });
  for (const entry of expired) {
    const parts = decodeKey(entry.key);
    const op = parts[parts.length - 2]!.toString('utf8');
    const tok = parts[parts.length - 1]!.toString('utf8');
    tx.delete(entry.key);
    const current = await tx.get(tokenKey(scope, op, tok));
    if (current && (JSON.parse(current.toString('utf8')) as TokenRecord).expiresAt <= now) tx.delete(tokenKey(scope, op, tok));
  }
  const previous = await tx.get(tokenKey(scope, operation, token));
  if (previous) tx.delete(expiryKey(scope, (JSON.parse(previous.toString('utf8')) as TokenRecord).expiresAt, operation, token));
  const expiresAt = now + TOKEN_LIFETIME_MS;
  const record: TokenRecord = { hash, expiresAt, response };
  tx.put(tokenKey(scope, operation, token), Buffer.from(JSON.stringify(record), 'utf8'));
  tx.put(expiryKey(scope, expiresAt, operation, token), Buffer.alloc(0));
}
