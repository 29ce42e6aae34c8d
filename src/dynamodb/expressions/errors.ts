import { validationError } from '../../errors/dynamodb-errors';
import type { AwsError } from '../../errors/aws-error';
import type { ExpressionKind } from './types';

/**
 * DynamoDB's expression messages. Validation problems of an expression are reported as
 * `Invalid <ExpressionKind>: <message>`; DynamoDB builds each message from a fixed text, then `;`, then
 * ` key: value` pairs separated by `,` (so a message without details ends in `;`).
 *
 * Inside the parser and validator a problem is an `ExpressionProblem` carrying the text after the prefix, so
 * that one cached parse result serves ConditionExpression, FilterExpression and KeyConditionExpression alike.
 */
export class ExpressionProblem extends Error {
  constructor(readonly body: string) {
    super(body);
  }
}

export function expressionError(kind: ExpressionKind, body: string): AwsError {
  return validationError(`Invalid ${kind}: ${body}`);
}

export const MESSAGES = {
  empty: 'The expression can not be empty;',
  redundantParentheses: 'The expression has redundant parentheses;',
  sizeExceeded: 'Expression size has exceeded the maximum allowed size;',
  sizeExceededWithSize: (size: number) => `Expression size has exceeded the maximum allowed size; expression size: ${size}`,
  syntax: (token: string, near: string) => `Syntax error; token: "${token}", near: "${near}"`,
  reserved: (id: string) => `Attribute name is a reserved keyword; reserved keyword: ${id}`,
  invalidFunction: (name: string) => `Invalid function name; function: ${name}`,
  notInCondition: (name: string) => `The function is not allowed in a condition expression; function: ${name}`,
  notInUpdate: (name: string) => `The function is not allowed in an update expression; function: ${name}`,
  functionContext: (name: string) => `The function is not allowed to be used this way in an expression; function: ${name}`,
  duplicateSection: (clause: string) => `The "${clause}" section can only be used once in an update expression;`,
  listIndex: (text: string) => `List index is not within the allowable range; index: ${text}`,
  pathTooDeep: (levels: number) => `The document path has too many nesting levels; nesting levels: ${levels}`,
  nameUndefined: (name: string) =>
    `An expression attribute name used in the document path is not defined; attribute name: ${name}`,
  valueUndefined: (name: string) =>
    `An expression attribute value used in expression is not defined; attribute value: ${name}`,
  operandCount: (op: string, count: number) =>
    `Incorrect number of operands for operator or function; operator or function: ${op}, number of operands: ${count}`,
  operandType: (op: string, type: string) =>
    `Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${type}`,
  requiresPath: (op: string) => `Operator or function requires a document path; operator or function: ${op}`,
  distinct: (op: string, path: string) =>
    `The first operand must be distinct from the remaining operands for this operator or function; operator: ${op}, first operand: ${path}`,
  betweenTypes: (lower: string, upper: string) =>
    `The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: ${lower}, upper bound operand: ${upper}`,
  betweenOrder: (lower: string, upper: string) =>
    `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: ${lower}, upper bound operand: ${upper}`,
  tooManyInOperands: (count: number) => `The IN operator is provided with too many operands; number of operands: ${count}`,
  tooManyOperators: (count: number) => `The expression contains too many operators; operator count: ${count}`,
  invalidTypeName: (type: string) => `Invalid attribute type name found; type: ${type}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
  actionOperandType: (clause: string, type: string) =>
    `Incorrect operand type for operator or function; operator: ${clause}, operand type: ${type}`,
  overlap: (one: string, two: string) =>
    `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
  conflict: (one: string, two: string) =>
    `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
} as const;

/** Messages of failures while applying an update to an item (not prefixed with the expression kind). */
export const UPDATE_MESSAGES = {
  invalidPath: 'The document path provided in the update expression is invalid for update',
  incorrectType: 'An operand in the update expression has an incorrect data type',
  missingAttribute: 'The provided expression refers to an attribute that does not exist in the item',
  nesting: 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
} as const;
