/**
 * Small object bodies are kept in the storage engine, large ones in files (blob-store.ts).
 *
 * Why: a body in a file costs its own fdatasync and a directory fsync before the metadata commit, a few
 * hundred microseconds of disk and CPU each however small the body. A body kept in the engine is made
 * durable by a group commit that many requests share. The engine's commit is as durable as a file's
 * fsync, and readers still find a blob only through committed metadata.
 *
 * A body is read into memory until it passes `inlineMax` bytes (so at most that much is ever held); if it
 * ends first it becomes one engine value under ('blob', <id>), else the chunks read so far and the rest of
 * the stream go to a file. Inline ids differ from file ids in their separator (`_` for `-`), so every other
 * call knows the tier from the id alone.
 */
import { finished, Readable } from 'node:stream';
import { BufferReader, bytesInRange, newBlobId, type BlobInfo, type BlobReader, type BlobStore, type ByteRange, type FileBlobStore } from './blob-store';
import { digestsOf, type DigestAlgorithm } from './digests';
import { scanBatches, type StorageEngine } from './engine';
import { decodeKey, encodeKey, prefixRange } from './tuple-key';

/** Bodies up to this size are kept in the engine: S3's small objects, well under SQLite's comfortable value size. */
export const INLINE_BODY_MAX = 64 * 1024;

const INLINE_ID = /^([0-9a-z]+)_[0-9a-f]{24}$/;
/** Inline blobs listed per engine scan by the orphan sweep (at most 64 KiB each). */
const SWEEP_BATCH = 64;
const inlineKey = (id: string): Buffer => encodeKey(['blob', id]);
const notFound = (id: string): Error => Object.assign(new Error(`blob ${id} not found`), { code: 'ENOENT' });

export class TieredBlobStore implements BlobStore {
  /** Inline blobs released but not yet deleted, removed together in one transaction. */
  private releasing: Buffer[] = [];
  private deleting: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: StorageEngine,
    private readonly files: FileBlobStore,
    private readonly inlineMax: number,
  ) {}

  write(body: Readable, head: readonly Buffer[] = [], algorithms: readonly DigestAlgorithm[] = []): Promise<BlobInfo> {
    return new Promise<BlobInfo>((resolve, reject) => {
      const chunks = [...head];
      let size = 0;
      for (const c of chunks) size += c.length;
      let handedOver = false;
      const onData = (chunk: Buffer): void => {
        chunks.push(chunk);
        size += chunk.length;
        if (size <= this.inlineMax) return;
        // Too large to keep inline: the file sink takes over the stream, starting with what was read.
        handedOver = true;
        body.off('data', onData);
        this.files.write(body, chunks, algorithms).then(resolve, reject);
      };
      body.on('data', onData);
      finished(body, (err) => {
        if (handedOver) return;
        body.off('data', onData);
        if (err) return reject(err);
        const id = newBlobId('_');
        const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        const digests = digestsOf(bytes, algorithms);
        // Resolved once the transaction is ordered, not once it is durable: the metadata commit that
        // publishes the blob comes after it, so it is durable no later than that (write's contract).
        this.engine
          .transact((tx) => {
            tx.put(inlineKey(id), bytes);
            resolve({ id, size, digests });
          })
          .catch(reject);
      });
    });
  }

  async read(id: string, range?: ByteRange): Promise<Readable> {
    if (!INLINE_ID.test(id)) return this.files.read(id, range);
    return Readable.from([bytesInRange(await this.inlineBytes(id), range)], { objectMode: false });
  }

  async open(id: string, range: ByteRange): Promise<BlobReader> {
    if (!INLINE_ID.test(id)) return this.files.open(id, range);
    return new BufferReader(bytesInRange(await this.inlineBytes(id), range));
  }

  async readBytes(id: string, range: ByteRange): Promise<Buffer> {
    if (!INLINE_ID.test(id)) return this.files.readBytes(id, range);
    return bytesInRange(await this.inlineBytes(id), range);
  }

  private async inlineBytes(id: string): Promise<Buffer> {
    const bytes = await this.engine.get(inlineKey(id));
    if (bytes === undefined) throw notFound(id);
    return bytes;
  }

  /**
   * An inline blob is deleted by a transaction that is not waited for: it is already unreferenced (callers
   * delete only released blobs), so nobody needs its removal to be durable, and a crash before it commits
   * leaves an orphan for the start-up sweep. Deletions queued meanwhile share the next transaction.
   */
  delete(id: string): Promise<void> {
    if (!INLINE_ID.test(id)) return this.files.delete(id);
    if (this.releasing.length === 0) {
      this.deleting = this.deleting.then(() => {
        const keys = this.releasing;
        this.releasing = [];
        return this.engine.transact((tx) => keys.forEach((key) => tx.delete(key))).catch(() => undefined);
      });
    }
    this.releasing.push(inlineKey(id));
    return Promise.resolve();
  }

  /** Inline blobs by the time in their id, then file blobs. */
  async createdBefore(beforeMs: number): Promise<string[]> {
    const ids: string[] = [];
    // The scan brings the bodies too: small batches keep that to a few MiB.
    for await (const batch of scanBatches(this.engine, prefixRange(['blob']), SWEEP_BATCH)) {
      for (const { key } of batch) {
        const id = decodeKey(key)[1]!.toString('latin1');
        const made = INLINE_ID.exec(id);
        if (made && parseInt(made[1]!, 36) < beforeMs) ids.push(id);
      }
    }
    return [...ids, ...(await this.files.createdBefore(beforeMs))];
  }

  /** Waits for queued deletions (the engine must still be open), then closes the file store. */
  async close(): Promise<void> {
    await this.deleting;
    await this.files.close();
  }
}
