/**
 * Unchanged third-party clients against a Basalt on disk: the AWS CLI's multipart `s3 cp` of a 200 MiB file
 * up and back, s3cmd and rclone listing, putting and getting (each multipart too). A client that is not
 * installed skips its test (CI installs them: .ci/run).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { startBasalt, tempDir, type BasaltProcess } from '../helpers/basalt';
import { awsCli } from '../helpers/cli';

let basalt: BasaltProcess;
const dir = tempDir('basalt-s3-cross-');
const MiB = 1024 * 1024;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: 180_000, maxBuffer: 64 * MiB, encoding: 'buffer' }, (err, stdout, stderr) =>
      resolve({ code: err ? 1 : 0, stdout: stdout.toString('latin1'), stderr: stderr.toString() }),
    );
  });
}

/** Writes `size` random bytes in 8 MiB pieces; returns their MD5. */
function randomFile(path: string, size: number): string {
  const md5 = createHash('md5');
  const fd = openSync(path, 'w');
  try {
    for (let left = size; left > 0; ) {
      const chunk = randomBytes(Math.min(left, 8 * MiB));
      md5.update(chunk);
      writeSync(fd, chunk);
      left -= chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  return md5.digest('hex');
}

function fileMd5(path: string): string {
  return createHash('md5').update(readFileSync(path)).digest('hex');
}

before(async () => {
  basalt = await startBasalt(['--data-dir', join(dir.path, 'data')]);
  await basalt.s3().send(new CreateBucketCommand({ Bucket: 'cross' }));
});
after(async () => {
  await basalt.stop();
  dir.remove();
});

test('AWS CLI: s3 cp of a 200 MiB file (multipart) up and back is byte-identical', { timeout: 240_000 }, async () => {
  const up = join(dir.path, 'big.bin');
  const back = join(dir.path, 'big.back');
  const sum = randomFile(up, 200 * MiB);
  try {
    const put = await awsCli(basalt.endpoint, ['s3', 'cp', '--only-show-errors', up, 's3://cross/big.bin']);
    assert.equal(put.code, 0, put.stderr);
    const head = await basalt.s3().send(new HeadObjectCommand({ Bucket: 'cross', Key: 'big.bin' }));
    assert.equal(head.ContentLength, 200 * MiB);
    // The CLI uploads 8 MiB parts: the ETag is the multipart form.
    assert.match(head.ETag ?? '', /^"[0-9a-f]{32}-25"$/);
    const get = await awsCli(basalt.endpoint, ['s3', 'cp', '--only-show-errors', 's3://cross/big.bin', back]);
    assert.equal(get.code, 0, get.stderr);
    assert.equal(fileMd5(back), sum);
  } finally {
    rmSync(up, { force: true });
    rmSync(back, { force: true });
  }
});

test('boto3: upload_file / download_file through s3transfer (multipart, 4 threads), versioning', { timeout: 120_000 }, async () => {
  const up = join(dir.path, 'boto-up.bin');
  const down = join(dir.path, 'boto-down.bin');
  const sum = randomFile(up, 23 * MiB);
  const script = `
import json, os, sys, boto3, botocore
from boto3.s3.transfer import TransferConfig
s3 = boto3.client('s3', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test',
                  aws_secret_access_key='test', config=botocore.config.Config(s3={'addressing_style': 'path'}))
cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, max_concurrency=4)
s3.upload_file(sys.argv[1], 'cross', 'boto/big.bin', Config=cfg)
s3.download_file('cross', 'boto/big.bin', sys.argv[2], Config=cfg)
head = s3.head_object(Bucket='cross', Key='boto/big.bin')
s3.create_bucket(Bucket='boto-versions')
s3.put_bucket_versioning(Bucket='boto-versions', VersioningConfiguration={'Status': 'Enabled'})
v1 = s3.put_object(Bucket='boto-versions', Key='k', Body=b'one')['VersionId']
s3.put_object(Bucket='boto-versions', Key='k', Body=b'two')
s3.delete_object(Bucket='boto-versions', Key='k')
listed = s3.list_object_versions(Bucket='boto-versions')
old = s3.get_object(Bucket='boto-versions', Key='k', VersionId=v1)['Body'].read().decode()
print(json.dumps({'etag': head['ETag'], 'length': head['ContentLength'], 'versions': len(listed['Versions']),
                  'markers': len(listed['DeleteMarkers']), 'old': old}))
`;
  try {
    const result = await run('python3', ['-c', script, up, down], { ENDPOINT: basalt.endpoint, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.match(out.etag, /^"[0-9a-f]{32}-5"$/);
    assert.equal(out.length, 23 * MiB);
    assert.equal(fileMd5(down), sum);
    assert.deepEqual([out.versions, out.markers, out.old], [2, 1, 'one']);
  } finally {
    rmSync(up, { force: true });
    rmSync(down, { force: true });
  }
});

const s3cmdArgs = (): string[] => {
  const host = new URL(basalt.endpoint).host;
  return ['--access_key=test', '--secret_key=test', `--host=${host}`, `--host-bucket=${host}`, '--no-ssl', '--config=/dev/null', '--no-progress'];
};

/** ls, put (single and multipart), ls of the prefix, get of both: s3cmd's round trip under `prefix`. */
async function s3cmdRoundTrip(extra: string[], prefix: string): Promise<void> {
  const args = [...s3cmdArgs(), ...extra];
  const small = join(dir.path, `${prefix}-small.txt`);
  writeFileSync(small, 'hello from s3cmd\n');
  const mid = join(dir.path, `${prefix}-mid.bin`);
  const midSum = randomFile(mid, 12 * MiB);
  const ls = await run('s3cmd', [...args, 'ls']);
  assert.equal(ls.code, 0, ls.stderr);
  assert.match(ls.stdout, /s3:\/\/cross\n/);
  const put = await run('s3cmd', [...args, 'put', small, `s3://cross/${prefix}/small.txt`]);
  assert.equal(put.code, 0, put.stderr);
  const putMid = await run('s3cmd', [...args, '--multipart-chunk-size-mb=5', 'put', mid, `s3://cross/${prefix}/mid.bin`]);
  assert.equal(putMid.code, 0, putMid.stderr);
  const head = await basalt.s3().send(new HeadObjectCommand({ Bucket: 'cross', Key: `${prefix}/mid.bin` }));
  assert.match(head.ETag ?? '', /-3"$/);
  const listed = await run('s3cmd', [...args, 'ls', `s3://cross/${prefix}/`]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, new RegExp(`\\s17\\s+s3://cross/${prefix}/small\\.txt`));
  assert.match(listed.stdout, new RegExp(`\\s${12 * MiB}\\s+s3://cross/${prefix}/mid\\.bin`));
  const got = join(dir.path, `${prefix}-got.txt`);
  const get = await run('s3cmd', [...args, 'get', '--force', `s3://cross/${prefix}/small.txt`, got]);
  assert.equal(get.code, 0, get.stderr);
  assert.equal(readFileSync(got, 'utf8'), 'hello from s3cmd\n');
  const gotMid = join(dir.path, `${prefix}-mid.back`);
  const getMid = await run('s3cmd', [...args, 'get', '--force', `s3://cross/${prefix}/mid.bin`, gotMid]);
  assert.equal(getMid.code, 0, getMid.stderr);
  assert.equal(fileMd5(gotMid), midSum);
}

test('s3cmd: ls, put (single and multipart), get', { timeout: 120_000 }, () => s3cmdRoundTrip([], 's3cmd'));

test('s3cmd with Signature Version 2: the same round trip, and a signurl link', { timeout: 120_000 }, async () => {
  await s3cmdRoundTrip(['--signature-v2'], 's3cmd-v2');
  const signed = await run('s3cmd', [...s3cmdArgs(), '--signature-v2', 'signurl', 's3://cross/s3cmd-v2/small.txt', '+600']);
  assert.equal(signed.code, 0, signed.stderr);
  const url = signed.stdout.trim();
  assert.match(url, /\?AWSAccessKeyId=test&Expires=\d+&Signature=/);
  const got = await fetch(url);
  assert.equal(got.status, 200, url);
  assert.equal(await got.text(), 'hello from s3cmd\n');
});

test('rclone: lsf, copy (single and multipart), cat, check', { timeout: 120_000 }, async () => {
  const env: NodeJS.ProcessEnv = {
    RCLONE_CONFIG: '/dev/null',
    RCLONE_CONFIG_B_TYPE: 's3',
    RCLONE_CONFIG_B_PROVIDER: 'Other',
    RCLONE_CONFIG_B_ENDPOINT: basalt.endpoint,
    RCLONE_CONFIG_B_REGION: 'us-east-1',
    RCLONE_CONFIG_B_ACCESS_KEY_ID: 'test',
    RCLONE_CONFIG_B_SECRET_ACCESS_KEY: 'test',
    // rclone refuses a custom CA bundle for plain HTTP (LoadCustomCABundleError); none is needed here.
    AWS_CA_BUNDLE: '',
  };
  const small = join(dir.path, 'rclone-small.txt');
  writeFileSync(small, 'hello from rclone\n');
  const mid = join(dir.path, 'rclone-mid.bin');
  const midSum = randomFile(mid, 11 * MiB);
  const buckets = await run('rclone', ['lsf', 'B:'], env);
  assert.equal(buckets.code, 0, buckets.stderr);
  assert.match(buckets.stdout, /^cross\/$/m);
  const copy = await run('rclone', ['copy', small, 'B:cross/rclone/'], env);
  assert.equal(copy.code, 0, copy.stderr);
  const copyMid = await run('rclone', ['copy', '--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M', mid, 'B:cross/rclone/'], env);
  assert.equal(copyMid.code, 0, copyMid.stderr);
  const head = await basalt.s3().send(new HeadObjectCommand({ Bucket: 'cross', Key: 'rclone/rclone-mid.bin' }));
  assert.match(head.ETag ?? '', /-3"$/);
  const lsf = await run('rclone', ['lsf', 'B:cross/rclone'], env);
  assert.equal(lsf.code, 0, lsf.stderr);
  assert.deepEqual(lsf.stdout.trim().split('\n').sort(), ['rclone-mid.bin', 'rclone-small.txt']);
  const cat = await run('rclone', ['cat', 'B:cross/rclone/rclone-small.txt'], env);
  assert.equal(cat.code, 0, cat.stderr);
  assert.equal(cat.stdout, 'hello from rclone\n');
  const catMid = await run('rclone', ['cat', 'B:cross/rclone/rclone-mid.bin'], env);
  assert.equal(createHash('md5').update(Buffer.from(catMid.stdout, 'latin1')).digest('hex'), midSum);
  const check = await run('rclone', ['check', '--one-way', mid, 'B:cross/rclone/'], env);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stderr, /0 differences found/);
});
