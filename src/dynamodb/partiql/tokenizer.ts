/**
 * PartiQL tokens, as DynamoDB's dialect writes them: bare identifiers (keywords among them, matched without
 * regard to case), double-quoted identifiers (`""` escapes a quote), single-quoted strings (`''` escapes a
 * quote), numbers, `?` parameters and punctuation (`<<` / `>>` open and close a set).
 */
import { wellFormed } from './errors';

export type TokenKind = 'ident' | 'qident' | 'string' | 'number' | 'param' | 'punct' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The identifier or string contents (quotes removed), the number text, or the punctuation. */
  readonly text: string;
  readonly pos: number;
}

const PUNCT3: readonly string[] = [];
const PUNCT2 = ['<<', '>>', '<=', '>=', '<>', '!=', '||'];
const PUNCT1 = '()[]{},.:*+-/=<>;%';

const isIdentStart = (c: string) => /[A-Za-z_$]/.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_$]/.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) throw wellFormed('Unexpected end of statement');
      i = close + 2;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw wellFormed(c === "'" ? 'Unterminated string literal' : 'Unterminated quoted identifier');
        const d = text[i]!;
        if (d === c) {
          if (text[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += d;
        i++;
      }
      out.push({ kind: c === "'" ? 'string' : 'qident', text: value, pos: start });
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      while (i < n && isDigit(text[i]!)) i++;
      if (text[i] === '.') {
        i++;
        while (i < n && isDigit(text[i]!)) i++;
      }
      if (text[i] === 'e' || text[i] === 'E') {
        let j = i + 1;
        if (text[j] === '+' || text[j] === '-') j++;
        if (isDigit(text[j] ?? '')) {
          i = j;
          while (i < n && isDigit(text[i]!)) i++;
        }
      }
      out.push({ kind: 'number', text: text.slice(start, i), pos: start });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(text[i]!)) i++;
      out.push({ kind: 'ident', text: text.slice(start, i), pos: start });
      continue;
    }
    if (c === '?') {
      out.push({ kind: 'param', text: '?', pos: start });
      i++;
      continue;
    }
    const three = text.slice(i, i + 3);
    if (PUNCT3.includes(three)) {
      out.push({ kind: 'punct', text: three, pos: start });
      i += 3;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      out.push({ kind: 'punct', text: two, pos: start });
      i += 2;
      continue;
    }
    if (PUNCT1.includes(c)) {
      out.push({ kind: 'punct', text: c, pos: start });
      i++;
      continue;
    }
    throw wellFormed('Unexpected character');
  }
  out.push({ kind: 'end', text: '', pos: n });
  return out;
}
