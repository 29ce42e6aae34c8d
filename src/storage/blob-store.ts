/**
 * Object bodies live outside the ordered KV store, as blobs. A blob is written completely and made durable
 * before the metadata naming it is committed through the engine; readers find blobs only through committed
 * metadata, so nobody ever sees a partial object, and an acknowledged PUT (metadata committed after the
 * blob's fsync) survives kill -9.
 *
 * On disk: `<dataDir>/objects/<2 hex>/<id>`. A write creates `<id>` (a name never used before), writes it
 * (with direct I/O where the filesystem takes it, through the slots of file-sink.ts), fdatasyncs it and
 * fsyncs its directory (shared by the writes of the same moment: directory-sync.ts). No temp name and
 * rename are needed: the commit of the metadata is what publishes a blob. A blob whose metadata never
 * committed (a crash mid-write or before the commit) is unreferenced and harmless, and the
 * start-up sweep (s3/reclaim.ts) removes it; callers delete the blobs of failed writes themselves.
 * The directory is picked by the time of the write, so the writes of one second share one directory (and
 * its fsyncs) while the 256 directories fill evenly over time.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileDigests } from './digest-thread';
import { createDigest, digestsOf, type Digest, type DigestAlgorithm } from './digests';
import { DirectorySync } from './directory-sync';
import { FileSink, takesDirectWrites } from './file-sink';
import { returnRing, takeRing } from './slot-ring';

export interface BlobInfo {
  id: string;
  size: number;
  /** The digests `write` was asked for, by algorithm, in the order asked. */
  digests: Map<DigestAlgorithm, Buffer>;
}

/** Inclusive byte range, as HTTP ranges are. */
export interface ByteRange {
  start: number;
  end: number;
}

/** The bytes of `range` in a blob held in memory (all of them without one); no copy. */
export const bytesInRange = (bytes: Buffer, range: ByteRange | undefined): Buffer => (range ? bytes.subarray(range.start, range.end + 1) : bytes);

/** Read size of blob streams: large reads keep the system calls per byte low (GETs of big objects). */
const READ_CHUNK = 512 * 1024;

/** An opened blob, written out once by `writeTo` or given up with `close`. */
export interface BlobReader {
  /**
   * Writes every byte to `out` and closes the blob. A chunk's memory is reused once `out` calls back for
   * it, so `out` must be done with a chunk by then, as sockets and HTTP responses are; a Writable that
   * keeps chunks (a queue) must use `BlobStore.read` instead. Rejects if `out` fails or is destroyed.
   */
  writeTo(out: Writable): Promise<void>;
  close(): void;
}

/** A blob already in memory: one write. */
export class BufferReader implements BlobReader {
  constructor(private readonly bytes: Buffer) {}

  writeTo(out: Writable): Promise<void> {
    return this.bytes.length === 0 ? Promise.resolve() : writeChunk(out, this.bytes);
  }

  close(): void {}
}

/**
 * Resolves when `out` is done with `chunk`: its write callback. Rejects if `out` closes first: an HTTP
 * response whose socket is gone drops later writes without ever calling back.
 */
function writeChunk(out: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const closed = (): void => reject(Object.assign(new Error('the destination was destroyed'), { code: 'ERR_STREAM_DESTROYED' }));
    if (out.destroyed) return closed();
    out.once('close', closed);
    out.write(chunk, (err) => {
      out.off('close', closed);
      if (err) reject(err);
      else resolve();
    });
  });
}

/**
 * A file range written through two buffers in turn: the next chunk is read while the last one is being
 * written. fs.createReadStream allocates a buffer per chunk instead, and the chunks of a fast GET wait for
 * the garbage collector: tens of MB on a 1 GiB download.
 */
class FileReader implements BlobReader {
  private closed = false;

  constructor(
    private readonly fd: number,
    private readonly start: number,
    private readonly end: number,
  ) {}

  async writeTo(out: Writable): Promise<void> {
    try {
      const total = this.end - this.start + 1;
      const buffers = [Buffer.allocUnsafeSlow(Math.min(READ_CHUNK, total)), Buffer.allocUnsafeSlow(Math.min(READ_CHUNK, Math.max(0, total - READ_CHUNK)))];
      const written: (Promise<void> | undefined)[] = [undefined, undefined];
      for (let at = this.start, turn = 0; at <= this.end; turn ^= 1) {
        await written[turn];
        const buffer = buffers[turn]!;
        const n = await call<number>((cb) => fs.read(this.fd, buffer, 0, Math.min(buffer.length, this.end - at + 1), at, cb));
        if (n === 0) throw Object.assign(new Error('a blob is shorter than its record'), { code: 'EIO' });
        written[turn] = writeChunk(out, buffer.subarray(0, n));
        // Rejections are awaited in order; this one must not count as unhandled before its turn comes.
        written[turn]!.catch(() => undefined);
        at += n;
      }
      await Promise.all(written);
    } finally {
      this.close();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.close(this.fd, () => undefined);
  }
}

export interface BlobStore {
  /**
   * Writes the whole stream; the blob is invisible until some committed metadata names `id`. It is durable
   * once `write` resolves, or (a blob kept in the storage engine) once any engine transaction started after
   * that is: either way, before the commit that publishes it. `head`: chunks of `body` the caller already
   * read, which come first. `digests`: the digests of the bytes to return in BlobInfo (of a file blob,
   * taken on the digest thread: digest-thread.ts).
   */
  write(body: Readable, head?: readonly Buffer[], digests?: readonly DigestAlgorithm[]): Promise<BlobInfo>;
  /** The blob's bytes (or a range of them); rejects with code `ENOENT` when it does not exist. */
  read(id: string, range?: ByteRange): Promise<Readable>;
  /**
   * A range of the blob opened for `BlobReader.writeTo`, which reuses its buffers where `read`'s stream
   * allocates one per chunk; rejects with code `ENOENT` when the blob does not exist. The range is required:
   * callers know the size from the record, and a file opened without one would cost an fstat.
   */
  open(id: string, range: ByteRange): Promise<BlobReader>;
  /** The bytes of `range` in one buffer, for small ranges only; rejects with code `ENOENT` when the blob does not exist. */
  readBytes(id: string, range: ByteRange): Promise<Buffer>;
  /** Removes a blob; missing blobs are ignored (deletion is idempotent). */
  delete(id: string): Promise<void>;
  /** Blobs created before `beforeMs` (epoch ms): the candidates of the orphan sweep (s3/reclaim.ts). */
  createdBefore(beforeMs: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * `<ms since epoch, base 36><separator><24 hex>`: unique, and telling when the blob was made. The last two
 * hex digits of a file blob's id name its directory.
 */
export const newBlobId = (separator: '-' | '_'): string => {
  const now = Date.now();
  const shard = (Math.floor(now / 1000) & 0xff).toString(16).padStart(2, '0');
  return `${now.toString(36)}${separator}${randomBytes(11).toString('hex')}${shard}`;
};

const FILE_BLOB_ID = /^[0-9a-z]+-[0-9a-f]{24}$/;

const CREATE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL;

/**
 * Digests of a file blob taken from its chunks as they pass rather than on a digest thread: CRC32 is native
 * (zlib, ~3 GB/s here), and an upload given it on a thread measured slower. Listens from now on, so call it
 * before any await.
 */
function digestPassing(body: Readable, head: readonly Buffer[], algorithms: readonly DigestAlgorithm[]): Map<DigestAlgorithm, Digest> {
  const digests = new Map(algorithms.filter((a) => a === 'crc32').map((a) => [a, createDigest(a)]));
  if (digests.size === 0) return digests;
  const update = (chunk: Buffer): void => {
    for (const digest of digests.values()) digest.update(chunk);
  };
  head.forEach(update);
  body.on('data', update);
  return digests;
}

export class FileBlobStore implements BlobStore {
  private readonly root: string;
  private readonly directories = new Set<string>();
  private readonly dirSync = new DirectorySync();
  /** Whether blobs are written with direct I/O (file-sink.ts), which the data directory's filesystem may refuse. */
  private readonly direct: boolean;
  private readonly createFlags: number;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'objects');
    fs.mkdirSync(this.root, { recursive: true });
    this.removeTempFiles();
    this.direct = takesDirectWrites(this.root);
    this.createFlags = CREATE_FLAGS | (this.direct ? fs.constants.O_DIRECT : 0);
  }

  /** Earlier versions wrote blobs to `<id>.tmp` first; a crash could leave one behind. */
  private removeTempFiles(): void {
    for (const dir of fs.readdirSync(this.root)) {
      const path = join(this.root, dir);
      if (!fs.statSync(path).isDirectory()) continue;
      for (const name of fs.readdirSync(path)) if (name.endsWith('.tmp')) fs.rmSync(join(path, name), { force: true });
    }
  }

  private pathOf(id: string): string {
    if (!FILE_BLOB_ID.test(id)) throw new Error(`invalid blob id ${id}`);
    return join(this.root, id.slice(-2), id);
  }

  async write(body: Readable, head: readonly Buffer[] = [], algorithms: readonly DigestAlgorithm[] = []): Promise<BlobInfo> {
    // Listening starts now, before any await, so no chunk goes by while the file is being opened.
    const ring = takeRing();
    const sink = new FileSink(body, head, ring, this.direct);
    const passing = digestPassing(body, head, algorithms);
    const threaded = algorithms.filter((a) => !passing.has(a));
    let digests: FileDigests | undefined;
    const id = newBlobId('-');
    const dir = join(this.root, id.slice(-2));
    const path = join(dir, id);
    let fd: number | undefined;
    let entrySynced: Promise<void> | undefined;
    try {
      if (!this.directories.has(dir)) {
        await fs.promises.mkdir(dir, { recursive: true });
        this.directories.add(dir);
      }
      fd = await call<number>((cb) => fs.open(path, this.createFlags, 0o644, cb));
      // The name and the data are made durable side by side: both are done before the metadata commit
      // publishes the blob, and a crash between leaves an unreferenced file for the sweep.
      entrySynced = this.dirSync.sync(dir);
      entrySynced.catch(() => undefined);
      if (threaded.length > 0) digests = new FileDigests(ring.memory, threaded);
      sink.start(fd, digests ? [digests] : []);
      const size = await sink.done;
      const fromThreads = (await digests?.finish()) ?? new Map<DigestAlgorithm, Buffer>();
      // fdatasync: the data (direct writes may still sit in the disk's cache) and what is needed to read it
      // back (size, extents); the name is the directory's.
      await call((cb) => fs.fdatasync(fd!, cb));
      // Closing a synced file does no I/O: not worth a thread-pool round trip.
      fs.closeSync(fd);
      fd = undefined;
      await entrySynced;
      return { id, size, digests: new Map(algorithms.map((a) => [a, passing.get(a)?.digest() ?? fromThreads.get(a)!])) };
    } catch (err) {
      sink.fail(err as Error);
      digests?.abort();
      await sink.whenIdle();
      if (fd !== undefined) fs.closeSync(fd);
      await this.delete(id);
      throw err;
    } finally {
      // Once, whichever way the write ended: the sink is idle by now (its `done` waits for every slot, and
      // a failure waits in whenIdle above).
      returnRing(ring);
    }
  }

  async read(id: string, range?: ByteRange): Promise<Readable> {
    // Opening first turns a missing blob into a rejection here rather than an error mid-response.
    const fd = await call<number>((cb) => fs.open(this.pathOf(id), 'r', cb));
    return fs.createReadStream('', { fd, start: range?.start, end: range?.end, highWaterMark: READ_CHUNK });
  }

  async open(id: string, range: ByteRange): Promise<BlobReader> {
    const fd = await call<number>((cb) => fs.open(this.pathOf(id), 'r', cb));
    return new FileReader(fd, range.start, range.end);
  }

  /**
   * Synchronous on purpose, like the engine's reads: a small read from the page cache costs a few
   * microseconds, three thread-pool round trips (open, read, close) cost several times that in wake-ups.
   * Callers keep it to small ranges (object-body.ts).
   */
  async readBytes(id: string, range: ByteRange): Promise<Buffer> {
    const fd = fs.openSync(this.pathOf(id), 'r');
    try {
      const out = Buffer.allocUnsafe(range.end - range.start + 1);
      for (let at = 0; at < out.length; ) {
        const n = fs.readSync(fd, out, at, out.length - at, range.start + at);
        if (n === 0) throw Object.assign(new Error(`blob ${id} is shorter than its record`), { code: 'EIO' });
        at += n;
      }
      return out;
    } finally {
      fs.closeSync(fd);
    }
  }

  async delete(id: string): Promise<void> {
    const path = this.pathOf(id);
    await call((cb) => fs.unlink(path, cb)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** By the files' mtime: a blob is written once, so that is when it was made. */
  async createdBefore(beforeMs: number): Promise<string[]> {
    const out: string[] = [];
    let dirs: string[];
    try {
      dirs = await fs.promises.readdir(this.root);
    } catch {
      return out;
    }
    for (const dir of dirs) {
      let names: string[];
      try {
        names = await fs.promises.readdir(join(this.root, dir));
      } catch {
        continue;
      }
      for (const name of names) {
        if (!FILE_BLOB_ID.test(name)) continue;
        try {
          if ((await fs.promises.stat(join(this.root, dir, name))).mtimeMs < beforeMs) out.push(name);
        } catch {
          // deleted meanwhile
        }
      }
      // Listing a large store must not hold up requests.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return out;
  }

  async close(): Promise<void> {}
}

/** A callback-style fs call as a promise (cheaper than fs.promises' FileHandle machinery on the hot path). */
function call<T = void>(fn: (cb: (err: NodeJS.ErrnoException | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

/** For --in-memory: the same contract, nothing on disk. */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();

  async write(body: Readable, head: readonly Buffer[] = [], algorithms: readonly DigestAlgorithm[] = []): Promise<BlobInfo> {
    const chunks: Buffer[] = [...head];
    await pipeline(body, new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }));
    const id = newBlobId('-');
    const bytes = Buffer.concat(chunks);
    this.blobs.set(id, bytes);
    return { id, size: bytes.length, digests: digestsOf(bytes, algorithms) };
  }

  async read(id: string, range?: ByteRange): Promise<Readable> {
    const bytes = this.bytesOf(id);
    return Readable.from([bytesInRange(bytes, range)], { objectMode: false });
  }

  async open(id: string, range: ByteRange): Promise<BlobReader> {
    const bytes = this.bytesOf(id);
    return new BufferReader(bytesInRange(bytes, range));
  }

  async readBytes(id: string, range: ByteRange): Promise<Buffer> {
    return bytesInRange(this.bytesOf(id), range);
  }

  private bytesOf(id: string): Buffer {
    const bytes = this.blobs.get(id);
    if (!bytes) throw Object.assign(new Error(`blob ${id} not found`), { code: 'ENOENT' });
    return bytes;
  }

  async delete(id: string): Promise<void> {
    this.blobs.delete(id);
  }

  /** Nothing outlives the process, so nothing is ever orphaned by a crash. */
  async createdBefore(): Promise<string[]> {
    return [];
  }

  async close(): Promise<void> {
    this.blobs.clear();
  }
}
