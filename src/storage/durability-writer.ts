/**
 * Child process for durability.test.ts: writes groups of keys through the disk engine as fast as it
 * can until it is killed, printing each group's id only after its transaction was acknowledged.
 *
 * Usage: node durability-writer.js <store path> <round> [concurrency]
 * Each transaction writes g/<round>/<n>/a, /b and /c with one payload, so after a crash a group must be
 * complete or absent, and count/<round> must equal the number of groups present.
 * Output: `ready`, then one line per acknowledged group id.
 */

import { openSqliteEngine } from './sqlite-engine';

async function main(): Promise<void> {
  const [storePath, round, concurrencyArg] = process.argv.slice(2);
  if (!storePath || !round) throw new Error('usage: durability-writer <store path> <round> [concurrency]');
  const concurrency = Number(concurrencyArg ?? 32);
  const engine = openSqliteEngine({ path: storePath });
  process.stdout.write('ready\n');
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const n = next++;
      // A varying size makes commits span different numbers of pages, so kills land in varied places.
      const payload = Buffer.alloc(50 + ((n * 997) % 3000), n % 251);
      payload.write(`${round}/${n}`);
      await engine.transact(async (tx) => {
        for (const member of ['a', 'b', 'c']) tx.put(Buffer.from(`g/${round}/${n}/${member}`), payload);
        // Every transaction also increments one counter, so after a crash the counter must equal the
        // number of groups present: a torn batch or a lost update would make them differ.
        const counterKey = Buffer.from(`count/${round}`);
        const count = Number((await tx.get(counterKey))?.toString() ?? '0');
        tx.put(counterKey, Buffer.from(String(count + 1)));
      });
      // On Linux, writes to a pipe are synchronous: once this returns, the parent can read the line.
      process.stdout.write(`${n}\n`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
