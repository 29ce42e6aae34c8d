import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatement } from './parser';
import { Translator, constantValue } from './translate';

const fails = (text: string, detail: string) =>
  assert.throws(() => parseStatement(text), (e: Error) => e.message === `Statement wasn't well formed, can't be processed: ${detail}`);

describe('PartiQL parser', () => {
  it('parses SELECT with projection, index target, WHERE and ORDER BY', () => {
    const s = parseStatement(`select a, "b".c[2], d['x'] FROM "T"."I" WHERE a = ? AND NOT b BETWEEN 1 AND 2 ORDER BY a DESC;`);
    assert.equal(s.kind, 'select');
    if (s.kind !== 'select') return;
    assert.deepEqual(s.target, { table: 'T', index: 'I' });
    assert.deepEqual(s.projection, [['a'], ['b', 'c', 2], ['d', 'x']]);
    assert.deepEqual(s.orderBy, { path: ['a'], descending: true });
    assert.equal(s.parameterCount, 1);
    assert.equal(s.where!.t, 'and');
  });

  it('parses INSERT values of every literal kind', () => {
    const s = parseStatement(`INSERT INTO t VALUE {'s': 'it''s', 'n': -1.5e2, 'b': TRUE, 'z': null, 'l': [1, ?], 'm': {'k': <<'a', 'b'>>}}`);
    assert.equal(s.kind, 'insert');
    if (s.kind !== 'insert') return;
    assert.deepEqual(constantValue(s.value, [{ S: 'p' }]), {
      M: { s: { S: "it's" }, n: { N: '-150' }, b: { BOOL: true }, z: { NULL: true }, l: { L: [{ N: '1' }, { S: 'p' }] }, m: { M: { k: { SS: ['a', 'b'] } } } },
    });
  });

  it('parses UPDATE with several SET and REMOVE clauses and RETURNING', () => {
    const s = parseStatement(`UPDATE t SET a = a + 1, b = list_append(b, [1]) REMOVE c SET s = set_add(s, <<1>>) WHERE k = 'x' RETURNING MODIFIED NEW *`);
    assert.equal(s.kind, 'update');
    if (s.kind !== 'update') return;
    assert.equal(s.actions.length, 4);
    assert.equal(s.returning, 'UPDATED_NEW');
    const t = new Translator([]);
    assert.equal(t.update(s.actions), 'SET #n0 = #n0 + :v0, #n1 = list_append(#n1, :v1) REMOVE #n2 ADD #n3 :v2');
  });

  it('translates WHERE clauses to condition expressions', () => {
    const s = parseStatement(`DELETE FROM t WHERE k = 1 AND (x IS MISSING OR y IS NOT MISSING) AND z IN [1, 2] AND begins_with(w, 'a') AND v != 3`);
    if (s.kind !== 'delete') return assert.fail();
    const t = new Translator([]);
    assert.equal(
      t.condition(s.where!),
      '((((#n0 = :v0) AND ((attribute_not_exists(#n1)) OR (NOT (attribute_not_exists(#n2))))) AND (#n3 IN (:v1, :v2))) AND (begins_with(#n4, :v3))) AND (#n5 <> :v4)',
    );
  });

  it('refuses malformed statements with DynamoDB messages', () => {
    fails('GRANT ALL', 'Expected data manipulation');
    fails('SELECT * FROM', 'Unexpected end of statement');
    fails('SELECT * FROM t WHERE a = = 1', 'Unexpected token');
    fails('SELECT * FROM t WHERE a = 1 SELECT', 'Unexpected keyword');
    fails("SELECT * FROM t WHERE a = 'x", 'Unterminated string literal');
  });

  it('refuses functions in the select list (no COUNT(*))', () => {
    assert.throws(() => parseStatement('SELECT count(*) FROM t'), (e: Error) => e.message === 'Unsupported operation: Function COUNT is not supported in a select list');
  });
});
