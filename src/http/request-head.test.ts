import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_HEAD_BYTES, parseRequestHead } from './request-head';

const head = (text: string): Buffer => Buffer.from(text, 'latin1');
const SDK_HEAD =
  'POST / HTTP/1.1\r\nhost: 127.0.0.1:4566\r\ncontent-type: application/x-amz-json-1.0\r\n' +
  'x-amz-target: DynamoDB_20120810.GetItem\r\ncontent-length: 2\r\n\r\n{}';

test('the head an SDK sends: method, target, lower-case trimmed headers, and where the body starts', () => {
  const parsed = parseRequestHead(head(SDK_HEAD), 0);
  assert.notEqual(typeof parsed, 'string');
  if (typeof parsed === 'string') return;
  assert.equal(parsed.method, 'POST');
  assert.equal(parsed.url, '/');
  assert.deepEqual(parsed.headers, {
    host: '127.0.0.1:4566',
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.GetItem',
    'content-length': '2',
  });
  assert.equal(head(SDK_HEAD).subarray(parsed.end).toString(), '{}');
});

test('a head may start further into the buffer, after an earlier request', () => {
  const buf = head(`{}${SDK_HEAD}`);
  const parsed = parseRequestHead(buf, 2);
  assert.ok(typeof parsed !== 'string' && parsed.end === buf.length - 2);
});

test('header names keep their value whatever their case; values lose surrounding spaces and tabs only', () => {
  const parsed = parseRequestHead(head('POST /?a=b HTTP/1.1\r\nX-Amz-Target:\t DynamoDB_20120810.Query  \r\nX-Odd: a  b\r\n\r\n'), 0);
  assert.ok(typeof parsed !== 'string');
  assert.equal(parsed.url, '/?a=b');
  assert.deepEqual(parsed.headers, { 'x-amz-target': 'DynamoDB_20120810.Query', 'x-odd': 'a  b' });
});

test('an unfinished head is incomplete until it passes the size limit', () => {
  assert.equal(parseRequestHead(head('POST / HTTP/1.1\r\nhost: x\r\n'), 0), 'incomplete');
  assert.equal(parseRequestHead(head('POST / HTTP/1.1\r\nhost: x\r\n\r'), 0), 'incomplete');
  assert.equal(parseRequestHead(head(`POST / HTTP/1.1\r\nx-long: ${'a'.repeat(MAX_HEAD_BYTES)}`), 0), 'unsupported');
  assert.equal(parseRequestHead(head(`POST / HTTP/1.1\r\nx-long: ${'a'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`), 0), 'unsupported');
});

test('anything but the plain form is left to node:http', () => {
  const cases: [string, string][] = [
    ['HTTP/1.0', 'POST / HTTP/1.0\r\nhost: x\r\n\r\n'],
    ['no version', 'POST /\r\nhost: x\r\n\r\n'],
    ['two spaces', 'POST  / HTTP/1.1\r\nhost: x\r\n\r\n'],
    ['lower-case version', 'POST / http/1.1\r\nhost: x\r\n\r\n'],
    ['a method that is no token', 'PO(ST / HTTP/1.1\r\nhost: x\r\n\r\n'],
    ['a control character in the target', 'POST /\x01 HTTP/1.1\r\nhost: x\r\n\r\n'],
    ['a line without a colon', 'POST / HTTP/1.1\r\nhost x\r\n\r\n'],
    ['an empty name', 'POST / HTTP/1.1\r\n: x\r\n\r\n'],
    ['a space before the colon', 'POST / HTTP/1.1\r\nhost : x\r\n\r\n'],
    ['obsolete line folding', 'POST / HTTP/1.1\r\nx-a: b\r\n c\r\n\r\n'],
    ['a repeated header', 'POST / HTTP/1.1\r\ncontent-length: 1\r\nContent-Length: 1\r\n\r\n'],
    ['a bare LF', 'POST / HTTP/1.1\r\nx-a: b\nx-c: d\r\n\r\n'],
    ['a bare CR', 'POST / HTTP/1.1\r\nx-a: b\rx-c: d\r\n\r\n'],
    ['a NUL in a value', 'POST / HTTP/1.1\r\nx-a: b\x00\r\n\r\n'],
    ['DEL in a value', 'POST / HTTP/1.1\r\nx-a: b\x7f\r\n\r\n'],
  ];
  for (const [what, text] of cases) assert.equal(parseRequestHead(head(text), 0), 'unsupported', what);
});

test('bytes above 0x7f in a value are read as latin1, as node:http reads them', () => {
  const parsed = parseRequestHead(Buffer.concat([head('POST / HTTP/1.1\r\nx-a: '), Buffer.from([0xc3, 0xa9]), head('\r\n\r\n')]), 0);
  assert.ok(typeof parsed !== 'string');
  assert.equal(parsed.headers['x-a'], '\u00c3\u00a9');
});
