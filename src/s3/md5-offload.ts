/**
 * MD5 of large bodies on a worker thread. MD5 is the slowest digest of an upload (about 1.5 ns a byte,
 * twice SHA-256 with the CPU's SHA instructions) and cannot be split, so for a large body it is computed
 * on its own thread, beside the main thread's SHA-256, CRC and file writes, instead of after them.
 *
 * The bytes go through a ring buffer shared with the worker (RING bytes per upload): `update` copies a
 * chunk in and announces it in batches; when the ring is full it returns a promise to wait on before
 * feeding more, so memory stays flat and nothing is allocated per chunk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromMd5Worker, ToMd5Worker } from './md5-worker';

/** Bodies at least this large (declared) have their MD5 computed on the worker. */
export const OFFLOAD_MIN_BYTES = 1024 * 1024;
const RING = 4 * 1024 * 1024;
/** Bytes copied into the ring before they are announced to the worker. */
const BATCH = 256 * 1024;
const WORKER_FILE = path.join(__dirname, 'md5-worker.js');

interface Listener {
  acked(to: number): void;
  digest(digest: Buffer): void;
  failed(err: Error): void;
}

/** The one worker all uploads share, started on first use; it never keeps the process alive. */
class Md5Thread {
  private worker: Worker | undefined;
  private readonly listeners = new Map<number, Listener>();
  private nextSession = 1;

  open(ring: SharedArrayBuffer, listener: Listener): number {
    const session = this.nextSession++;
    this.listeners.set(session, listener);
    this.post({ type: 'open', session, ring });
    return session;
  }

  close(session: number): void {
    if (this.listeners.delete(session)) this.post({ type: 'drop', session });
  }

  post(message: ToMd5Worker): void {
    this.start().postMessage(message);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    if (!fs.existsSync(WORKER_FILE)) throw new Error(`the MD5 worker ${WORKER_FILE} is missing (is the build complete?)`);
    const worker = new Worker(WORKER_FILE);
    worker.unref();
    worker.on('message', (message: FromMd5Worker) => {
      const listener = this.listeners.get(message.session);
      if (message.type === 'ack') listener?.acked(message.to);
      else {
        this.listeners.delete(message.session);
        listener?.digest(Buffer.from(message.digest.buffer, message.digest.byteOffset, message.digest.byteLength));
      }
    });
    const fail = (err: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const listener of this.listeners.values()) listener.failed(err);
      this.listeners.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the MD5 worker exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}

let thread: Md5Thread | undefined;

export class OffloadedMd5 {
  private readonly thread = (thread ??= new Md5Thread());
  private readonly ring = new Uint8Array(new SharedArrayBuffer(RING));
  /** Bytes copied in, announced to the worker, and hashed by it (stream offsets). */
  private written = 0;
  private announced = 0;
  private hashed = 0;
  private waiting: { resolve(): void; reject(err: Error): void } | undefined;
  private result: { resolve(digest: Buffer): void; reject(err: Error): void } | undefined;
  private error: Error | undefined;
  private readonly session = this.thread.open(this.ring.buffer as SharedArrayBuffer, {
    acked: (to) => {
      this.hashed = to;
      this.wake();
    },
    digest: (digest) => this.result?.resolve(digest),
    failed: (err) => {
      this.error = err;
      this.wake();
      this.result?.reject(err);
    },
  });

  /** Copies `chunk` in; a promise when the ring filled up, to wait on before the next chunk. */
  update(chunk: Buffer): Promise<void> | undefined {
    let at = 0;
    const fill = (): Promise<void> | undefined => {
      while (at < chunk.length) {
        if (this.error) return Promise.reject(this.error);
        const free = RING - (this.written - this.hashed);
        if (free === 0) {
          this.announce();
          return new Promise<void>((resolve, reject) => (this.waiting = { resolve, reject })).then(fill);
        }
        const offset = this.written % RING;
        const n = Math.min(chunk.length - at, free, RING - offset);
        this.ring.set(chunk.subarray(at, at + n), offset);
        at += n;
        this.written += n;
        if (this.written - this.announced >= BATCH) this.announce();
      }
      return undefined;
    };
    return fill();
  }

  digest(): Promise<Buffer> {
    if (this.error) return Promise.reject(this.error);
    this.announce();
    return new Promise((resolve, reject) => {
      this.result = { resolve, reject };
      this.thread.post({ type: 'digest', session: this.session });
    });
  }

  /** Frees the session when the upload failed and no digest is wanted. */
  drop(): void {
    this.thread.close(this.session);
  }

  private announce(): void {
    if (this.announced === this.written) return;
    this.thread.post({ type: 'update', session: this.session, from: this.announced, to: this.written });
    this.announced = this.written;
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (this.error) waiting?.reject(this.error);
    else waiting?.resolve();
  }
}
