/**
 * Tag rules shared by CreateTable and TagResource. Keys are 1..128 and values 0..256 characters of
 * letters, digits, spaces and `_ . : / = + - @`; `aws:` keys are reserved; at most 50 tags per table.
 * DynamoDB reports these with its own (prefix-less) texts, including the `Key: null` of a missing key.
 */
import { validationError } from '../../errors/dynamodb-errors';
import type { Tag } from './record';

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAGS = 50;

/** A tag key, as TagResource, UntagResource and CreateTable check it. */
export function checkTagKey(key: string | undefined): void {
  if (key === undefined || key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) {
    throw validationError(`The Tag Key provided is invalid, Key: ${key ?? null}`);
  }
  if (key.toLowerCase().startsWith('aws:')) throw validationError(`Tag Key cannot be prefixed with aws:, Key: ${key}`);
}

export function checkTags(tags: readonly Partial<Tag>[]): void {
  for (const { Key: key, Value: value } of tags) {
    checkTagKey(key);
    if (value === undefined || value.length > 256 || !TAG_TEXT.test(value)) {
      throw validationError(`The Tag Value provided is invalid, Value: ${value ?? null}`);
    }
  }
  const keys = tags.map((t) => t.Key);
  const duplicate = keys.find((key, i) => keys.indexOf(key) !== i);
  if (duplicate !== undefined) throw validationError(`Duplicate Tag Keys provided as input: Duplicate Tag Key found ${duplicate}`);
}

/** The table's tags with `added` set over them (same key: new value), within the 50-tag limit. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  if (merged.size > MAX_TAGS) throw validationError('Number of Tags exceed the current limit for the provided ResourceArn');
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}
