import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { AwsError } from '../errors/aws-error';
import type { ChunkSigningContext } from './aws-chunked';
import { awsChunkedOptions } from './aws-chunked-options';
import { decodeAwsChunked, storedContentEncoding, type AwsChunkedMode, type AwsChunkedOptions, type AwsChunkedResult } from './aws-chunked';
import { checksumBase64, type DeclaredChecksum } from './checksums';

// The SigV4 streaming examples of the S3 API reference (sigv4-streaming.html, sigv4-streaming-trailers.html).
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
/** SigV4's key derivation, written out here as the reference gives it. */
const SIGNING_KEY = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, '20130524'), 'us-east-1'), 's3'), 'aws4_request');
const exampleSigning = (seedSignature: string): ChunkSigningContext => ({
  signingKey: SIGNING_KEY,
  amzDate: '20130524T000000Z',
  scope: '20130524/us-east-1/s3/aws4_request',
  seedSignature,
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
});
const A64K = Buffer.alloc(65536, 'a');
const A1K = Buffer.alloc(1024, 'a');
const EXAMPLE = {
  seed: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  sigs: [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ],
};
const TRAILER_EXAMPLE = {
  seed: '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e',
  sigs: [
    'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
    '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
    '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
  ],
  trailer: 'x-amz-checksum-crc32c:sOO8/Q==',
  trailerSig: 'd81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435',
};

const exampleBody = (sigs: string[], trailer?: { line: string; sig: string }): Buffer =>
  Buffer.concat([
    Buffer.from(`10000;chunk-signature=${sigs[0]}\r\n`),
    A64K,
    Buffer.from(`\r\n400;chunk-signature=${sigs[1]}\r\n`),
    A1K,
    Buffer.from(`\r\n0;chunk-signature=${sigs[2]}\r\n`),
    Buffer.from(trailer ? `${trailer.line}\r\nx-amz-trailer-signature:${trailer.sig}\r\n\r\n` : '\r\n'),
  ]);

const crc32cTrailer: DeclaredChecksum = { algorithm: 'CRC32C', name: 'x-amz-checksum-crc32c', location: 'trailer' };
const crc32Trailer: DeclaredChecksum = { algorithm: 'CRC32', name: 'x-amz-checksum-crc32', location: 'trailer' };

async function decode(input: Buffer | Buffer[], options: AwsChunkedOptions): Promise<{ data: Buffer; result: AwsChunkedResult }> {
  const decoder = decodeAwsChunked(options);
  const out: Buffer[] = [];
  await pipeline(Readable.from(Array.isArray(input) ? input : [input]), decoder, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) out.push(chunk);
  });
  assert.ok(decoder.result, 'a result before the end');
  return { data: Buffer.concat(out), result: decoder.result };
}

async function rejectsWith(
  input: Buffer | Buffer[],
  options: AwsChunkedOptions,
  code: string,
  message?: string,
  fields?: Record<string, unknown>,
): Promise<void> {
  await assert.rejects(decode(input, options), (err: unknown) => {
    assert.ok(err instanceof AwsError, String(err));
    assert.equal(err.code, code, err.message);
    if (message !== undefined) assert.equal(err.message, message);
    if (fields !== undefined) for (const [k, v] of Object.entries(fields)) assert.deepEqual(err.fields[k], v, k);
    return true;
  });
}

/** A test encoder: signed chunks chained like the SDK's signer, optional trailer. */
function encode(
  mode: AwsChunkedMode,
  chunks: Buffer[],
  signing: ChunkSigningContext,
  trailer?: { name: string; value: string },
): Buffer {
  const signed = mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
  const parts: Buffer[] = [];
  let prev = signing.seedSignature;
  const sign = (toSign: string): string => createHmac('sha256', signing.signingKey).update(toSign).digest('hex');
  const empty = createHash('sha256').digest('hex');
  for (const chunk of [...chunks, Buffer.alloc(0)]) {
    let ext = '';
    if (signed) {
      const hash = createHash('sha256').update(chunk).digest('hex');
      prev = sign(`AWS4-HMAC-SHA256-PAYLOAD\n${signing.amzDate}\n${signing.scope}\n${prev}\n${empty}\n${hash}`);
      ext = `;chunk-signature=${prev}`;
    }
    parts.push(Buffer.from(`${chunk.length.toString(16)}${ext}\r\n`), chunk);
    if (chunk.length > 0) parts.push(Buffer.from('\r\n'));
  }
  let tail = '';
  if (trailer) tail += `${trailer.name}:${trailer.value}\r\n`;
  if (mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER') {
    const hash = createHash('sha256').update(trailer ? `${trailer.name}:${trailer.value}\n` : '').digest('hex');
    tail += `x-amz-trailer-signature:${sign(`AWS4-HMAC-SHA256-TRAILER\n${signing.amzDate}\n${signing.scope}\n${prev}\n${hash}`)}\r\n`;
  }
  parts.push(Buffer.from(`${tail}\r\n`));
  return Buffer.concat(parts);
}

/** The body as the AWS SDK v3 encodes it for STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer. */
async function sdkEncode(chunks: Buffer[]): Promise<Buffer> {
  const { getAwsChunkedEncodingStream } = require('@smithy/core/serde') as {
    getAwsChunkedEncodingStream: (stream: Readable, options: Record<string, unknown>) => Readable;
  };
  const { Crc32 } = require('@aws-sdk/checksums/crc') as { Crc32: new () => { update(d: Uint8Array): void; digest(): Promise<Uint8Array> } };
  const source = Readable.from(chunks, { objectMode: false });
  const encoded = getAwsChunkedEncodingStream(source, {
    base64Encoder: (bytes: Uint8Array) => Buffer.from(bytes).toString('base64'),
    bodyLengthChecker: (b: Buffer) => b.length,
    checksumAlgorithmFn: Crc32,
    checksumLocationName: 'x-amz-checksum-crc32',
    streamHasher: (Hash: new () => { update(d: Uint8Array): void; digest(): Promise<Uint8Array> }, stream: Readable) =>
      new Promise<Uint8Array>((resolve, reject) => {
        const hash = new Hash();
        stream.on('data', (d: Buffer) => hash.update(d));
        stream.on('end', () => resolve(hash.digest()));
        stream.on('error', reject);
      }),
  });
  const out: Buffer[] = [];
  for await (const part of encoded) out.push(Buffer.from(part as string | Buffer));
  return Buffer.concat(out);
}

describe('aws-chunked: the AWS documentation examples', () => {
  it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD: 64 KiB + 1 KiB with the documented chunk signatures', async () => {
    const body = exampleBody(EXAMPLE.sigs);
    assert.equal(body.length, 66824, 'the documented Content-Length');
    const { data, result } = await decode(body, {
      mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      decodedContentLength: 66560,
      signing: exampleSigning(EXAMPLE.seed),
    });
    assert.ok(data.equals(Buffer.concat([A64K, A1K])));
    assert.equal(result.decodedLength, 66560);
    assert.equal(result.checksum, undefined);
  });

  it('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: the documented CRC32C trailer and trailer signature', async () => {
    const body = exampleBody(TRAILER_EXAMPLE.sigs, { line: TRAILER_EXAMPLE.trailer, sig: TRAILER_EXAMPLE.trailerSig });
    const { data, result } = await decode(body, {
      mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      decodedContentLength: 66560,
      signing: exampleSigning(TRAILER_EXAMPLE.seed),
      checksum: crc32cTrailer,
    });
    assert.equal(data.length, 66560);
    assert.deepEqual(result.checksum, { algorithm: 'CRC32C', value: 'sOO8/Q==' });
    assert.deepEqual(result.trailers, { 'x-amz-checksum-crc32c': 'sOO8/Q==' });
  });

  it('rejects every tampering with the exact error', async () => {
    const options: AwsChunkedOptions = {
      mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      decodedContentLength: 66560,
      signing: exampleSigning(EXAMPLE.seed),
    };
    const good = exampleBody(EXAMPLE.sigs);
    const byte = Buffer.from(good);
    byte[100] = 0x62;
    const mismatch = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
    await rejectsWith(byte, options, 'SignatureDoesNotMatch', mismatch, { SignatureProvided: EXAMPLE.sigs[0], AWSAccessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    await rejectsWith(exampleBody([EXAMPLE.sigs[0]!, '0'.repeat(64), EXAMPLE.sigs[2]!]), options, 'SignatureDoesNotMatch', mismatch);
    await rejectsWith(exampleBody([EXAMPLE.sigs[0]!, EXAMPLE.sigs[1]!, EXAMPLE.sigs[1]!]), options, 'SignatureDoesNotMatch', mismatch);
    await rejectsWith(good, { ...options, signing: exampleSigning(TRAILER_EXAMPLE.seed) }, 'SignatureDoesNotMatch');
    await rejectsWith(good, { ...options, decodedContentLength: 66561 }, 'IncompleteBody', undefined, {
      NumberBytesExpected: 66561,
      NumberBytesProvided: 66560,
    });
    await rejectsWith(good, { ...options, decodedContentLength: 66559 }, 'IncompleteBody', undefined, {
      NumberBytesExpected: 66559,
      NumberBytesProvided: 66560,
    });
    // A chunk without its signature.
    await rejectsWith(Buffer.from(good.toString('latin1').replace(`400;chunk-signature=${EXAMPLE.sigs[1]}`, '400'), 'latin1'), options, 'IncompleteBody');

    const trailerOptions: AwsChunkedOptions = {
      mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      decodedContentLength: 66560,
      signing: exampleSigning(TRAILER_EXAMPLE.seed),
      checksum: crc32cTrailer,
    };
    const withTrailer = (line: string, sig = TRAILER_EXAMPLE.trailerSig): Buffer => exampleBody(TRAILER_EXAMPLE.sigs, { line, sig });
    await rejectsWith(withTrailer('x-amz-checksum-crc32c:AAAAAA=='), trailerOptions, 'SignatureDoesNotMatch', mismatch);
    await rejectsWith(withTrailer(TRAILER_EXAMPLE.trailer, EXAMPLE.seed), trailerOptions, 'SignatureDoesNotMatch', mismatch);
  });
});

describe('aws-chunked: bodies of the real SDK encoder (STREAMING-UNSIGNED-PAYLOAD-TRAILER, CRC32 trailer)', () => {
  const payload = randomBytes(3 * 65536 + 777);
  const chunks = [payload.subarray(0, 65536), payload.subarray(65536, 3 * 65536), payload.subarray(3 * 65536)];
  const options: AwsChunkedOptions = {
    mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    decodedContentLength: payload.length,
    checksum: crc32Trailer,
  };

  it('round-trips and verifies the trailer', async () => {
    const body = await sdkEncode(chunks);
    assert.match(body.subarray(body.length - 40).toString('latin1'), /0\r\nx-amz-checksum-crc32:[A-Za-z0-9+/=]{8}\r\n\r\n$/);
    const { data, result } = await decode(body, options);
    assert.ok(data.equals(payload));
    assert.deepEqual(result.checksum, { algorithm: 'CRC32', value: checksumBase64('CRC32', payload) });
  });

  it('rejects a changed byte, trailer or length', async () => {
    const body = await sdkEncode(chunks);
    const text = body.toString('latin1');
    const tamperedByte = Buffer.from(body);
    tamperedByte[70000] ^= 1;
    await rejectsWith(tamperedByte, options, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
    const trailerAt = text.lastIndexOf('x-amz-checksum-crc32:') + 'x-amz-checksum-crc32:'.length;
    const badTrailer = Buffer.from(body);
    badTrailer.write(checksumBase64('CRC32', Buffer.from('other')), trailerAt, 'latin1');
    await rejectsWith(badTrailer, options, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
    const junkTrailer = Buffer.from(body);
    junkTrailer.write('!!!!', trailerAt, 'latin1');
    await rejectsWith(junkTrailer, options, 'InvalidRequest', 'Value for x-amz-checksum-crc32 trailing header is invalid.');
    await rejectsWith(body, { ...options, decodedContentLength: payload.length + 1 }, 'IncompleteBody', undefined, {
      NumberBytesExpected: payload.length + 1,
      NumberBytesProvided: payload.length,
    });
    await rejectsWith(body, { ...options, checksum: { ...crc32Trailer, algorithm: 'SHA1', name: 'x-amz-checksum-sha1' } }, 'MalformedTrailerError');
    await rejectsWith(body.subarray(0, body.length - 30), options, 'IncompleteBody');
    await rejectsWith(body.subarray(0, 1000), options, 'IncompleteBody', undefined, { NumberBytesProvided: 1000 - 7 });
  });

  it('with computeChecksum false, leaves the value to the caller but still checks the trailer arrives well formed', async () => {
    const callerChecks = { ...options, computeChecksum: false };
    const body = await sdkEncode(chunks);
    const trailerAt = body.toString('latin1').lastIndexOf('x-amz-checksum-crc32:') + 'x-amz-checksum-crc32:'.length;
    const otherValue = Buffer.from(body);
    otherValue.write(checksumBase64('CRC32', Buffer.from('other')), trailerAt, 'latin1');
    const { data, result } = await decode(otherValue, callerChecks);
    assert.ok(data.equals(payload));
    assert.equal(result.checksum, undefined);
    assert.equal(result.trailers['x-amz-checksum-crc32'], checksumBase64('CRC32', Buffer.from('other')));
    const junk = Buffer.from(body);
    junk.write('!!!!', trailerAt, 'latin1');
    await rejectsWith(junk, callerChecks, 'InvalidRequest', 'Value for x-amz-checksum-crc32 trailing header is invalid.');
    await rejectsWith(body, { ...callerChecks, checksum: { ...crc32Trailer, algorithm: 'SHA1', name: 'x-amz-checksum-sha1' } }, 'MalformedTrailerError');
  });
});

describe('aws-chunked: framing', () => {
  const signing: ChunkSigningContext = { ...exampleSigning('f'.repeat(64)) };
  const payload = randomBytes(250);
  const parts = [payload.subarray(0, 100), payload.subarray(100, 200), payload.subarray(200)];
  const crc = { name: 'x-amz-checksum-crc32', value: checksumBase64('CRC32', payload) };
  const cases: [AwsChunkedMode, Buffer, AwsChunkedOptions][] = (
    ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'] as const
  ).map((mode) => {
    const trailer = mode === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' ? undefined : crc;
    return [
      mode,
      encode(mode, parts, signing, trailer),
      { mode, decodedContentLength: 250, signing, minChunkSize: 1, checksum: trailer ? crc32Trailer : undefined },
    ];
  });

  it('decodes whatever the input boundaries: every split point, and bytes one at a time', async () => {
    for (const [mode, body, options] of cases) {
      for (let at = 0; at <= body.length; at++) {
        const { data } = await decode([body.subarray(0, at), body.subarray(at)], options);
        assert.ok(data.equals(payload), `${mode} split at ${at}`);
      }
      const bytes = [...body].map((b) => Buffer.from([b]));
      assert.ok((await decode(bytes, options)).data.equals(payload), `${mode} byte by byte`);
    }
  });

  it('refuses malformed framing', async () => {
    const [, unsignedBody, unsigned] = cases[2]!;
    const text = unsignedBody.toString('latin1');
    const swap = (from: string, to: string): Buffer => Buffer.from(text.replace(from, to), 'latin1');
    const terminated = 'The request body terminated unexpectedly';
    await rejectsWith(swap('64\r\n', 'zz\r\n'), unsigned, 'IncompleteBody', terminated);
    await rejectsWith(swap('64\r\n', '64\n'), unsigned, 'IncompleteBody', terminated);
    await rejectsWith(Buffer.concat([unsignedBody, Buffer.from('x')]), unsigned, 'IncompleteBody', terminated);
    await rejectsWith(swap(`${crc.name}:`, 'x-amz-checksum-crc32c:'), unsigned, 'MalformedTrailerError');
    await rejectsWith(swap(`${crc.name}:`, 'no colon here'), unsigned, 'MalformedTrailerError');
    await rejectsWith(swap(`${crc.name}:${crc.value}\r\n`, ''), unsigned, 'MalformedTrailerError');
    await rejectsWith(swap('\r\n\r\n', `\r\n${crc.name}:${crc.value}\r\n\r\n`), unsigned, 'MalformedTrailerError');
    // Only the last chunk may be smaller than 8 KiB.
    await rejectsWith(unsignedBody, { ...unsigned, minChunkSize: undefined }, 'InvalidChunkSizeError', 'Only the last chunk is allowed to have a size less than 8192 bytes', {
      Chunk: 2,
      BadChunkSize: 100,
    });
    // A trailer on a body signed without trailers was added in transit.
    const [, signedBody, signedOptions] = cases[0]!;
    const extra = Buffer.from(signedBody.toString('latin1').replace(/\r\n\r\n$/, `\r\n${crc.name}:${crc.value}\r\n\r\n`), 'latin1');
    await rejectsWith(extra, signedOptions, 'MalformedTrailerError');
    // A signed-trailer body without its trailer signature.
    const [, trailerBody, trailerOptions] = cases[1]!;
    const unsignedTrailer = Buffer.from(trailerBody.toString('latin1').replace(/x-amz-trailer-signature:[0-9a-f]{64}\r\n/, ''), 'latin1');
    await rejectsWith(unsignedTrailer, trailerOptions, 'IncompleteBody');
  });

  it('derives the decoder input from the request', () => {
    const auth = {
      accessKeyId: 'AKID',
      accountId: '1',
      region: 'us-east-1',
      service: 's3' as const,
      signedPayload: false,
      declaredPayloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      chunkSigning: signing,
    };
    const headers = { 'x-amz-decoded-content-length': '250', 'x-amz-trailer': 'x-amz-checksum-crc32', 'content-encoding': 'aws-chunked' };
    assert.deepEqual(awsChunkedOptions(auth, headers), {
      mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      decodedContentLength: 250,
      signing,
      checksum: crc32Trailer,
    });
    assert.equal(awsChunkedOptions({ ...auth, declaredPayloadHash: 'UNSIGNED-PAYLOAD' }, headers), undefined);
    assert.throws(() => awsChunkedOptions(auth, { 'x-amz-trailer': 'x-amz-checksum-crc32' }), { code: 'MissingContentLength' });
    assert.throws(() => awsChunkedOptions({ ...auth, declaredPayloadHash: 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD' }, headers), {
      code: 'NotImplemented',
    });
    assert.throws(() => awsChunkedOptions('anonymous', { 'x-amz-decoded-content-length': '1', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }), {
      code: 'AccessDenied',
    });
    assert.equal(storedContentEncoding('aws-chunked'), undefined);
    assert.equal(storedContentEncoding('aws-chunked, gzip'), 'gzip');
  });
});

describe('aws-chunked: throughput', () => {
  // 256 MiB with BASALT_BENCH=1; 16 MiB otherwise, as a smoke test.
  const size = (process.env.BASALT_BENCH === '1' ? 256 : 16) * 1024 * 1024;
  const CHUNK = 64 * 1024;
  const block = randomBytes(CHUNK);

  for (const mode of ['STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'] as const) {
    it(`${mode}, CRC32${mode.includes('UNSIGNED') ? ' trailer' : ''}`, async () => {
      const signing = exampleSigning('0'.repeat(64));
      // One encoded 64 KiB chunk repeated: the framing and signatures of the real body are computed here.
      const hashes = new MultiHashCrc(block, size / CHUNK);
      const encoded = encode(mode, Array(size / CHUNK).fill(block) as Buffer[], signing, mode.includes('UNSIGNED') ? { name: 'x-amz-checksum-crc32', value: hashes.crc } : undefined);
      // Feed it in 64 KiB pieces that straddle chunk boundaries, as a socket would.
      const pieces: Buffer[] = [];
      for (let at = 0; at < encoded.length; at += 65536) pieces.push(encoded.subarray(at, at + 65536));
      const decoder = decodeAwsChunked({
        mode,
        decodedContentLength: size,
        signing,
        checksum: mode.includes('UNSIGNED') ? crc32Trailer : { algorithm: 'CRC32', name: 'x-amz-checksum-crc32', location: 'header', value: hashes.crc },
      });
      const start = process.hrtime.bigint();
      let n = 0;
      await pipeline(Readable.from(pieces), decoder, async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) n += chunk.length;
      });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      assert.equal(n, size);
      console.log(`# ${mode}: ${size / 1024 / 1024} MiB in ${seconds.toFixed(2)} s = ${(size / 1e6 / seconds).toFixed(0)} MB/s`);
    });
  }
});

class MultiHashCrc {
  readonly crc: string;
  constructor(block: Buffer, times: number) {
    this.crc = checksumBase64('CRC32', Array(times).fill(block) as Buffer[]);
  }
}
