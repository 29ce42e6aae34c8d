import { timingSafeEqual } from 'node:crypto';

/** Constant-time for equal lengths; a length difference is no secret (every valid signature has 64 chars). */
export function signaturesMatch(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
