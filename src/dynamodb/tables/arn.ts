/** DynamoDB ARNs: `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME`, with `/index/INDEX` or `/stream/LABEL` after it. */

export interface Scope {
  accountId: string;
  region: string;
}

export function tableArn(scope: Scope, tableName: string): string {
  return `arn:aws:dynamodb:${scope.region}:${scope.accountId}:table/${tableName}`;
}

export function indexArn(scope: Scope, tableName: string, indexName: string): string {
  return `${tableArn(scope, tableName)}/index/${indexName}`;
}

export function streamArn(scope: Scope, tableName: string, label: string): string {
  return `${tableArn(scope, tableName)}/stream/${label}`;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** What follows `ACCOUNT:`, e.g. `table/NAME/index/INDEX`. */
  resource: string;
}

/** Splits an ARN into its six fields; undefined when it does not have them. */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}
