/**
 * Model patterns: how they are tested (Java patterns → JS) and how DynamoDB prints them. The model's patterns
 * only need two rewrites; S3Bucket's would backtrack badly on long input, so it gets an equivalent linear test.
 */
import type { ShapeDef } from '../model/shape-types';
import { ANCHORED_PATTERN_TEXT } from './model-deviations';

export function patternMatcher(pattern: string): (value: string) => boolean {
  if (pattern === '^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$') {
    const edge = /^[a-z0-9A-Z]$/;
    const middle = /^[.\-\w]*$/;
    return (v) => v.length >= 2 && edge.test(v[0]) && edge.test(v[v.length - 1]) && middle.test(v);
  }
  const js = pattern
    .replace(/\[([^\]]*)\\p\{Print\}/g, '[$1\\x20-\\x7E')
    .replace(/\\p\{Print\}/g, '[\\x20-\\x7E]')
    .replace(/\\uD800\\uDC00-\\uDBFF\\uDFFF/g, '\\uD800-\\uDFFF');
  const re = new RegExp(js);
  return (v) => re.test(v);
}

export function patternText(shape: ShapeDef): string {
  const pattern = shape.pattern ?? '';
  if (ANCHORED_PATTERN_TEXT.has(shape.name)) return pattern;
  return pattern.replace(/^\^/, '').replace(/\$$/, '');
}
