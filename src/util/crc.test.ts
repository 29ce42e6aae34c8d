import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Crc32, Crc32c, Crc64Nvme } from './crc';

type SdkHash = { update(data: Uint8Array): void; digest(): Promise<Uint8Array> };
// The SDK's own implementations, as an independent reference.
const sdkCrc = require('@aws-sdk/checksums/crc') as Record<'Crc32' | 'Crc32c' | 'Crc64NvmeJs', new () => SdkHash>;

const CASES = [
  ['CRC32', () => new Crc32(), sdkCrc.Crc32],
  ['CRC32C', () => new Crc32c(), sdkCrc.Crc32c],
  ['CRC64NVME', () => new Crc64Nvme(), sdkCrc.Crc64NvmeJs],
] as const;

test('large pieces at every alignment, and views of one shared memory, agree with the SDK', async () => {
  // Socket chunks are 64 KiB and 4-byte aligned; slices of them (aws-chunked payloads) start anywhere.
  const memory = randomBytes(1_200_000);
  for (const [name, make, Ref] of CASES) {
    for (let start = 0; start < 8; start++) {
      const data = memory.subarray(start, start + 1_000_000 + start);
      const ref = new Ref();
      ref.update(data);
      const crc = make();
      for (let at = 0; at < data.length; ) {
        const n = Math.min(data.length - at, 1 + Math.floor(Math.random() * 100_000));
        crc.update(data.subarray(at, at + n));
        at += n;
      }
      assert.equal(crc.digest().toString('hex'), Buffer.from(await ref.digest()).toString('hex'), `${name} from offset ${start}`);
    }
  }
});

test('the check values, and pieces shorter than a step', () => {
  const check = Buffer.from('123456789');
  const expected = { CRC32: 'cbf43926', CRC32C: 'e3069283', CRC64NVME: 'ae8b14860a799888' };
  for (const [name, make] of CASES) {
    const whole = make();
    whole.update(check);
    assert.equal(whole.digest().toString('hex'), expected[name]);
    const bytewise = make();
    for (let i = 0; i < check.length; i++) bytewise.update(check.subarray(i, i + 1));
    assert.equal(bytewise.digest().toString('hex'), expected[name], `${name} byte by byte`);
  }
});
