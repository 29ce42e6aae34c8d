/**
 * DynamoDB's PartiQL statements, parsed into a small tree:
 *
 *   SELECT * | path [, path]* FROM target [WHERE expr] [ORDER BY path [ASC|DESC]]
 *   INSERT INTO target VALUE expr
 *   UPDATE target (SET path = expr [, ...] | REMOVE path [, ...])+ [WHERE expr] [RETURNING (ALL|MODIFIED) (OLD|NEW) *]
 *   DELETE FROM target [WHERE expr] [RETURNING ALL OLD *]
 *   EXISTS (SELECT ...)                               (ExecuteTransaction condition checks)
 *
 * target is `"Table"` or `"Table"."Index"` (quotes optional for plain names). Values are literals (strings
 * '…', numbers, true / false / null / missing, lists [..], maps {'k': v}, sets <<..>>) or `?` parameters.
 */
import { tokenize, type Token } from './tokenizer';
import { unsupported, wellFormed } from './errors';

export type PathElement = string | number;

export type Expr =
  | { readonly t: 'path'; readonly path: readonly PathElement[] }
  | { readonly t: 'string'; readonly value: string }
  | { readonly t: 'number'; readonly value: string }
  | { readonly t: 'bool'; readonly value: boolean }
  | { readonly t: 'null' }
  | { readonly t: 'missing' }
  | { readonly t: 'param'; readonly index: number }
  | { readonly t: 'list'; readonly items: readonly Expr[] }
  | { readonly t: 'bag'; readonly items: readonly Expr[] }
  | { readonly t: 'map'; readonly entries: readonly (readonly [Expr, Expr])[] }
  | { readonly t: 'call'; readonly name: string; readonly args: readonly Expr[] }
  | { readonly t: 'compare'; readonly op: '=' | '<>' | '<' | '<=' | '>' | '>='; readonly left: Expr; readonly right: Expr }
  | { readonly t: 'between'; readonly operand: Expr; readonly lower: Expr; readonly upper: Expr; readonly not: boolean }
  | { readonly t: 'in'; readonly operand: Expr; readonly list: readonly Expr[]; readonly not: boolean }
  | { readonly t: 'is'; readonly operand: Expr; readonly what: 'MISSING' | 'NULL' | 'TRUE' | 'FALSE'; readonly not: boolean }
  | { readonly t: 'arith'; readonly op: '+' | '-'; readonly left: Expr; readonly right: Expr }
  | { readonly t: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly t: 'not'; readonly operand: Expr };

export interface Target {
  readonly table: string;
  readonly index?: string;
}

export type UpdateAction = { readonly kind: 'SET'; readonly path: readonly PathElement[]; readonly value: Expr } | { readonly kind: 'REMOVE'; readonly path: readonly PathElement[] };

export type Returning = 'ALL_OLD' | 'ALL_NEW' | 'UPDATED_OLD' | 'UPDATED_NEW';

export type Statement =
  | {
      readonly kind: 'select';
      readonly target: Target;
      /** undefined: `*`. */
      readonly projection?: readonly (readonly PathElement[])[];
      readonly where?: Expr;
      readonly orderBy?: { readonly path: readonly PathElement[]; readonly descending: boolean };
    }
  | { readonly kind: 'insert'; readonly target: Target; readonly value: Expr }
  | { readonly kind: 'update'; readonly target: Target; readonly actions: readonly UpdateAction[]; readonly where?: Expr; readonly returning?: Returning }
  | { readonly kind: 'delete'; readonly target: Target; readonly where?: Expr; readonly returning?: Returning }
  | { readonly kind: 'exists'; readonly select: Extract<Statement, { kind: 'select' }> };

export type ParsedStatement = Statement & { readonly parameterCount: number };

const RESERVED = new Set([
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'INSERT', 'INTO', 'VALUE', 'VALUES', 'UPDATE', 'SET', 'REMOVE', 'DELETE',
  'BETWEEN', 'IN', 'IS', 'MISSING', 'NULL', 'TRUE', 'FALSE', 'ORDER', 'BY', 'ASC', 'DESC', 'RETURNING', 'EXISTS', 'LIMIT',
]);

class Parser {
  private i = 0;
  private params = 0;

  constructor(private readonly tokens: Token[]) {}

  get parameterCount(): number {
    return this.params;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i++;
    return t;
  }

  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  private isPunct(p: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === p;
  }

  private unexpected(): never {
    const t = this.peek();
    if (t.kind === 'end') throw wellFormed('Unexpected end of statement');
    if (t.kind === 'ident' && RESERVED.has(t.text.toUpperCase())) throw wellFormed('Unexpected keyword');
    throw wellFormed('Unexpected token');
  }

  keyword(word: string): void {
    if (!this.isKeyword(word)) this.unexpected();
    this.i++;
  }

  private punct(p: string): void {
    if (!this.isPunct(p)) this.unexpected();
    this.i++;
  }

  end(): void {
    if (this.isPunct(';')) this.i++;
    if (this.peek().kind !== 'end') this.unexpected();
  }

  statement(): Statement {
    if (this.isKeyword('SELECT')) return this.select();
    if (this.isKeyword('INSERT')) return this.insert();
    if (this.isKeyword('UPDATE')) return this.update();
    if (this.isKeyword('DELETE')) return this.delete();
    if (this.isKeyword('EXISTS')) {
      this.i++;
      this.punct('(');
      if (!this.isKeyword('SELECT')) this.unexpected();
      const select = this.select();
      this.punct(')');
      return { kind: 'exists', select };
    }
    throw wellFormed('Expected data manipulation');
  }

  private name(): string {
    const t = this.peek();
    if (t.kind === 'qident') {
      this.i++;
      return t.text;
    }
    if (t.kind === 'ident' && !RESERVED.has(t.text.toUpperCase())) {
      this.i++;
      return t.text;
    }
    return this.unexpected();
  }

  private target(): Target {
    const table = this.name();
    if (this.isPunct('.')) {
      this.i++;
      return { table, index: this.name() };
    }
    return { table };
  }

  path(): PathElement[] {
    const out: PathElement[] = [this.name()];
    for (;;) {
      if (this.isPunct('.')) {
        this.i++;
        out.push(this.name());
      } else if (this.isPunct('[')) {
        this.i++;
        const t = this.next();
        if (t.kind === 'number' && /^\d+$/.test(t.text)) out.push(Number(t.text));
        else if (t.kind === 'string') out.push(t.text);
        else throw wellFormed('Unexpected path component');
        this.punct(']');
      } else return out;
    }
  }

  private select(): Extract<Statement, { kind: 'select' }> {
    this.keyword('SELECT');
    let projection: PathElement[][] | undefined;
    if (this.isPunct('*')) this.i++;
    else {
      // DynamoDB's PartiQL has no aggregates (COUNT(*), SUM(...)) nor other functions in the select list: its
      // documented functions (SIZE, EXISTS, ATTRIBUTE_TYPE, BEGINS_WITH, CONTAINS, MISSING) are conditions.
      const first = this.peek();
      if (first.kind === 'ident' && this.isPunct('(', 1)) throw unsupported(`Function ${first.text.toUpperCase()} is not supported in a select list`);
      projection = [this.path()];
      while (this.isPunct(',')) {
        this.i++;
        projection.push(this.path());
      }
    }
    this.keyword('FROM');
    const target = this.target();
    const out: { -readonly [K in keyof Extract<Statement, { kind: 'select' }>]: Extract<Statement, { kind: 'select' }>[K] } = { kind: 'select', target };
    if (projection) out.projection = projection;
    if (this.isKeyword('WHERE')) {
      this.i++;
      out.where = this.expr();
    }
    if (this.isKeyword('ORDER')) {
      this.i++;
      this.keyword('BY');
      const path = this.path();
      let descending = false;
      if (this.isKeyword('ASC')) this.i++;
      else if (this.isKeyword('DESC')) {
        this.i++;
        descending = true;
      }
      out.orderBy = { path, descending };
    }
    return out;
  }

  private insert(): Statement {
    this.keyword('INSERT');
    this.keyword('INTO');
    const target = this.target();
    this.keyword('VALUE');
    const value = this.primary();
    return { kind: 'insert', target, value };
  }

  private update(): Statement {
    this.keyword('UPDATE');
    const target = this.target();
    const actions: UpdateAction[] = [];
    for (;;) {
      if (this.isKeyword('SET')) {
        this.i++;
        do {
          if (this.isPunct(',')) this.i++;
          const path = this.path();
          this.punct('=');
          actions.push({ kind: 'SET', path, value: this.additive() });
        } while (this.isPunct(','));
      } else if (this.isKeyword('REMOVE')) {
        this.i++;
        do {
          if (this.isPunct(',')) this.i++;
          actions.push({ kind: 'REMOVE', path: this.path() });
        } while (this.isPunct(','));
      } else break;
    }
    if (actions.length === 0) this.unexpected();
    const out: { kind: 'update'; target: Target; actions: UpdateAction[]; where?: Expr; returning?: Returning } = { kind: 'update', target, actions };
    return this.whereAndReturning(out);
  }

  private delete(): Statement {
    this.keyword('DELETE');
    this.keyword('FROM');
    const target = this.target();
    const out: { kind: 'delete'; target: Target; where?: Expr; returning?: Returning } = { kind: 'delete', target };
    return this.whereAndReturning(out);
  }

  /** The optional WHERE and RETURNING clauses that end an UPDATE or DELETE, set on `out`. */
  private whereAndReturning<T extends { where?: Expr; returning?: Returning }>(out: T): T {
    if (this.isKeyword('WHERE')) {
      this.i++;
      out.where = this.expr();
    }
    const returning = this.returning();
    if (returning) out.returning = returning;
    return out;
  }

  private returning(): Returning | undefined {
    if (!this.isKeyword('RETURNING')) return undefined;
    this.i++;
    let which: 'ALL' | 'UPDATED';
    if (this.isKeyword('ALL')) which = 'ALL';
    else if (this.isKeyword('MODIFIED')) which = 'UPDATED';
    else return this.unexpected();
    this.i++;
    let age: 'OLD' | 'NEW';
    if (this.isKeyword('OLD')) age = 'OLD';
    else if (this.isKeyword('NEW')) age = 'NEW';
    else return this.unexpected();
    this.i++;
    this.punct('*');
    return `${which}_${age}`;
  }

  expr(): Expr {
    return this.logical('OR', () => this.andExpr());
  }

  private andExpr(): Expr {
    return this.logical('AND', () => this.notExpr());
  }

  /** A left-associative chain of `operand (OR|AND operand)*`. */
  private logical(word: 'OR' | 'AND', operand: () => Expr): Expr {
    const t = word === 'OR' ? 'or' : 'and';
    let left = operand();
    while (this.isKeyword(word)) {
      this.i++;
      left = { t, left, right: operand() };
    }
    return left;
  }

  private notExpr(): Expr {
    if (this.isKeyword('NOT')) {
      this.i++;
      return { t: 'not', operand: this.notExpr() };
    }
    return this.predicate();
  }

  private predicate(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'punct' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.i++;
      const op = (t.text === '!=' ? '<>' : t.text) as '=' | '<>' | '<' | '<=' | '>' | '>=';
      return { t: 'compare', op, left, right: this.additive() };
    }
    let not = false;
    if (this.isKeyword('NOT') && (this.isKeyword('BETWEEN', 1) || this.isKeyword('IN', 1))) {
      this.i++;
      not = true;
    }
    if (this.isKeyword('BETWEEN')) {
      this.i++;
      const lower = this.additive();
      this.keyword('AND');
      return { t: 'between', operand: left, lower, upper: this.additive(), not };
    }
    if (this.isKeyword('IN')) {
      this.i++;
      const close = this.isPunct('[') ? ']' : this.isPunct('(') ? ')' : this.isPunct('<<') ? '>>' : undefined;
      if (!close) {
        if (this.peek().kind === 'param') {
          this.i++;
          return { t: 'in', operand: left, list: [{ t: 'param', index: this.params++ }], not };
        }
        this.unexpected();
      }
      this.i++;
      const list = this.additiveList(close);
      return { t: 'in', operand: left, list, not };
    }
    if (this.isKeyword('IS')) {
      this.i++;
      let isNot = false;
      if (this.isKeyword('NOT')) {
        this.i++;
        isNot = true;
      }
      for (const what of ['MISSING', 'NULL', 'TRUE', 'FALSE'] as const) {
        if (this.isKeyword(what)) {
          this.i++;
          return { t: 'is', operand: left, what, not: isNot };
        }
      }
      this.unexpected();
    }
    return left;
  }

  /** Comma-separated additive expressions (perhaps none) up to and including `close`. */
  private additiveList(close: string): Expr[] {
    const items: Expr[] = [];
    if (!this.isPunct(close)) {
      items.push(this.additive());
      while (this.isPunct(',')) {
        this.i++;
        items.push(this.additive());
      }
    }
    this.punct(close);
    return items;
  }

  additive(): Expr {
    let left = this.primary();
    while (this.isPunct('+') || this.isPunct('-')) {
      const op = this.next().text as '+' | '-';
      left = { t: 'arith', op, left, right: this.primary() };
    }
    return left;
  }

  primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.i++;
        return { t: 'string', value: t.text };
      case 'number':
        this.i++;
        return { t: 'number', value: t.text };
      case 'param':
        this.i++;
        return { t: 'param', index: this.params++ };
      case 'qident':
        return { t: 'path', path: this.path() };
      case 'ident': {
        const upper = t.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') {
          this.i++;
          return { t: 'bool', value: upper === 'TRUE' };
        }
        if (upper === 'NULL') {
          this.i++;
          return { t: 'null' };
        }
        if (upper === 'MISSING') {
          this.i++;
          return { t: 'missing' };
        }
        if (this.isPunct('(', 1) && !RESERVED.has(upper)) {
          this.i += 2;
          const args = this.additiveList(')');
          return { t: 'call', name: t.text.toLowerCase(), args };
        }
        return { t: 'path', path: this.path() };
      }
      case 'punct':
        if (t.text === '-' && this.peek(1).kind === 'number') {
          this.i += 2;
          return { t: 'number', value: '-' + this.peek(-1).text };
        }
        if (t.text === '(') {
          this.i++;
          const inner = this.expr();
          this.punct(')');
          return inner;
        }
        if (t.text === '[' || t.text === '<<') {
          this.i++;
          const close = t.text === '[' ? ']' : '>>';
          const items = this.additiveList(close);
          return { t: t.text === '[' ? 'list' : 'bag', items };
        }
        if (t.text === '{') {
          this.i++;
          const entries: [Expr, Expr][] = [];
          if (!this.isPunct('}')) {
            for (;;) {
              const key = this.primary();
              this.punct(':');
              entries.push([key, this.additive()]);
              if (!this.isPunct(',')) break;
              this.i++;
            }
          }
          this.punct('}');
          return { t: 'map', entries };
        }
        return this.unexpected();
      default:
        return this.unexpected();
    }
  }
}

/** Parses one statement; throws DynamoDB's ValidationException for what it cannot parse. */
export function parseStatement(text: string): ParsedStatement {
  const parser = new Parser(tokenize(text));
  const statement = parser.statement();
  parser.end();
  return { ...statement, parameterCount: parser.parameterCount };
}
