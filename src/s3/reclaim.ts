/**
 * Reclaiming blobs orphaned by a crash between a blob's creation and the commit of the metadata naming it
 * (storage/blob-store). Such a blob is unreferenced and invisible, only wasted space.
 *
 * Choice: a background sweep after start, not intent records. The candidates are blob files whose mtime is
 * older than the moment the sweep was started: a blob written by a previous process that no committed
 * record names can never become referenced (every write makes a fresh blob id; copies copy bytes), so
 * deleting it is safe even while requests run. Blobs written by this process are never candidates, so a
 * PUT in flight is never touched. The sweep reads the S3 records (current objects, versions, multipart
 * parts) in batches of 1000, yielding to the event loop between batches, so start-up is not delayed and
 * serving continues while it runs; its cost is one pass over the metadata and one directory listing.
 *
 * Wiring (the CLI, after the server listens):
 *   void startOrphanReclaim(store, blobs, resolve(config.dataDir), log) — for file blob stores only.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { BlobStore } from '../storage/blob-store';
import type { ReadView } from '../storage/engine';
import { prefixRange } from '../storage/tuple-key';
import { blobIdsOf, type ObjectRecord, type PartRecord } from './records';

const BATCH = 1000;
const BLOB_ID = /^[0-9a-z]+-[0-9a-f]{24}$/;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Every blob id a committed S3 record names: uploaded parts, current objects and versions. The scan is not
 * one snapshot, so it goes in the only direction a blob ever moves between records (a completed upload's
 * parts become an object and its version; a deleted current object stays a version): a blob that moves
 * while the scan runs is found in the later range.
 */
export async function referencedBlobIds(view: ReadView): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const kind of ['part', 'object', 'version']) {
    const range = prefixRange(['s3', kind]);
    let start = range.start;
    for (;;) {
      const batch = await view.scan({ start, end: range.end, limit: BATCH });
      for (const entry of batch) {
        const record = JSON.parse(entry.value.toString('utf8')) as ObjectRecord | PartRecord;
        if (kind === 'part') ids.add((record as PartRecord).blobId);
        else for (const id of blobIdsOf(record as ObjectRecord)) ids.add(id);
      }
      if (batch.length < BATCH) break;
      start = Buffer.concat([batch[batch.length - 1]!.key, Buffer.from([0])]);
      await yieldToLoop();
    }
  }
  return ids;
}

/** Blob ids on disk (`<dataDir>/objects/<2 hex>/<id>`) last modified before `beforeMs`. */
export async function fileBlobCandidates(dataDir: string, beforeMs: number): Promise<string[]> {
  const root = join(dataDir, 'objects');
  const out: string[] = [];
  let dirs: string[];
  try {
    dirs = await fsp.readdir(root);
  } catch {
    return out;
  }
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await fsp.readdir(join(root, dir));
    } catch {
      continue;
    }
    for (const name of names) {
      if (!BLOB_ID.test(name)) continue;
      try {
        if ((await fsp.stat(join(root, dir, name))).mtimeMs < beforeMs) out.push(name);
      } catch {
        // deleted meanwhile
      }
    }
    await yieldToLoop();
  }
  return out;
}

/** Deletes the candidates no record names; returns the ids deleted. */
export async function reclaimOrphanBlobs(view: ReadView, blobs: Pick<BlobStore, 'delete'>, candidates: readonly string[]): Promise<string[]> {
  if (candidates.length === 0) return [];
  const referenced = await referencedBlobIds(view);
  const orphans = candidates.filter((id) => !referenced.has(id));
  for (const id of orphans) await blobs.delete(id);
  return orphans;
}

/**
 * The start-up sweep for a file blob store under `dataDir` (see the header). Candidates are blobs older than
 * this process (less a margin for coarse file-system timestamps), so nothing this process writes is one.
 * Never rejects.
 */
export async function startOrphanReclaim(
  view: ReadView,
  blobs: Pick<BlobStore, 'delete'>,
  dataDir: string,
  log?: { info(message: string): void; warn(message: string): void },
  before: number = performance.timeOrigin - 2000,
): Promise<string[]> {
  try {
    const removed = await reclaimOrphanBlobs(view, blobs, await fileBlobCandidates(dataDir, before));
    if (removed.length > 0) log?.info(`reclaimed ${removed.length} orphaned object blob(s)`);
    return removed;
  } catch (err) {
    log?.warn(`orphaned blob sweep failed: ${(err as Error).message}`);
    return [];
  }
}
