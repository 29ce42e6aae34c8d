import { ExpressionProblem, MESSAGES } from './errors';
import { ParserBase } from './parser-base';
import { checkFunctionCall, checkOperand } from './syntax-checks';
import { T, type TokenType } from './tokenizer';
import type { Comparator, ConditionSyntax, OperandSyntax } from './types';

/**
 * ConditionExpression grammar (also FilterExpression and KeyConditionExpression):
 *
 *   condition : operand comparator operand
 *             | operand IN '(' operand (',' operand)* ')'
 *             | operand BETWEEN operand AND operand
 *             | func
 *             | '(' condition ')'
 *             | NOT condition
 *             | condition AND condition
 *             | condition OR condition
 *
 * Precedence, highest first: comparisons/IN/BETWEEN/functions, parentheses, NOT, AND, OR (AND and OR group to
 * the right). `((c))` is redundant, as is `((operand))`.
 */

export const MAX_EXPRESSION_LENGTH = 4096;

const enum Rule {
  Operand = 1,
  Group = 2,
  Call = 3,
}

const COMPARATORS: Partial<Record<TokenType, Comparator>> = {
  [T.EQ]: '=',
  [T.NE]: '<>',
  [T.LT]: '<',
  [T.LE]: '<=',
  [T.GT]: '>',
  [T.GE]: '>=',
};

function startsComparison(type: TokenType): boolean {
  return COMPARATORS[type] !== undefined || type === T.IN || type === T.BETWEEN;
}

/** The node a look-ahead returns for a group (never used). */
const SCANNED: ConditionSyntax = { type: 'not', operand: { type: 'function', call: { type: 'call', name: '', args: [] } } };

interface Parsed {
  node: ConditionSyntax;
  /** Whether this condition is a parenthesised group (for the redundancy check). */
  parens: boolean;
}

class ConditionParser extends ParserBase {
  parse(): ConditionSyntax {
    return this.run(() => this.or(false).node);
  }

  /**
   * condition : operand... | NOT condition | condition AND condition | condition OR condition, with NOT above
   * AND above OR, AND and OR grouping to the right. Built from the flat list of NOT-prefixed primaries and
   * connectives, which keeps the recursion one level per parenthesis.
   */
  private or(inGroup: boolean): Parsed {
    const operands: Parsed[] = [];
    const connectives: TokenType[] = [];
    for (;;) {
      let nots = 0;
      while (this.type() === T.NOT) {
        this.pos++;
        nots++;
      }
      let operand = this.primary(inGroup);
      for (; nots > 0; nots--) operand = { node: { type: 'not', operand: operand.node }, parens: false };
      operands.push(operand);
      const type = this.type();
      if (type !== T.AND && type !== T.OR) break;
      this.pos++;
      connectives.push(type);
    }
    if (operands.length === 1) return operands[0]!;
    // Right-grouped: OR splits first, AND groups its runs.
    let result: ConditionSyntax | undefined;
    let run: ConditionSyntax = operands[operands.length - 1]!.node;
    for (let i = connectives.length - 1; i >= 0; i--) {
      const left = operands[i]!.node;
      if (connectives[i] === T.AND) {
        run = { type: 'and', left, right: run };
      } else {
        result = result === undefined ? run : { type: 'or', left: run, right: result };
        run = left;
      }
    }
    result = result === undefined ? run : { type: 'or', left: run, right: result };
    return { node: result, parens: false };
  }

  private primary(inGroup: boolean): Parsed {
    const type = this.type();
    if (type === T.LPAREN) return this.parenthesised();
    if (type === T.ID && this.type(1) === T.LPAREN) {
      // A function: a condition by itself, or the first operand of a comparison; decided after the call.
      const call = this.scan(Rule.Call, this.pos, () => this.call());
      if (!call.ok) this.fail(call.at);
      const next = this.typeAt(call.at);
      if (startsComparison(next)) return this.comparison();
      if (next === T.AND || next === T.OR || next === (inGroup ? T.RPAREN : T.EOF)) {
        return { node: { type: 'function', call: this.call() }, parens: false };
      }
      return this.fail(call.at);
    }
    if (type === T.ID || type === T.NAME || type === T.VALUE) return this.comparison();
    return this.fail();
  }

  /** '(' opens either a group or a parenthesised first operand; DynamoDB decides on the first token that tells. */
  private parenthesised(): Parsed {
    const start = this.pos;
    const operand = this.scan(Rule.Operand, start, () => this.operand());
    const operandDies = operand.ok ? (startsComparison(this.typeAt(operand.at)) ? Infinity : operand.at) : operand.at;
    if (operandDies === Infinity) return this.comparison();
    const group = this.scan(Rule.Group, start, () => this.group());
    const groupDies = group.ok ? Infinity : group.at;
    if (groupDies > operandDies) {
      if (this.speculating > 0 && group.ok) {
        // Looking ahead: the extent is known already.
        this.pos = group.at;
        return { node: SCANNED, parens: true };
      }
      return this.group();
    }
    return this.fail(operandDies);
  }

  private group(): Parsed {
    this.expect(T.LPAREN);
    const inner = this.or(true);
    this.expect(T.RPAREN);
    if (inner.parens) this.redundant();
    return { node: inner.node, parens: true };
  }

  private comparison(): Parsed {
    const left = this.operand().node;
    const type = this.type();
    const op = COMPARATORS[type];
    if (op !== undefined) {
      this.pos++;
      return { node: { type: 'compare', op, left, right: this.operand().node }, parens: false };
    }
    if (type === T.IN) {
      this.pos++;
      this.expect(T.LPAREN);
      const list: OperandSyntax[] = [this.operand().node];
      while (this.type() === T.COMMA) {
        this.pos++;
        list.push(this.operand().node);
      }
      this.expect(T.RPAREN);
      return { node: { type: 'in', operand: left, list }, parens: false };
    }
    if (type === T.BETWEEN) {
      this.pos++;
      const lower = this.operand().node;
      this.expect(T.AND);
      const upper = this.operand().node;
      return { node: { type: 'between', operand: left, lower, upper }, parens: false };
    }
    return this.fail();
  }
}

/**
 * Parses a condition expression and makes the checks that depend on its text only (see syntax-checks.ts), in
 * DynamoDB's order: empty, size, syntax and redundant parentheses, then the walk. Throws ExpressionProblem.
 */
export function parseCondition(expression: string): ConditionSyntax {
  if (expression.length === 0) throw new ExpressionProblem(MESSAGES.empty);
  if (expression.length > MAX_EXPRESSION_LENGTH) throw new ExpressionProblem(MESSAGES.sizeExceededWithSize(expression.length));
  const tree = new ConditionParser(expression).parse();
  walkCondition(tree);
  return tree;
}

function walkCondition(condition: ConditionSyntax): void {
  switch (condition.type) {
    case 'compare':
      checkOperand(condition.left, 'condition', 1);
      checkOperand(condition.right, 'condition', 1);
      return;
    case 'between':
      checkOperand(condition.operand, 'condition', 1);
      checkOperand(condition.lower, 'condition', 1);
      checkOperand(condition.upper, 'condition', 1);
      return;
    case 'in':
      checkOperand(condition.operand, 'condition', 1);
      for (const operand of condition.list) checkOperand(operand, 'condition', 1);
      return;
    case 'function':
      checkFunctionCall(condition.call.name, 'condition', 0);
      for (const arg of condition.call.args) checkOperand(arg, 'condition', 1);
      return;
    case 'not':
      walkCondition(condition.operand);
      return;
    case 'and':
    case 'or':
      walkCondition(condition.left);
      walkCondition(condition.right);
      return;
  }
}
