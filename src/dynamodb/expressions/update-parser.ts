import { ExpressionProblem, MESSAGES } from './errors';
import { MAX_EXPRESSION_LENGTH } from './condition-parser';
import { ParserBase } from './parser-base';
import { checkOperand, checkPath } from './syntax-checks';
import { T, type TokenType } from './tokenizer';
import type { OperandSyntax, UpdateActionSyntax, UpdateClause } from './types';

/**
 * UpdateExpression grammar:
 *
 *   update     : (SET set_action (',' set_action)* | REMOVE path (',' path)*
 *                | ADD path VALUE (',' path VALUE)* | DELETE path VALUE (',' path VALUE)*)+
 *   set_action : path '=' set_value
 *   set_value  : operand | arithmetic
 *   arithmetic : operand ('+' | '-') operand | '(' arithmetic ')'
 *
 * Clauses may come in any order; each at most once ("The \"SET\" section can only be used once ..."), which is
 * checked when the walk leaves the repeated clause. Arithmetic takes exactly two operands: `a + b + c` is a
 * syntax error at the second `+`.
 */

export interface ParsedUpdate {
  /** The actions in the order written, all clauses together. */
  readonly actions: readonly UpdateActionSyntax[];
}

const enum Rule {
  Operand = 1,
  ArithmeticParens = 2,
  Call = 3,
}

const CLAUSES: Partial<Record<TokenType, UpdateClause>> = {
  [T.SET]: 'SET',
  [T.REMOVE]: 'REMOVE',
  [T.ADD]: 'ADD',
  [T.DELETE]: 'DELETE',
};

/** What may follow a set_value: another action, another clause, or the end. */
function followsSetValue(type: TokenType): boolean {
  return type === T.COMMA || CLAUSES[type] !== undefined || type === T.EOF;
}

function isPlusMinus(type: TokenType): boolean {
  return type === T.PLUS || type === T.MINUS;
}

interface Section {
  clause: UpdateClause;
  actions: UpdateActionSyntax[];
}

class UpdateParser extends ParserBase {
  parse(): Section[] {
    return this.run(() => {
      const sections: Section[] = [this.section()];
      while (CLAUSES[this.type()] !== undefined) sections.push(this.section());
      return sections;
    });
  }

  private section(): Section {
    const clause = CLAUSES[this.type()];
    if (clause === undefined) return this.fail();
    this.pos++;
    const actions: UpdateActionSyntax[] = [this.action(clause)];
    while (this.type() === T.COMMA) {
      this.pos++;
      actions.push(this.action(clause));
    }
    return { clause, actions };
  }

  private action(clause: UpdateClause): UpdateActionSyntax {
    const path = this.parsePath();
    switch (clause) {
      case 'SET':
        this.expect(T.EQ);
        return { clause, path, value: this.setValue() };
      case 'REMOVE':
        return { clause, path };
      default: {
        const value = this.expect(T.VALUE);
        return { clause, path, value: { type: 'value', name: value.text } };
      }
    }
  }

  private setValue(): OperandSyntax {
    const type = this.type();
    if (type === T.LPAREN) {
      const start = this.pos;
      const operand = this.scan(Rule.Operand, start, () => this.operand());
      const next = this.typeAt(operand.at);
      const operandDies = operand.ok ? (isPlusMinus(next) || followsSetValue(next) ? Infinity : operand.at) : operand.at;
      if (operandDies === Infinity) return this.operandOrSum();
      const parens = this.scan(Rule.ArithmeticParens, start, () => this.arithmeticParens());
      if ((parens.ok ? Infinity : parens.at) > operandDies) return this.arithmeticParens().node;
      return this.fail(operandDies);
    }
    if (type === T.ID && this.type(1) === T.LPAREN) {
      const call = this.scan(Rule.Call, this.pos, () => this.call());
      if (!call.ok) this.fail(call.at);
      const next = this.typeAt(call.at);
      if (isPlusMinus(next) || followsSetValue(next)) return this.operandOrSum();
      return this.fail(call.at);
    }
    return this.operandOrSum();
  }

  /** operand, or operand +/- operand. */
  private operandOrSum(): OperandSyntax {
    const left = this.operand().node;
    const type = this.type();
    if (!isPlusMinus(type)) return left;
    this.pos++;
    return { type: 'arith', op: type === T.PLUS ? '+' : '-', left, right: this.operand().node };
  }

  /** The inside of '(' arithmetic ')': a sum/difference, or parentheses again. */
  private arithmetic(): { node: OperandSyntax; parens: boolean } {
    if (this.type() === T.LPAREN) {
      const start = this.pos;
      const operand = this.scan(Rule.Operand, start, () => this.operand());
      const operandDies = operand.ok ? (isPlusMinus(this.typeAt(operand.at)) ? Infinity : operand.at) : operand.at;
      if (operandDies === Infinity) return { node: this.sum(), parens: false };
      const parens = this.scan(Rule.ArithmeticParens, start, () => this.arithmeticParens());
      if ((parens.ok ? Infinity : parens.at) > operandDies) {
        if (this.speculating > 0 && parens.ok) {
          // Looking ahead: the extent is known already.
          this.pos = parens.at;
          return { node: { type: 'value', name: '' }, parens: true };
        }
        return this.arithmeticParens();
      }
      return this.fail(operandDies);
    }
    if (this.type() === T.ID && this.type(1) === T.LPAREN) {
      const call = this.scan(Rule.Call, this.pos, () => this.call());
      if (!call.ok) this.fail(call.at);
      if (!isPlusMinus(this.typeAt(call.at))) this.fail(call.at);
    }
    return { node: this.sum(), parens: false };
  }

  private sum(): OperandSyntax {
    const left = this.operand().node;
    const type = this.type();
    if (!isPlusMinus(type)) return this.fail();
    this.pos++;
    return { type: 'arith', op: type === T.PLUS ? '+' : '-', left, right: this.operand().node };
  }

  private arithmeticParens(): { node: OperandSyntax; parens: boolean } {
    this.expect(T.LPAREN);
    const inner = this.arithmetic();
    this.expect(T.RPAREN);
    if (inner.parens) this.redundant();
    return { node: inner.node, parens: true };
  }
}

/**
 * Parses an update expression and makes the checks that depend on its text only (see syntax-checks.ts), in
 * DynamoDB's order: empty, size, syntax and redundant parentheses, then the walk (function names and uses,
 * reserved words, list index range, repeated clauses). Throws ExpressionProblem.
 */
export function parseUpdate(expression: string): ParsedUpdate {
  if (expression.length === 0) throw new ExpressionProblem(MESSAGES.empty);
  if (expression.length > MAX_EXPRESSION_LENGTH) throw new ExpressionProblem(MESSAGES.sizeExceeded);
  const sections = new UpdateParser(expression).parse();
  const seen = new Set<UpdateClause>();
  const actions: UpdateActionSyntax[] = [];
  for (const section of sections) {
    for (const action of section.actions) {
      checkPath(action.path);
      if (action.clause === 'SET') checkOperand(action.value, 'update', 0);
      actions.push(action);
    }
    if (seen.has(section.clause)) throw new ExpressionProblem(MESSAGES.duplicateSection(section.clause));
    seen.add(section.clause);
  }
  return { actions };
}
