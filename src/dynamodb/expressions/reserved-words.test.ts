import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isReservedWord, RESERVED_WORDS } from './reserved-words';

test('the full list of 573 reserved words', () => {
  assert.equal(RESERVED_WORDS.size, 573);
  for (const word of ['ABORT', 'ZONE', 'STATUS', 'NAME', 'DATA', 'VALUE', 'SIZE', 'FLATTERN', 'INNTER', 'LOGED', 'TTL']) {
    assert.ok(RESERVED_WORDS.has(word), word);
  }
});

test('reserved words are matched without regard to case; REMOVE is not one', () => {
  assert.equal(isReservedWord('status'), true);
  assert.equal(isReservedWord('StAtUs'), true);
  assert.equal(isReservedWord('remove'), false);
  assert.equal(isReservedWord('statuses'), false);
  assert.equal(isReservedWord('toString'), false);
});
