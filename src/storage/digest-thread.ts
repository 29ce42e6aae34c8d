/**
 * Digests of file blobs (MD5, SHA-1, SHA-256) taken on a thread of their own while the file is written.
 * On the main thread, MD5 and SHA-256 of an upload cost about 2 s per GiB, two thirds of a 1 GiB PUT:
 * here they run beside the request's other work. The thread reads back what the writer reports written,
 * from the page cache, so it needs no copy of the chunks and can never hold more than its read buffer:
 * if it falls behind, the file is its queue.
 */
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';

export type DigestAlgorithm = 'md5' | 'sha1' | 'sha256';

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

/** The one thread, started on first use; it keeps the process alive only while files are being digested. */
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

const thread = new DigestThread();

/** The digests of one file being written: report progress with `written`, then `finish` or `abort` once. */
export class FileDigests {
  private readonly id: number;
  private done = false;

  /** `file` must exist (opened for writing): the thread opens it at once. */
  constructor(file: string, algorithms: readonly DigestAlgorithm[]) {
    this.id = thread.start(file, algorithms);
  }

  /** The first `bytes` of the file are written. */
  written(bytes: number): void {
    thread.written(this.id, bytes);
  }

  /** The digests of the whole file, once it is `size` bytes long. */
  finish(size: number): Promise<Map<DigestAlgorithm, Buffer>> {
    this.done = true;
    return thread.finish(this.id, size);
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    thread.abort(this.id);
  }
}
