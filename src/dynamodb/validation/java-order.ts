/**
 * DynamoDB's validator iterates HashMaps and HashSets, so its order is Java's bucket order (Java 8 hashing): the
 * order of members checked, of map keys walked and rendered, and of one value's several violations.
 */
import type { MemberDef, ShapeDef } from '../model/shape-types';
import { INSERTION_FIRST } from './model-deviations';

/** A member's Java field name (lowerCamel), as DynamoDB hashes, paths and renders it. */
export const lowerFirst = (name: string): string => name[0].toLowerCase() + name.slice(1);

function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Table size of a HashMap after `size` puts from the default 16 with load factor 0.75. */
function javaCapacity(size: number): number {
  let capacity = 16;
  while (size > capacity * 0.75) capacity *= 2;
  return capacity;
}

export function javaHashOrder<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const mask = javaCapacity(items.length) - 1;
  return items
    .map((item, index) => {
      const h = javaHash(keyOf(item));
      return { item, index, bucket: (h ^ (h >>> 16)) & mask };
    })
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.item);
}

export function javaMemberOrder(shape: ShapeDef): MemberDef[] {
  const members = [...(shape.members ?? [])];
  const first = INSERTION_FIRST[shape.name] ?? [];
  const rank = (m: MemberDef): number => (first.includes(m.name) ? first.indexOf(m.name) - first.length : 0);
  const inserted = members.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i).map((e) => e.m);
  return javaHashOrder(inserted, (m) => lowerFirst(m.name));
}

export function javaMapKeys(map: Record<string, unknown>): string[] {
  return javaHashOrder(Object.keys(map), (k) => k);
}
