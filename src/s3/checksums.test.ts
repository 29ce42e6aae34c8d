import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { AwsError } from '../errors/aws-error';
import {
  checksumBase64,
  checksumFromHeaders,
  createHasher,
  parseChecksumValue,
  type HashAlgorithm,
} from './checksums';

type SdkHash = { update(data: Uint8Array): void; digest(): Promise<Uint8Array> };
// The SDK's own implementations, as an independent reference.
const sdkCrc = require('@aws-sdk/checksums/crc') as Record<'Crc32' | 'Crc32c' | 'Crc64NvmeJs', new () => SdkHash>;

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
const CHECK = Buffer.from('123456789');

// Check values of the CRC catalogue ("123456789") and the usual digests.
const VECTORS: Record<HashAlgorithm, { check: string; empty: string }> = {
  CRC32: { check: b64('cbf43926'), empty: 'AAAAAA==' },
  CRC32C: { check: b64('e3069283'), empty: 'AAAAAA==' },
  CRC64NVME: { check: b64('ae8b14860a799888'), empty: 'AAAAAAAAAAA=' },
  SHA1: { check: b64('f7c3bc1d808e04732adf679965ccc34ca7ae3441'), empty: '2jmj7l5rSw0yVb/vlWAYkK/YBwk=' },
  SHA256: {
    check: b64('15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225'),
    empty: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
  },
  MD5: { check: b64('25f9e794323b453885f5181f1b624d0b'), empty: '1B2M2Y8AsgTpgAmY7PhCfg==' },
};

const rejects = (fn: () => unknown, code: string, message: string): void => {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof AwsError);
    assert.equal(err.code, code);
    assert.equal(err.message, message);
    return true;
  });
};

describe('checksum hashers', () => {
  it('match the check values and the empty input', () => {
    for (const [algorithm, v] of Object.entries(VECTORS) as [HashAlgorithm, { check: string; empty: string }][]) {
      assert.equal(checksumBase64(algorithm, CHECK), v.check, algorithm);
      assert.equal(checksumBase64(algorithm, Buffer.alloc(0)), v.empty, `${algorithm} of nothing`);
    }
  });

  it('agree with the AWS SDK over random data fed in random pieces', async () => {
    const data = randomBytes(100_003);
    const refs = { CRC32: sdkCrc.Crc32, CRC32C: sdkCrc.Crc32c, CRC64NVME: sdkCrc.Crc64NvmeJs } as const;
    for (const [algorithm, Ref] of Object.entries(refs) as [keyof typeof refs, new () => SdkHash][]) {
      const ref = new Ref();
      ref.update(data);
      const expected = Buffer.from(await ref.digest()).toString('base64');
      const hasher = createHasher(algorithm);
      for (let at = 0; at < data.length; ) {
        const n = Math.min(data.length - at, Math.floor(Math.random() * 300));
        hasher.update(data.subarray(at, at + n));
        at += n;
      }
      assert.equal(hasher.digest().toString('base64'), expected, algorithm);
    }
    const sha = createHash('sha256').update(data).digest('base64');
    assert.equal(checksumBase64('SHA256', [data.subarray(0, 7), data.subarray(7)]), sha);
    const streamed = createHasher('CRC32');
    streamed.update(CHECK);
    assert.equal(streamed.digest().toString('base64'), VECTORS.CRC32.check);
  });

  it('parse only canonical base64 of the right size', () => {
    assert.ok(parseChecksumValue('CRC32', 'y/Q5Jg=='));
    assert.equal(parseChecksumValue('CRC32', 'y/Q5Jg='), undefined);
    assert.equal(parseChecksumValue('CRC32', 'y/Q5JgAA'), undefined);
    assert.equal(parseChecksumValue('CRC32', 'y/Q5Jg==='), undefined);
    assert.equal(parseChecksumValue('SHA1', 'y/Q5Jg=='), undefined);
    assert.equal(parseChecksumValue('CRC64NVME', VECTORS.CRC64NVME.check)?.toString('hex'), 'ae8b14860a799888');
  });
});

describe('checksumFromHeaders', () => {
  it('finds a header value or a trailer, or nothing', () => {
    assert.equal(checksumFromHeaders({}), undefined);
    assert.deepEqual(checksumFromHeaders({ 'x-amz-checksum-crc32': ' y/Q5Jg== ', 'x-amz-sdk-checksum-algorithm': 'crc32' }), {
      algorithm: 'CRC32',
      name: 'x-amz-checksum-crc32',
      location: 'header',
      value: 'y/Q5Jg==',
    });
    assert.deepEqual(
      checksumFromHeaders(
        { 'x-amz-trailer': 'x-amz-checksum-crc64nvme', 'x-amz-sdk-checksum-algorithm': 'CRC64NVME' },
        { payloadMode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' },
      ),
      { algorithm: 'CRC64NVME', name: 'x-amz-checksum-crc64nvme', location: 'trailer' },
    );
    // Not checksum values.
    assert.equal(checksumFromHeaders({ 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'FULL_OBJECT', 'x-amz-checksum-mode': 'ENABLED' }), undefined);
  });

  it("answers S3's errors for invalid combinations", () => {
    const crc = 'y/Q5Jg==';
    const sha1 = '98O8HYCOBHMq32eZZczDTKeuNEE=';
    rejects(
      () => checksumFromHeaders({ 'x-amz-checksum-crc32': crc, 'x-amz-checksum-sha1': sha1 }),
      'InvalidRequest',
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
    rejects(
      () => checksumFromHeaders({ 'x-amz-trailer': 'x-amz-checksum-crc32,x-amz-checksum-sha1' }),
      'InvalidRequest',
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
    rejects(
      () => checksumFromHeaders({ 'x-amz-checksum-crc32': crc, 'x-amz-trailer': 'x-amz-checksum-sha1' }),
      'InvalidRequest',
      'Expecting a single x-amz-checksum- header',
    );
    rejects(() => checksumFromHeaders({ 'x-amz-checksum-crc32': 'abc' }), 'InvalidRequest', 'Value for x-amz-checksum-crc32 header is invalid.');
    rejects(() => checksumFromHeaders({ 'x-amz-checksum-sha256': crc }), 'InvalidRequest', 'Value for x-amz-checksum-sha256 header is invalid.');
    rejects(
      () => checksumFromHeaders({ 'x-amz-checksum-md5': crc }),
      'InvalidRequest',
      'The algorithm type you specified in x-amz-checksum- header is invalid.',
    );
    rejects(
      () => checksumFromHeaders({ 'x-amz-trailer': 'x-amz-meta-foo' }),
      'InvalidRequest',
      'The value specified in the x-amz-trailer header is not supported',
    );
    rejects(
      () => checksumFromHeaders({ 'x-amz-sdk-checksum-algorithm': 'CRC32' }),
      'InvalidRequest',
      'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    );
    rejects(
      () => checksumFromHeaders({ 'x-amz-sdk-checksum-algorithm': 'SHA1', 'x-amz-checksum-crc32': crc }),
      'InvalidRequest',
      'Value for x-amz-sdk-checksum-algorithm header is invalid.',
    );
    rejects(
      () => checksumFromHeaders({ 'x-amz-trailer': 'x-amz-checksum-crc32' }, { payloadMode: 'UNSIGNED-PAYLOAD' }),
      'MalformedTrailerError',
      'The request contained trailing data that was not well-formed or did not conform to our published schema.',
    );
  });
});
