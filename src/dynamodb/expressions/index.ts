import type { AwsError } from '../../errors/aws-error';
import { applyUpdate as applyUpdateTree } from './apply-update';
import { ExpressionContext, checkExpressionAttributeNames, checkExpressionAttributeValues, checkUnusedExpressionAttributes } from './attribute-maps';
import { Binder } from './bind';
import { parseCondition } from './condition-parser';
import { ExpressionProblem, expressionError } from './errors';
import { evaluateCondition as evaluateBound } from './evaluate-condition';
import { projectItem } from './project';
import { parseProjection } from './projection-parser';
import { parseUpdate, type ParsedUpdate } from './update-parser';
import type {
  BoundAction,
  BoundCondition,
  ConditionKind,
  ConditionSyntax,
  DocPath,
  ExpressionKind,
  Item,
  PathSyntax,
  PathTree,
  UpdateClause,
} from './types';

/**
 * DynamoDB's expression language: the entry points an operation calls.
 *
 * Per request, in this order (it is DynamoDB's order of checks, so the first problem reported is the one
 * DynamoDB reports):
 *
 *   1. checkExpressionAttributeNames(names); checkExpressionAttributeValues(values, validateValue)
 *   2. const context = new ExpressionContext(names, values)
 *   3. compile the request's expressions with that context, in the operation's order:
 *        PutItem, DeleteItem: ConditionExpression
 *        UpdateItem:          UpdateExpression, then ConditionExpression
 *        GetItem, BatchGetItem keys: ProjectionExpression
 *        Query:               FilterExpression, ProjectionExpression, KeyConditionExpression
 *        Scan:                FilterExpression, ProjectionExpression
 *   4. checkUnusedExpressionAttributes(context)
 *
 * Then, at run time: evaluateCondition (conditions and filters), applyUpdate and updatedAttributes
 * (UPDATED_OLD/UPDATED_NEW), projectItem.
 *
 * Parsing depends on the expression text only and is cached; compiling resolves the placeholders, a walk over
 * the cached tree.
 */

export { ExpressionContext, checkExpressionAttributeNames, checkExpressionAttributeValues, checkUnusedExpressionAttributes };
export { projectItem } from './project';
export type * from './types';

export interface CompiledCondition {
  readonly kind: ConditionKind;
  readonly syntax: ConditionSyntax;
  readonly condition: BoundCondition;
  /** Top-level attributes the expression reaches into with `.` or `[n]` (DynamoDB rejects that for keys). */
  readonly nestedTopLevelNames: ReadonlySet<string>;
}

export interface CompiledUpdate {
  /** The targets as DynamoDB keeps them, each with its action. */
  readonly tree: PathTree<BoundAction>;
  /** Each action's target path, in the order written. */
  readonly targets: readonly { readonly clause: UpdateClause; readonly path: DocPath }[];
  readonly nestedTopLevelNames: ReadonlySet<string>;
}

export interface CompiledProjection {
  readonly tree: PathTree<null>;
  /** The paths in the order written. */
  readonly paths: readonly DocPath[];
}

const MAX_CACHED = 10_000;
const parsed = new Map<string, unknown>();

/** The cached parse of `expression` by `parse`, or its cached problem. */
function cachedParse<T>(grammar: string, expression: string, parse: (expression: string) => T): T {
  const key = grammar + expression;
  let result = parsed.get(key);
  if (result === undefined) {
    try {
      result = parse(expression);
    } catch (error) {
      if (!(error instanceof ExpressionProblem)) throw error;
      result = error;
    }
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(key, result);
  }
  if (result instanceof ExpressionProblem) throw result;
  return result as T;
}

function asValidation<T>(kind: ExpressionKind, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ExpressionProblem) throw expressionError(kind, error.body) as AwsError;
    throw error;
  }
}

/** Parses and validates a ConditionExpression, FilterExpression or KeyConditionExpression. */
export function compileCondition(kind: ConditionKind, expression: string, context: ExpressionContext): CompiledCondition {
  return asValidation(kind, () => {
    const syntax = cachedParse('C', expression, parseCondition);
    const binder = new Binder(context);
    const condition = binder.condition(syntax);
    return { kind, syntax, condition, nestedTopLevelNames: binder.nestedTopLevel };
  });
}

/** Parses and validates an UpdateExpression. */
export function compileUpdate(expression: string, context: ExpressionContext): CompiledUpdate {
  return asValidation('UpdateExpression', () => {
    const update = cachedParse<ParsedUpdate>('U', expression, parseUpdate);
    const binder = new Binder(context);
    const { tree, paths } = binder.update(update);
    const targets = update.actions.map((action, i) => ({ clause: action.clause, path: paths[i]! }));
    return { tree, targets, nestedTopLevelNames: binder.nestedTopLevel };
  });
}

/** Parses and validates a ProjectionExpression. */
export function compileProjection(expression: string, context: ExpressionContext): CompiledProjection {
  return asValidation('ProjectionExpression', () => {
    const paths = cachedParse<readonly PathSyntax[]>('P', expression, parseProjection);
    const { tree, paths: resolved } = new Binder(context).projection(paths);
    return { tree, paths: resolved };
  });
}

/** Whether the item (`{}` when there is none) satisfies the condition. */
export function evaluateCondition(compiled: CompiledCondition, item: Item | undefined): boolean {
  return evaluateBound(compiled.condition, item ?? {});
}

/**
 * The item after the update; `item` is the stored item, or the request's Key when there is none. Throws
 * DynamoDB's ValidationExceptions for updates that cannot apply to this item.
 */
export function applyUpdate(compiled: CompiledUpdate, item: Item): Item {
  return applyUpdateTree(compiled.tree, item);
}

/** ReturnValues UPDATED_OLD (pass the old item) or UPDATED_NEW (pass the new one). */
export function updatedAttributes(compiled: CompiledUpdate, item: Item): Item {
  return projectItem(compiled.tree, item);
}

/** Applies a compiled projection. */
export function project(compiled: CompiledProjection, item: Item): Item {
  return projectItem(compiled.tree, item);
}
