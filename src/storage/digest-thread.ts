/**
 * Digests of file blobs (digests.ts) taken on threads of their own while the file is written. On the main
 * thread, MD5 and SHA-256 of an upload cost about 2 s per GiB, two thirds of a 1 GiB PUT, and the CRC64
 * S3 gives every object that comes without a checksum 2.5 s more: here they run beside the request's other
 * work. A thread reads back what the writer reports written, from the page cache, so it needs no copy of
 * the chunks and can never hold more than its read buffer: if it falls behind, the file is its queue.
 *
 * There are three threads, each started on first use: MD5 (~640 MB/s here, and it cannot be split), the
 * SHAs (~1.5 GB/s) and the CRCs in JavaScript (CRC64/NVME ~400 MB/s, CRC32C ~800 MB/s). The slowest
 * digest of an upload sets its pace, and the others finish beside it rather than after it. CRC32, native,
 * costs less than the read back: the blob store takes it from the chunks as they pass (blob-store.ts).
 */
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import type { DigestAlgorithm } from './digests';

export type ToDigestThread =
  | { type: 'open'; id: number; path: string; algorithms: readonly DigestAlgorithm[] }
  | { type: 'written'; id: number; to: number }
  | { type: 'finish'; id: number; size: number }
  | { type: 'abort'; id: number };

export type FromDigestThread = { id: number; digests: Record<string, Uint8Array> } | { id: number; error: string };

const WORKER_FILE = path.join(__dirname, 'digest-worker.js');

interface Job {
  /** The caller waiting for the digests, once it has asked for them. */
  waiter?: { resolve(digests: Map<DigestAlgorithm, Buffer>): void; reject(err: Error): void };
  /** The thread failed the job before it was asked for the digests. */
  error?: Error;
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
      const error = 'error' in message ? new Error(`digest thread: ${message.error}`) : undefined;
      if (!job.waiter) {
        job.error = error;
        return;
      }
      this.remove(message.id);
      if ('error' in message) job.waiter.reject(error!);
      else job.waiter.resolve(new Map(Object.entries(message.digests).map(([name, bytes]) => [name as DigestAlgorithm, Buffer.from(bytes)])));
    });
    // A thread that died fails the files it was digesting; the next file starts a new one.
    const died = (err: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const job of this.jobs.values()) job.waiter?.reject(err);
      this.jobs.clear();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`digest thread: it exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  start(file: string, algorithms: readonly DigestAlgorithm[]): number {
    const worker = this.thread();
    const id = this.nextId++;
    if (this.jobs.size === 0) worker.ref();
    this.jobs.set(id, {});
    worker.postMessage({ type: 'open', id, path: file, algorithms } satisfies ToDigestThread);
    return id;
  }

  written(id: number, to: number): void {
    if (this.jobs.has(id)) this.worker!.postMessage({ type: 'written', id, to } satisfies ToDigestThread);
  }

  finish(id: number, size: number): Promise<Map<DigestAlgorithm, Buffer>> {
    return new Promise((resolve, reject) => {
      const job = this.jobs.get(id);
      if (!job || job.error) {
        this.remove(id);
        return reject(job?.error ?? new Error('digest thread: it stopped before the file was digested'));
      }
      job.waiter = { resolve, reject };
      this.worker!.postMessage({ type: 'finish', id, size } satisfies ToDigestThread);
    });
  }

  abort(id: number): void {
    if (!this.jobs.has(id)) return;
    this.worker!.postMessage({ type: 'abort', id } satisfies ToDigestThread);
    this.remove(id);
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

/** The digests of one file being written: report progress with `written`, then `finish` or `abort` once. */
export class FileDigests {
  /** The job each thread in use runs for this file. */
  private readonly jobs: { thread: DigestThread; id: number }[] = [];
  private done = false;

  /** `file` must exist (opened for writing): the threads open it at once. */
  constructor(file: string, algorithms: readonly DigestAlgorithm[]) {
    for (const thread of new Set(algorithms.map(threadFor))) {
      this.jobs.push({ thread, id: thread.start(file, algorithms.filter((a) => threadFor(a) === thread)) });
    }
  }

  /** The first `bytes` of the file are written. */
  written(bytes: number): void {
    for (const { thread, id } of this.jobs) thread.written(id, bytes);
  }

  /** The digests of the whole file, once it is `size` bytes long (by thread: the caller orders them). */
  async finish(size: number): Promise<Map<DigestAlgorithm, Buffer>> {
    this.done = true;
    const parts = await Promise.all(this.jobs.map(({ thread, id }) => thread.finish(id, size)));
    return new Map(parts.flatMap((part) => [...part]));
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    for (const { thread, id } of this.jobs) thread.abort(id);
  }
}
