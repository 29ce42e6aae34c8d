/**
 * Object bodies live outside the ordered KV store, as blobs. A blob is written completely and made durable
 * before the metadata naming it is committed through the engine; readers find blobs only through committed
 * metadata, so nobody ever sees a partial object, and an acknowledged PUT (metadata committed after the
 * blob's fsync) survives kill -9.
 *
 * On disk: `<dataDir>/objects/<2 hex>/<id>`. A write goes to `<id>.tmp`, is fsynced, renamed to `<id>` and the
 * directory fsynced. Leftover `*.tmp` files (a crash mid-write) are removed at start. A blob renamed but whose
 * metadata never committed (crash in that window) is unreferenced and harmless; callers delete the blobs of
 * failed writes themselves.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fsp, readdirSync, rmSync, statSync, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface BlobInfo {
  id: string;
  size: number;
}

/** Inclusive byte range, as HTTP ranges are. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobStore {
  /** Writes the whole stream durably; the blob is invisible until some committed metadata names `id`. */
  write(body: Readable): Promise<BlobInfo>;
  /** The blob's bytes (or a range of them); rejects with code `ENOENT` when it does not exist. */
  read(id: string, range?: ByteRange): Promise<Readable>;
  /** Removes a blob; missing blobs are ignored (deletion is idempotent). */
  delete(id: string): Promise<void>;
  close(): Promise<void>;
}

const newId = (): string => `${Date.now().toString(36)}-${randomBytes(12).toString('hex')}`;

export class FileBlobStore implements BlobStore {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'objects');
    mkdirSync(this.root, { recursive: true });
    this.removeTempFiles();
  }

  private removeTempFiles(): void {
    for (const dir of readdirSync(this.root)) {
      const path = join(this.root, dir);
      if (!statSync(path).isDirectory()) continue;
      for (const name of readdirSync(path)) if (name.endsWith('.tmp')) rmSync(join(path, name), { force: true });
    }
  }

  private pathOf(id: string): string {
    if (!/^[0-9a-z]+-[0-9a-f]{24}$/.test(id)) throw new Error(`invalid blob id ${id}`);
    return join(this.root, id.slice(-2), id);
  }

  async write(body: Readable): Promise<BlobInfo> {
    const id = newId();
    const final = this.pathOf(id);
    const dir = join(this.root, id.slice(-2));
    await fsp.mkdir(dir, { recursive: true });
    const temp = `${final}.tmp`;
    let size = 0;
    const out: WriteStream = createWriteStream(temp, { flags: 'wx' });
    try {
      body.on('data', (chunk: Buffer) => (size += chunk.length));
      await pipeline(body, out);
      const handle = await fsp.open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(temp, final);
      await syncDir(dir);
    } catch (err) {
      await fsp.rm(temp, { force: true });
      throw err;
    }
    return { id, size };
  }

  async read(id: string, range?: ByteRange): Promise<Readable> {
    // Opening first turns a missing blob into a rejection here rather than an error mid-response.
    const handle = await fsp.open(this.pathOf(id), 'r');
    return handle.createReadStream({ start: range?.start, end: range?.end, autoClose: true });
  }

  async delete(id: string): Promise<void> {
    await fsp.rm(this.pathOf(id), { force: true });
  }

  async close(): Promise<void> {}
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** For --in-memory: the same contract, nothing on disk. */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();

  async write(body: Readable): Promise<BlobInfo> {
    const chunks: Buffer[] = [];
    await pipeline(body, new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }));
    const id = newId();
    const bytes = Buffer.concat(chunks);
    this.blobs.set(id, bytes);
    return { id, size: bytes.length };
  }

  async read(id: string, range?: ByteRange): Promise<Readable> {
    const bytes = this.blobs.get(id);
    if (!bytes) throw Object.assign(new Error(`blob ${id} not found`), { code: 'ENOENT' });
    return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes], { objectMode: false });
  }

  async delete(id: string): Promise<void> {
    this.blobs.delete(id);
  }

  async close(): Promise<void> {
    this.blobs.clear();
  }
}
