/**
 * Digests of file blobs (digests.ts) taken on threads of their own while the file is written. On the main
 * thread, MD5 and SHA-256 of an upload cost about 2 s per GiB, two thirds of a 1 GiB PUT, and the CRC64
 * S3 gives every object that comes without a checksum 2.5 s more: here they run beside the request's other
 * work. A thread hashes each slot of the upload's SlotRing (slot-ring.ts) in the shared memory the file is
 * written from, so it needs no copy of the bytes, and the slot is refilled only once it is done with it.
 *
 * There are three threads, each started on first use: MD5 (~640 MB/s here, and it cannot be split), the
 * SHAs (~1.5 GB/s) and the CRCs in JavaScript (CRC64/NVME ~400 MB/s, CRC32C ~800 MB/s). The slowest
 * digest of an upload sets its pace, and the others finish beside it rather than after it. CRC32 is native
 * and cheap: the blob store takes it from the chunks as they pass (blob-store.ts).
 */
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import type { DigestAlgorithm } from './digests';
import type { SlotConsumer } from './file-sink';

export type ToDigestThread =
  | { type: 'open'; id: number; memory: SharedArrayBuffer; algorithms: readonly DigestAlgorithm[] }
  | { type: 'slot'; id: number; start: number; length: number }
  | { type: 'finish'; id: number }
  | { type: 'abort'; id: number };

/** `done`: the oldest slot sent for the file is hashed. */
export type FromDigestThread = { id: number; done: true } | { id: number; digests: Record<string, Uint8Array> } | { id: number; error: string };

const WORKER_FILE = path.join(__dirname, 'digest-worker.js');

interface Waiter<T> {
  resolve(value: T): void;
  reject(err: Error): void;
}

interface Job {
  /** The slots sent and not yet hashed, oldest first. */
  slots: Waiter<void>[];
  /** The caller waiting for the digests, once it has asked for them. */
  waiter?: Waiter<Map<DigestAlgorithm, Buffer>>;
  /** The thread failed the job before it was asked for the digests. */
  error?: Error;
  /** Given up: it goes once the thread is done with the slots already sent. */
  aborted?: boolean;
}

/** One digest thread, started on first use; it keeps the process alive only while files are being digested. */
class DigestThread {
  private worker: Worker | undefined;
  private nextId = 1;
  /** The files the current thread is digesting. */
  private readonly jobs = new Map<number, Job>();

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_FILE);
    worker.unref();
    worker.on('message', (message: FromDigestThread) => {
      const job = this.jobs.get(message.id);
      if (!job) return;
      if ('done' in message) {
        job.slots.shift()?.resolve();
        if (job.aborted && job.slots.length === 0) this.remove(message.id);
        return;
      }
      if ('error' in message) return this.failJob(message.id, job, new Error(`digest thread: ${message.error}`));
      this.remove(message.id);
      job.waiter?.resolve(new Map(Object.entries(message.digests).map(([name, bytes]) => [name as DigestAlgorithm, Buffer.from(bytes)])));
    });
    // A thread that died fails the files it was digesting; the next file starts a new one.
    const died = (err: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const [id, job] of this.jobs) this.failJob(id, job, err);
      this.jobs.clear();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`digest thread: it exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** Rejects what waits on the job; a caller not yet waiting for the digests (nor giving up) is told when it asks. */
  private failJob(id: number, job: Job, err: Error): void {
    for (const slot of job.slots.splice(0)) slot.reject(err);
    if (job.waiter || job.aborted) {
      this.remove(id);
      job.waiter?.reject(err);
    } else job.error = err;
  }

  start(memory: SharedArrayBuffer, algorithms: readonly DigestAlgorithm[]): number {
    const worker = this.thread();
    const id = this.nextId++;
    if (this.jobs.size === 0) worker.ref();
    this.jobs.set(id, { slots: [] });
    worker.postMessage({ type: 'open', id, memory, algorithms } satisfies ToDigestThread);
    return id;
  }

  slot(id: number, start: number, length: number): Promise<void> {
    const job = this.jobs.get(id);
    if (!job || job.error) return Promise.reject(job?.error ?? new Error('digest thread: it stopped before the file was digested'));
    return new Promise((resolve, reject) => {
      job.slots.push({ resolve, reject });
      this.worker!.postMessage({ type: 'slot', id, start, length } satisfies ToDigestThread);
    });
  }

  finish(id: number): Promise<Map<DigestAlgorithm, Buffer>> {
    return new Promise((resolve, reject) => {
      const job = this.jobs.get(id);
      if (!job || job.error) {
        this.remove(id);
        return reject(job?.error ?? new Error('digest thread: it stopped before the file was digested'));
      }
      job.waiter = { resolve, reject };
      this.worker!.postMessage({ type: 'finish', id } satisfies ToDigestThread);
    });
  }

  /** Gives the job up; the slots already sent are still answered, so their memory can be reused. */
  abort(id: number): void {
    const job = this.jobs.get(id);
    if (!job) return;
    this.worker!.postMessage({ type: 'abort', id } satisfies ToDigestThread);
    if (job.slots.length === 0) this.remove(id);
    else job.aborted = true;
  }

  private remove(id: number): void {
    if (this.jobs.delete(id) && this.jobs.size === 0) this.worker?.unref();
  }
}

const md5Thread = new DigestThread();
const shaThread = new DigestThread();
const crcThread = new DigestThread();
const threadFor = (algorithm: DigestAlgorithm): DigestThread =>
  algorithm === 'md5' ? md5Thread : algorithm.startsWith('sha') ? shaThread : crcThread;

/** The digests of one file, fed its slots as a FileSink consumer: then `finish` or `abort` once. */
export class FileDigests implements SlotConsumer {
  /** The job each thread in use runs for this file. */
  private readonly jobs: { thread: DigestThread; id: number }[] = [];
  private done = false;

  /** `memory`: the shared memory of the ring the file is written from. */
  constructor(memory: SharedArrayBuffer, algorithms: readonly DigestAlgorithm[]) {
    for (const thread of new Set(algorithms.map(threadFor))) {
      this.jobs.push({ thread, id: thread.start(memory, algorithms.filter((a) => threadFor(a) === thread)) });
    }
  }

  async take(start: number, length: number): Promise<void> {
    await Promise.all(this.jobs.map(({ thread, id }) => thread.slot(id, start, length)));
  }

  /** The digests of every slot taken (by thread: the caller orders them). */
  async finish(): Promise<Map<DigestAlgorithm, Buffer>> {
    this.done = true;
    const parts = await Promise.all(this.jobs.map(({ thread, id }) => thread.finish(id)));
    return new Map(parts.flatMap((part) => [...part]));
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    for (const { thread, id } of this.jobs) thread.abort(id);
  }
}
