/**
 * Crash test: a child process writes multi-key groups through the disk engine and is killed with SIGKILL
 * at random moments, again and again. After every kill the store must reopen (no stale lock), hold every
 * group the child acknowledged, and hold no group half-applied.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StorageOpenError } from './engine';
import { openSqliteEngine } from './sqlite-engine';

const ROUNDS = 8;
const WRITER = path.join(__dirname, 'durability-writer.js');

interface RoundResult {
  acknowledged: number[];
  stderr: string;
  signal: NodeJS.Signals | null;
  code: number | null;
}

/** Runs the writer until a random moment 100–400 ms after it is ready, then kills it with SIGKILL. */
function runWriter(storePath: string, round: number, whileRunning?: () => void): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, storePath, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: number[] = [];
    let buffered = '';
    let stderr = '';
    let ready = false;
    let checkError: unknown;
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000); // safety net if it never gets ready
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!; // a partial last line was cut by the kill; it is not an acknowledgement
      for (const line of lines) {
        if (line === 'ready') {
          ready = true;
          try {
            whileRunning?.();
          } catch (err) {
            checkError = err; // reported once the child is gone, not thrown from an event handler
          }
          clearTimeout(killer);
          setTimeout(() => child.kill('SIGKILL'), 100 + Math.random() * 300);
        } else if (ready) {
          acknowledged.push(Number(line));
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      if (checkError !== undefined) reject(checkError);
      else resolve({ acknowledged, stderr, signal, code });
    });
  });
}

test('acknowledged transactions survive SIGKILL and none is half-applied', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'basalt-durability-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const storePath = path.join(dir, 'basalt.db');
  const acknowledgedByRound: number[][] = [];
  const started = Date.now();

  for (let round = 0; round < ROUNDS; round++) {
    const result = await runWriter(storePath, round, () => {
      if (round !== 0) return;
      // While the writer holds the store, this process must be refused.
      assert.throws(() => openSqliteEngine({ path: storePath }), (err: Error) => err instanceof StorageOpenError && /in use/.test(err.message));
    });
    assert.equal(result.signal, 'SIGKILL', `writer exited on its own (code ${result.code}): ${result.stderr}`);
    acknowledgedByRound.push(result.acknowledged);

    // Reopening right after kill -9 must work: the lock died with the process.
    const engine = openSqliteEngine({ path: storePath });
    try {
      const groups = new Map<string, Map<string, Buffer>>();
      for (const { key, value } of await engine.scan({ start: Buffer.from('g/'), end: Buffer.from('g0') })) {
        const [, r, n, member] = key.toString().split('/');
        const id = `${r}/${n}`;
        if (!groups.has(id)) groups.set(id, new Map());
        groups.get(id)!.set(member!, value);
      }
      const perRound = new Map<string, number>();
      for (const [id, members] of groups) {
        assert.deepEqual([...members.keys()].sort(), ['a', 'b', 'c'], `group ${id} is half-applied`);
        const [a, b, c] = ['a', 'b', 'c'].map((m) => members.get(m)!);
        assert.ok(a!.equals(b!) && a!.equals(c!), `group ${id} has mixed payloads`);
        assert.equal(a!.subarray(0, id.length).toString(), id);
        const r = id.split('/')[0]!;
        perRound.set(r, (perRound.get(r) ?? 0) + 1);
      }
      for (let r = 0; r <= round; r++) {
        for (const n of acknowledgedByRound[r]!) assert.ok(groups.has(`${r}/${n}`), `acknowledged group ${r}/${n} is missing`);
        const counter = await engine.get(Buffer.from(`count/${r}`));
        assert.equal(Number(counter?.toString() ?? '0'), perRound.get(String(r)) ?? 0, `counter of round ${r} disagrees with its groups`);
      }
      t.diagnostic(`round ${round}: ${result.acknowledged.length} acknowledged, ${perRound.get(String(round)) ?? 0} present`);
    } finally {
      await engine.close();
    }
  }
  const total = acknowledgedByRound.reduce((sum, acks) => sum + acks.length, 0);
  assert.ok(total > 0, 'the writer never acknowledged anything');
  t.diagnostic(`${ROUNDS} rounds, ${total} acknowledged transactions, ${Date.now() - started} ms`);
});
