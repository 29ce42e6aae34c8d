import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { decryptingStream, encryptingStream, keyMatches, newVerifier } from './sse-c';

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('CTR: decrypting from any offset matches the plaintext, including across the 128-bit counter wrap', async () => {
  const key = randomBytes(32);
  const plain = randomBytes(5000);
  for (const iv of [randomBytes(16), Buffer.alloc(16, 0xff), Buffer.concat([Buffer.alloc(8, 0), Buffer.alloc(8, 0xff)])]) {
    const enc = encryptingStream(key, iv.toString('base64'));
    const cipher = await collect(Readable.from([plain.subarray(0, 7), plain.subarray(7, 4000), plain.subarray(4000)]).pipe(enc.stream));
    assert.equal(cipher.length, plain.length);
    assert.notDeepEqual(cipher, plain);
    for (const offset of [0, 1, 15, 16, 17, 255, 256, 4095, 4999]) {
      const out = await collect(Readable.from([cipher.subarray(offset)]).pipe(decryptingStream(key, iv.toString('base64'), offset)));
      assert.deepEqual(out, plain.subarray(offset), `offset ${offset}`);
    }
  }
});

test('the verifier recognizes the key, and only it', () => {
  const key = randomBytes(32);
  const v = newVerifier({ key, keyMd5: 'x' });
  assert.equal(keyMatches(v, { key, keyMd5: 'x' }), true);
  assert.equal(keyMatches(v, { key: randomBytes(32), keyMd5: 'x' }), false);
  assert.equal(keyMatches(v, { key: key.subarray(0, 16), keyMd5: 'x' }), false);
  assert.ok(!JSON.stringify(v).includes(key.toString('base64')));
});
