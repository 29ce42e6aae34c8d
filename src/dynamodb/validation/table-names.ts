/**
 * TableName members target TableArn (1..1024) since ARNs are accepted, yet DynamoDB still holds a plain name to
 * 3..255 characters of [a-zA-Z0-9_.-], in the validator's format (live capture 2026: DescribeTable '' → "2
 * validation errors ... length greater than or equal to 3; ... pattern: [a-zA-Z0-9_.-]+"; CreateTable 'ab' → the
 * length violation alone). A value starting with "arn:" is checked as a table ARN instead.
 */
export const NAME_MIN = 3;
export const NAME_MAX = 255;
const NAME_PATTERN = /^[a-zA-Z0-9_.-]+$/;
const NAME_PATTERN_TEXT = '[a-zA-Z0-9_.-]+';
const ARN_FORMAT =
  "Valid ARN format is 'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType/resourceName', where " +
  'Resource name must have length less than or equal to 255, Resource name must have length greater than or ' +
  'equal to 3, Resource name must satisfy regular expression pattern: [a-zA-Z0-9_.-]+';
/** Batch request maps keyed by table: dynalite test/batchGetItem.js, test/batchWriteItem.js. */
export const TABLE_KEYS_TEXT =
  'Map keys must satisfy constraint: [Member must have length less than or equal to 255, ' +
  'Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]';

/** Plain-name violations, or the single ARN violation, of a TableName value; null when it is fine. */
export function tableNameProblems(value: string): string[] | null {
  if (value.startsWith('arn:')) {
    const problem = tableArnProblem(value);
    return problem === null ? null : [problem];
  }
  const texts: string[] = [];
  if (value.length < NAME_MIN) texts.push(`Member must have length greater than or equal to ${NAME_MIN}`);
  if (value.length > NAME_MAX) texts.push(`Member must have length less than or equal to ${NAME_MAX}`);
  if (!NAME_PATTERN.test(value)) texts.push(`Member must satisfy regular expression pattern: ${NAME_PATTERN_TEXT}`);
  return texts.length ? texts : null;
}

/** arn:<partition>:<vendor>:<region>:<account>:table/<name> (messages as ExtendDB captured them from DynamoDB). */
export function tableArnProblem(arn: string): string | null {
  let at = 0;
  for (let colons = 0; colons < 5; colons++) {
    at = arn.indexOf(':', at) + 1;
    if (at === 0) return ARN_FORMAT;
  }
  const resource = arn.slice(at);
  const slash = resource.indexOf('/');
  if (resource === '' || slash < 0) return ARN_FORMAT;
  if (resource.slice(0, slash) !== 'table') return 'Invalid resource type';
  const name = resource.slice(slash + 1);
  if (name.length < NAME_MIN) return 'Table name of ARN must have length greater than or equal to 3';
  if (name.length > NAME_MAX || !NAME_PATTERN.test(name)) return ARN_FORMAT;
  return null;
}
