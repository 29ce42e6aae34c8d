/**
 * Whether two signatures are the same string, in time that depends only on their length (a length difference is
 * no secret: every valid signature of a kind has the same length). A plain loop over the code units: it runs
 * on every signed request, and costs less than encoding both strings for crypto.timingSafeEqual.
 */
export function signaturesMatch(expected: string, provided: string): boolean {
  if (expected.length !== provided.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ provided.charCodeAt(i);
  return difference === 0;
}
