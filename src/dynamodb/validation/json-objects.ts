/** Small helpers over parsed JSON objects; the `for...in` loops allocate nothing on the valid path. */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function countKeys(object: Record<string, unknown>): number {
  let n = 0;
  for (const _ in object) n++;
  return n;
}

export function someKey(object: Record<string, unknown>, test: (key: string) => boolean): boolean {
  for (const key in object) if (test(key)) return true;
  return false;
}

/** Whether a present (neither null nor undefined) value passes the test. */
export function someValue(object: Record<string, unknown>, test: (value: unknown) => boolean): boolean {
  for (const key in object) {
    const value = object[key];
    if (value !== null && value !== undefined && test(value)) return true;
  }
  return false;
}
