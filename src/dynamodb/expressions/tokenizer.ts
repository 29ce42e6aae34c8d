/**
 * The lexer of DynamoDB's expression grammar (the same for condition, update and projection expressions):
 *
 *   whitespace  [ \t\n\r]+, skipped (but kept in the text that syntax errors quote)
 *   operators   =  <>  <  <=  >  >=  +  -  (  )  [  ]  ,  .
 *   keywords    IN BETWEEN NOT AND OR SET ADD DELETE REMOVE, in any case; a keyword is never an identifier
 *   INDEX       0 | [1-9][0-9]*          (so "01" is the two tokens "0" and "1")
 *   ID          [a-zA-Z][a-zA-Z0-9_]*    (an identifier cannot start with "_" or a digit)
 *   NAME        #[a-zA-Z0-9_]+           (ExpressionAttributeNames placeholder)
 *   VALUE       :[a-zA-Z0-9_]+           (ExpressionAttributeValues placeholder)
 *   STRING      "..." or '...'           (never valid in the grammar, but one token in error messages)
 *   UNKNOWN     any other single character
 *
 * Longest match wins, and a keyword beats an identifier of the same length ("and" is AND, "andy" an ID).
 */

export const T = {
  EOF: 0,
  ID: 1,
  NAME: 2,
  VALUE: 3,
  INDEX: 4,
  EQ: 5,
  NE: 6,
  LT: 7,
  LE: 8,
  GT: 9,
  GE: 10,
  PLUS: 11,
  MINUS: 12,
  LPAREN: 13,
  RPAREN: 14,
  LBRACKET: 15,
  RBRACKET: 16,
  COMMA: 17,
  DOT: 18,
  IN: 19,
  BETWEEN: 20,
  NOT: 21,
  AND: 22,
  OR: 23,
  SET: 24,
  ADD: 25,
  DELETE: 26,
  REMOVE: 27,
  STRING: 28,
  UNKNOWN: 29,
} as const;

export type TokenType = (typeof T)[keyof typeof T];

export interface Token {
  readonly type: TokenType;
  readonly text: string;
  /** UTF-16 offsets into the expression: text = expression.slice(start, end). */
  readonly start: number;
  readonly end: number;
}

const KEYWORDS: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ['in', T.IN],
  ['between', T.BETWEEN],
  ['not', T.NOT],
  ['and', T.AND],
  ['or', T.OR],
  ['set', T.SET],
  ['add', T.ADD],
  ['delete', T.DELETE],
  ['remove', T.REMOVE],
]);

const SINGLE: Partial<Record<string, TokenType>> = {
  '=': T.EQ,
  '+': T.PLUS,
  '-': T.MINUS,
  '(': T.LPAREN,
  ')': T.RPAREN,
  '[': T.LBRACKET,
  ']': T.RBRACKET,
  ',': T.COMMA,
  '.': T.DOT,
};

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Splits an expression into tokens; the last token is always EOF (at the end of the text). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    let type: TokenType;
    if (isLetter(c)) {
      i++;
      while (i < n && isIdChar(text.charCodeAt(i))) i++;
      type = KEYWORDS.get(text.slice(start, i).toLowerCase()) ?? T.ID;
    } else if (isDigit(c)) {
      i++;
      if (c !== 48) while (i < n && isDigit(text.charCodeAt(i))) i++;
      type = T.INDEX;
    } else if ((c === 35 || c === 58) && i + 1 < n && isIdChar(text.charCodeAt(i + 1))) {
      i += 2;
      while (i < n && isIdChar(text.charCodeAt(i))) i++;
      type = c === 35 ? T.NAME : T.VALUE;
    } else if (c === 60) {
      const next = text.charCodeAt(i + 1);
      i += next === 62 || next === 61 ? 2 : 1;
      type = next === 62 ? T.NE : next === 61 ? T.LE : T.LT;
    } else if (c === 62) {
      const next = text.charCodeAt(i + 1);
      i += next === 61 ? 2 : 1;
      type = next === 61 ? T.GE : T.GT;
    } else if ((c === 34 || c === 39) && closingQuote(text, i) > 0) {
      i = closingQuote(text, i) + 1;
      type = T.STRING;
    } else {
      const single = SINGLE[text[i]!];
      if (single !== undefined) {
        i++;
        type = single;
      } else {
        // One code point.
        i += c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
        type = T.UNKNOWN;
      }
    }
    tokens.push({ type, text: text.slice(start, i), start, end: i });
  }
  tokens.push({ type: T.EOF, text: '<EOF>', start: n, end: n });
  return tokens;
}

/** Index of the quote closing the string literal opened at `open`, or -1; a backslash escapes that quote. */
function closingQuote(text: string, open: number): number {
  const quote = text.charCodeAt(open);
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 && text.charCodeAt(i + 1) === quote) {
      i++;
      continue;
    }
    if (c === quote) return i;
  }
  return -1;
}

/**
 * DynamoDB's syntax error for the token at `index`: `token` is its text (`<EOF>` at the end) and `near` the
 * expression text from the start of the previous token (or the start of the expression) to the end of the next
 * token (or the end of the expression), whitespace included.
 */
export function syntaxErrorParts(text: string, tokens: readonly Token[], index: number): { token: string; near: string } {
  const token = tokens[index]!;
  const from = index > 0 ? tokens[index - 1]!.start : 0;
  const next = tokens[index + 1];
  const to = token.type !== T.EOF && next !== undefined && next.type !== T.EOF ? next.end : text.length;
  return { token: token.type === T.EOF ? '<EOF>' : token.text, near: text.slice(from, to) };
}
