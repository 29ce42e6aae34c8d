/**
 * The digest thread (digest-thread.ts): hashes the slots of files being written, in the shared memory of
 * their SlotRing, in the order they are sent, and says when each is done so it can be refilled.
 */
import { parentPort } from 'node:worker_threads';
import type { FromDigestThread, ToDigestThread } from './digest-thread';
import { createDigest, type Digest } from './digests';

interface Job {
  bytes: Buffer;
  hashes: Map<string, Digest>;
}

const jobs = new Map<number, Job>();
const port = parentPort!;
const reply = (message: FromDigestThread): void => port.postMessage(message);

port.on('message', (message: ToDigestThread) => {
  const job = jobs.get(message.id);
  try {
    switch (message.type) {
      case 'open':
        jobs.set(message.id, { bytes: Buffer.from(message.memory), hashes: new Map(message.algorithms.map((a) => [a, createDigest(a)])) });
        return;
      case 'slot': {
        if (!job) return;
        const chunk = job.bytes.subarray(message.start, message.start + message.length);
        for (const hash of job.hashes.values()) hash.update(chunk);
        return reply({ id: message.id, done: true });
      }
      case 'finish':
        if (!job) return;
        jobs.delete(message.id);
        return reply({ id: message.id, digests: Object.fromEntries([...job.hashes].map(([name, hash]) => [name, hash.digest()])) });
      case 'abort':
        jobs.delete(message.id);
        return;
    }
  } catch (err) {
    jobs.delete(message.id);
    reply({ id: message.id, error: (err as Error).message });
  }
});
