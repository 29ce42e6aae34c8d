/**
 * The digest thread (digest-thread.ts): hashes files as they are written, reading back what the writer
 * reports written (from the page cache) through one reused buffer.
 */
import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { FromDigestThread, ToDigestThread } from './digest-thread';
import { createDigest, type Digest } from './digests';

const READ_SIZE = 1024 * 1024;
const buffer = Buffer.allocUnsafe(READ_SIZE);

interface Job {
  fd: number;
  hashes: Map<string, Digest>;
  /** Bytes hashed so far, and bytes the writer has reported written. */
  at: number;
  written: number;
  size?: number;
}

const jobs = new Map<number, Job>();
const port = parentPort!;
const reply = (message: FromDigestThread): void => port.postMessage(message);

function end(id: number, job: Job): void {
  jobs.delete(id);
  fs.closeSync(job.fd);
}

function advance(id: number, job: Job): void {
  while (job.at < job.written) {
    const n = fs.readSync(job.fd, buffer, 0, Math.min(READ_SIZE, job.written - job.at), job.at);
    if (n === 0) throw new Error(`the file ended at ${job.at} bytes, before the ${job.written} written`);
    const chunk = buffer.subarray(0, n);
    for (const hash of job.hashes.values()) hash.update(chunk);
    job.at += n;
  }
  if (job.size === undefined || job.at < job.size) return;
  end(id, job);
  reply({ id, digests: Object.fromEntries([...job.hashes].map(([name, hash]) => [name, hash.digest()])) });
}

port.on('message', (message: ToDigestThread) => {
  const job = jobs.get(message.id);
  try {
    switch (message.type) {
      case 'open':
        jobs.set(message.id, { fd: fs.openSync(message.path, 'r'), hashes: new Map(message.algorithms.map((a) => [a, createDigest(a)])), at: 0, written: 0 });
        return;
      case 'written':
        if (!job) return;
        job.written = Math.max(job.written, message.to);
        return advance(message.id, job);
      case 'finish':
        if (!job) return;
        job.size = message.size;
        job.written = message.size;
        return advance(message.id, job);
      case 'abort':
        if (job) end(message.id, job);
        return;
    }
  } catch (err) {
    const failed = jobs.get(message.id);
    if (failed) end(message.id, failed);
    reply({ id: message.id, error: (err as Error).message });
  }
});
