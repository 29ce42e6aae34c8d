import { ExpressionProblem, MESSAGES } from './errors';
import { MAX_INDEX } from './parser-base';
import { isReservedWord } from './reserved-words';
import type { OperandSyntax, PathSyntax } from './types';

/**
 * The checks DynamoDB makes while walking a syntactically valid expression, before it looks at
 * ExpressionAttributeNames/Values: function names and where functions may be used, reserved words, list index
 * range, and (in update-parser.ts) repeated clauses. They depend on the expression text only, so their outcome
 * is cached with the parse. The walk visits the expression left to right; a function call is checked when the
 * walk enters it (before its arguments), an identifier when the walk leaves it. The first problem is reported.
 */

export type FunctionCategory = 'condition' | 'update';

const CONDITION_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'contains', 'begins_with', 'size']);
const UPDATE_FUNCTIONS = new Set(['if_not_exists', 'list_append']);

/**
 * A function call at `nesting` operator levels deep (comparisons, IN, BETWEEN, `+`/`-` and function calls
 * each add a level for their operands).
 */
export function checkFunctionCall(name: string, category: FunctionCategory, nesting: number): void {
  if (!CONDITION_FUNCTIONS.has(name) && !UPDATE_FUNCTIONS.has(name)) throw new ExpressionProblem(MESSAGES.invalidFunction(name));
  if (category === 'update') {
    if (!UPDATE_FUNCTIONS.has(name)) throw new ExpressionProblem(MESSAGES.notInUpdate(name));
    // Only if_not_exists may be nested (in list_append, +, -, or if_not_exists).
    if (nesting > 0 && name !== 'if_not_exists') throw new ExpressionProblem(MESSAGES.functionContext(name));
  } else {
    if (!CONDITION_FUNCTIONS.has(name)) throw new ExpressionProblem(MESSAGES.notInCondition(name));
    // A condition must be a boolean function; an operand may only be size().
    if (nesting === 0 ? name === 'size' : name !== 'size') throw new ExpressionProblem(MESSAGES.functionContext(name));
  }
}

/** Reserved words used as identifiers, and list indexes beyond 2^31-1, in path order. */
export function checkPath(path: PathSyntax): void {
  for (const element of path.elements) {
    if (element.kind === 'id') {
      if (isReservedWord(element.name)) throw new ExpressionProblem(MESSAGES.reserved(element.name));
    } else if (element.kind === 'index' && !(element.index <= MAX_INDEX)) {
      throw new ExpressionProblem(MESSAGES.listIndex(`[${element.text}]`));
    }
  }
}

/** Walks an operand (`nesting` as for checkFunctionCall). */
export function checkOperand(operand: OperandSyntax, category: FunctionCategory, nesting: number): void {
  switch (operand.type) {
    case 'path':
      checkPath(operand);
      return;
    case 'value':
      return;
    case 'call':
      checkFunctionCall(operand.name, category, nesting);
      for (const arg of operand.args) checkOperand(arg, category, nesting + 1);
      return;
    case 'arith':
      checkOperand(operand.left, category, nesting + 1);
      checkOperand(operand.right, category, nesting + 1);
      return;
  }
}
