import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';

/** The repository root, from dist/tests/helpers. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const BIN = join(REPO_ROOT, 'bin', 'basalt.js');

export interface BasaltProcess {
  endpoint: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
  dynamodb(credentials?: { accessKeyId: string; secretAccessKey: string }, region?: string): DynamoDBClient;
  s3(credentials?: { accessKeyId: string; secretAccessKey: string }, region?: string): S3Client;
}

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export function tempDir(prefix = 'basalt-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs the CLI to completion (for start-up failures); resolves with its exit code and output. */
export function runBasalt(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 10_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`basalt ${args.join(' ')} did not exit within ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Starts a real Basalt process on a free port (in memory unless `args` say otherwise). */
export function startBasalt(args: string[] = ['--in-memory'], env: NodeJS.ProcessEnv = {}): Promise<BasaltProcess> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, '--port', '0', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let started = false;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Basalt did not start within 15 s:\n${out}`));
    }, 15_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+?):(\d+)/.exec(out);
      if (!started && match) {
        started = true;
        clearTimeout(timer);
        const port = Number(match[2]);
        const endpoint = `${match[1]}:${port}`;
        resolvePromise({
          endpoint,
          port,
          child,
          output: () => out,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
          dynamodb: (credentials = TEST_CREDENTIALS, region = 'us-east-1') =>
            new DynamoDBClient({ endpoint, region, credentials, maxAttempts: 1 }),
          s3: (credentials = TEST_CREDENTIALS, region = 'us-east-1') =>
            new S3Client({ endpoint, region, credentials, forcePathStyle: true, maxAttempts: 1 }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      if (!started) {
        clearTimeout(timer);
        reject(new Error(`Basalt exited with ${code} before listening:\n${out}`));
      }
    });
  });
}

/** Awaits a promise that must reject with an AWS error; returns it for assertions on name and message. */
export async function awsError(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the request to fail, but it succeeded');
}
