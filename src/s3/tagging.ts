/** Object and bucket tags: the x-amz-tagging query-string form, the Tagging XML document, and S3's limits on them. */
import { s3Error } from '../errors/s3-errors';
import { childrenNamed, child, childText, parseXml } from './xml-parse';
import type { XmlObject } from './xml-tree';

export type Tags = [string, string][];

/** What the tags are on: the two differ in their count limit and in how they refuse an `aws:` key. */
export type TagTarget = 'object' | 'bucket';

const LIMITS: Record<TagTarget, { max: number; tooMany: string; systemKey: string }> = {
  object: { max: 10, tooMany: 'Object tags cannot be greater than 10', systemKey: 'Your TagKey cannot be prefixed with aws:' },
  // The system-tag message as moto's aws_verified test captured it from S3.
  bucket: { max: 50, tooMany: 'Bucket tag count cannot be greater than 50', systemKey: 'System tags cannot be added/updated by requester' },
};

export function validateTags(tags: Tags, target: TagTarget = 'object'): Tags {
  const limits = LIMITS[target];
  if (tags.length > limits.max) throw s3Error('BadRequest', limits.tooMany);
  const seen = new Set<string>();
  for (const [key, value] of tags) {
    if (seen.has(key)) throw s3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
    if ([...key].length > 128 || key.length === 0) throw s3Error('InvalidTag', 'The TagKey you have provided is too long, max 128', { TagKey: key });
    if ([...value].length > 256) throw s3Error('InvalidTag', 'The TagValue you have provided is too long, max 256', { TagKey: key, TagValue: value });
    if (key.toLowerCase().startsWith('aws:')) throw s3Error('InvalidTag', limits.systemKey, { TagKey: key });
  }
  return tags;
}

/** `k1=v1&k2=v2`, URL-encoded, as the x-amz-tagging header carries it. */
export function parseTaggingHeader(value: string): Tags {
  if (value === '') return [];
  const tags: Tags = [];
  for (const pair of value.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const decode = (s: string): string => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        throw s3Error('InvalidArgument', 'The header \'x-amz-tagging\' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.', { ArgumentName: 'x-amz-tagging', ArgumentValue: value });
      }
    };
    tags.push(eq < 0 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))]);
  }
  return validateTags(tags);
}

export function parseTaggingXml(xml: string, target: TagTarget = 'object'): Tags {
  const root = parseXml(xml);
  const set = root.name === 'Tagging' ? child(root, 'TagSet') : undefined;
  if (!set) throw s3Error('MalformedXML');
  const tags: Tags = childrenNamed(set, 'Tag').map((t) => {
    const key = childText(t, 'Key');
    if (key === undefined) throw s3Error('MalformedXML');
    return [key, childText(t, 'Value') ?? ''];
  });
  return validateTags(tags, target);
}

export function renderTagSet(tags: Tags): XmlObject {
  return { TagSet: { Tag: tags.map(([Key, Value]) => ({ Key, Value })) } };
}
