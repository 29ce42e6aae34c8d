import { ExpressionProblem, MESSAGES } from './errors';
import { syntaxErrorParts, T, tokenize, type Token, type TokenType } from './tokenizer';
import type { CallSyntax, OperandSyntax, PathElementSyntax, PathSyntax } from './types';

/**
 * Shared machinery of the three expression grammars, which follow DynamoDB's (ANTLR) grammar:
 *
 *   path     : id ('.' id | '[' INDEX ']')*          id : ID | NAME
 *   operand  : path | VALUE | func | '(' operand ')'
 *   func     : ID '(' operand (',' operand)* ')'
 *
 * Parsing is deterministic recursive descent. Where DynamoDB's parser has to look ahead to choose between
 * alternatives that start alike (a '(' opening either a grouped condition or a parenthesised operand, a
 * function call that is either a condition or an operand), the subclasses scan ahead speculatively (memoized per
 * start token, so parsing stays linear) and commit the way DynamoDB's prediction does. A syntax error is
 * reported at the first token at which no alternative can go on, exactly as DynamoDB reports it.
 *
 * `((x))` (the same kind of parentheses directly around parentheses) is reported as redundant parentheses at
 * the moment the outer ')' is parsed on the committed path, before anything later in the expression is read;
 * while scanning ahead it is not reported.
 */

/** A syntax error at the token with this index (internal control flow). */
export class SyntaxFailure {
  constructor(readonly index: number) {}
}

export interface ScanResult {
  readonly ok: boolean;
  /** Index of the token after the scanned construct when `ok`, else of the token where it failed. */
  readonly at: number;
}

export const MAX_INDEX = 2147483647;

/** Scan rule ids below this are the subclasses'. */
const RULE_OPERAND = 100;
/** What a look-ahead returns for a parenthesised operand (its value is never used). */
const SCANNED = { node: { type: 'value', name: '' } as OperandSyntax, parens: true };

export abstract class ParserBase {
  protected readonly tokens: Token[];
  protected pos = 0;
  protected speculating = 0;
  private readonly memo = new Map<number, number>();

  constructor(protected readonly text: string) {
    this.tokens = tokenize(text);
  }

  /** Runs a grammar's start rule, turning a syntax failure into DynamoDB's message. */
  protected run<R>(start: () => R): R {
    try {
      const result = start();
      if (this.type() !== T.EOF) this.fail();
      return result;
    } catch (error) {
      if (error instanceof SyntaxFailure) {
        const { token, near } = syntaxErrorParts(this.text, this.tokens, error.index);
        throw new ExpressionProblem(MESSAGES.syntax(token, near));
      }
      if (error instanceof RangeError) {
        // Nesting deeper than the stack allows. Within 4096 characters a valid expression nests at most ~820
        // levels (`(NOT(NOT(...` ); deeper ones have `((` around a group or an operand: redundant.
        for (let i = 1; i < this.tokens.length; i++) {
          if (this.tokens[i]!.type === T.LPAREN && this.tokens[i - 1]!.type === T.LPAREN) {
            throw new ExpressionProblem(MESSAGES.redundantParentheses);
          }
        }
        const { token, near } = syntaxErrorParts(this.text, this.tokens, this.tokens.length - 1);
        throw new ExpressionProblem(MESSAGES.syntax(token, near));
      }
      throw error;
    }
  }

  protected type(offset = 0): TokenType {
    const i = this.pos + offset;
    return i < this.tokens.length ? this.tokens[i]!.type : T.EOF;
  }

  protected typeAt(index: number): TokenType {
    return index < this.tokens.length ? this.tokens[index]!.type : T.EOF;
  }

  protected fail(at: number = this.pos): never {
    throw new SyntaxFailure(at);
  }

  protected expect(type: TokenType): Token {
    const token = this.tokens[this.pos]!;
    if (token.type !== type) this.fail();
    this.pos++;
    return token;
  }

  /** `((x))` found on the committed path. */
  protected redundant(): void {
    if (this.speculating === 0) throw new ExpressionProblem(MESSAGES.redundantParentheses);
  }

  /**
   * Tries `rule` from token `start` without consuming anything or reporting redundant parentheses. Results are
   * memoized per (rule id, start token), which keeps nested look-aheads linear.
   */
  protected scan(ruleId: number, start: number, rule: () => unknown): ScanResult {
    const key = ruleId * 1_000_000 + start;
    const known = this.memo.get(key);
    if (known !== undefined) return known >= 0 ? { ok: true, at: known } : { ok: false, at: -known - 1 };
    const saved = this.pos;
    this.pos = start;
    this.speculating++;
    let result: ScanResult;
    try {
      rule();
      result = { ok: true, at: this.pos };
    } catch (error) {
      if (!(error instanceof SyntaxFailure)) throw error;
      result = { ok: false, at: error.index };
    } finally {
      this.speculating--;
      this.pos = saved;
    }
    this.memo.set(key, result.ok ? result.at : -result.at - 1);
    return result;
  }

  protected parsePath(): PathSyntax {
    const elements: PathElementSyntax[] = [this.pathId()];
    for (;;) {
      const type = this.type();
      if (type === T.DOT) {
        this.pos++;
        elements.push(this.pathId());
      } else if (type === T.LBRACKET) {
        this.pos++;
        const token = this.expect(T.INDEX);
        this.expect(T.RBRACKET);
        elements.push({ kind: 'index', index: Number(token.text), text: token.text });
      } else {
        return { type: 'path', elements };
      }
    }
  }

  private pathId(): PathElementSyntax {
    const token = this.tokens[this.pos]!;
    if (token.type === T.ID) {
      this.pos++;
      return { kind: 'id', name: token.text };
    }
    if (token.type === T.NAME) {
      this.pos++;
      return { kind: 'alias', name: token.text };
    }
    return this.fail();
  }

  /** An operand; `parens` is whether it was written inside parentheses (for the redundancy check). */
  protected operand(): { node: OperandSyntax; parens: boolean } {
    switch (this.type()) {
      case T.LPAREN: {
        this.pos++;
        if (this.speculating > 0) {
          // Only the extent matters while looking ahead; memoizing it keeps nested look-aheads linear.
          const inner = this.scan(RULE_OPERAND, this.pos, () => this.operand());
          if (!inner.ok) this.fail(inner.at);
          this.pos = inner.at;
          this.expect(T.RPAREN);
          return SCANNED;
        }
        const inner = this.operand();
        this.expect(T.RPAREN);
        if (inner.parens) this.redundant();
        return { node: inner.node, parens: true };
      }
      case T.VALUE:
        return { node: { type: 'value', name: this.tokens[this.pos++]!.text }, parens: false };
      case T.ID:
        return { node: this.type(1) === T.LPAREN ? this.call() : this.parsePath(), parens: false };
      case T.NAME:
        return { node: this.parsePath(), parens: false };
      default:
        return this.fail();
    }
  }

  protected call(): CallSyntax {
    const name = this.expect(T.ID).text;
    this.expect(T.LPAREN);
    const args: OperandSyntax[] = [this.operand().node];
    while (this.type() === T.COMMA) {
      this.pos++;
      args.push(this.operand().node);
    }
    this.expect(T.RPAREN);
    return { type: 'call', name, args };
  }
}
