import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syntaxErrorParts, T, tokenize } from './tokenizer';

const name = (type: number) => Object.entries(T).find(([, v]) => v === type)![0];

test('tokenizes with DynamoDB lexer rules', () => {
  const table: Array<[string, string[]]> = [
    ['a.b[2].c', ['ID:a', 'DOT:.', 'ID:b', 'LBRACKET:[', 'INDEX:2', 'RBRACKET:]', 'DOT:.', 'ID:c', 'EOF:<EOF>']],
    ['#n = :v', ['NAME:#n', 'EQ:=', 'VALUE::v', 'EOF:<EOF>']],
    ['a<>b<=c>=d<e>f', ['ID:a', 'NE:<>', 'ID:b', 'LE:<=', 'ID:c', 'GE:>=', 'ID:d', 'LT:<', 'ID:e', 'GT:>', 'ID:f', 'EOF:<EOF>']],
    ['AND and AnD andy', ['AND:AND', 'AND:and', 'AND:AnD', 'ID:andy', 'EOF:<EOF>']],
    ['in between not or set add delete remove', ['IN:in', 'BETWEEN:between', 'NOT:not', 'OR:or', 'SET:set', 'ADD:add', 'DELETE:delete', 'REMOVE:remove', 'EOF:<EOF>']],
    ['01 120 7', ['INDEX:0', 'INDEX:1', 'INDEX:120', 'INDEX:7', 'EOF:<EOF>']],
    ['12ab', ['INDEX:12', 'ID:ab', 'EOF:<EOF>']],
    ['_a', ['UNKNOWN:_', 'ID:a', 'EOF:<EOF>']],
    ['# : #_ :_x', ['UNKNOWN:#', 'UNKNOWN::', 'NAME:#_', 'VALUE::_x', 'EOF:<EOF>']],
    ['"a b" \'c\'', ['STRING:"a b"', "STRING:'c'", 'EOF:<EOF>']],
    ['"open', ['UNKNOWN:"', 'ID:open', 'EOF:<EOF>']],
    ['a == b != c', ['ID:a', 'EQ:=', 'EQ:=', 'ID:b', 'UNKNOWN:!', 'EQ:=', 'ID:c', 'EOF:<EOF>']],
    ['ü😀', ['UNKNOWN:ü', 'UNKNOWN:😀', 'EOF:<EOF>']],
    [' \t\r\n', ['EOF:<EOF>']],
  ];
  for (const [text, expected] of table) {
    assert.deepEqual(
      tokenize(text).map((t) => `${name(t.type)}:${t.text}`),
      expected,
      text,
    );
  }
});

test('syntax error token and near follow DynamoDB (previous token to next token, whitespace kept)', () => {
  const table: Array<[string, number, string, string]> = [
    ['SET attrName = 3', 3, '3', '= 3'],
    ['SET MyStr[ 3', 4, '<EOF>', '3'],
    ['SET MyStr[ 3 ', 4, '<EOF>', '3 '],
    ['  RESET NonExistent value', 0, 'RESET', '  RESET NonExistent'],
    ['SET ) 3', 1, ')', 'SET ) 3'],
    ['a\t=\n:v x', 3, 'x', ':v x'],
  ];
  for (const [text, index, token, near] of table) {
    assert.deepEqual(syntaxErrorParts(text, tokenize(text), index), { token, near }, text);
  }
});
