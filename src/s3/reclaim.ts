/**
 * Reclaiming blobs orphaned by a crash between a blob's creation and the commit of the metadata naming it
 * (storage/blob-store). Such a blob is unreferenced and invisible, only wasted space.
 *
 * Choice: a background sweep after start, not intent records. The candidates are blobs made before the
 * moment the sweep was started: a blob written by a previous process that no committed
 * record names can never become referenced (every write makes a fresh blob id; copies copy bytes), so
 * deleting it is safe even while requests run. Blobs written by this process are never candidates, so a
 * PUT in flight is never touched. The sweep reads the S3 records (current objects, versions, multipart
 * parts) in batches of 1000, yielding to the event loop between batches, so start-up is not delayed and
 * serving continues while it runs; its cost is one pass over the metadata and one listing of the blobs
 * (files by mtime, bodies kept in the engine by the time in their id: storage/tiered-blob-store.ts).
 *
 * Wiring (the CLI, after the server listens): void startOrphanReclaim(store, blobs, log).
 */
import type { BlobStore } from '../storage/blob-store';
import { scanBatches, type ReadView } from '../storage/engine';
import { prefixRange } from '../storage/tuple-key';
import { blobIdsOf, type ObjectRecord, type PartRecord } from './records';

const BATCH = 1000;

/**
 * Every blob id a committed S3 record names: uploaded parts, current objects and versions. The scan is not
 * one snapshot, so it goes in the only direction a blob ever moves between records (a completed upload's
 * parts become an object and its version; a deleted current object stays a version): a blob that moves
 * while the scan runs is found in the later range.
 */
export async function referencedBlobIds(view: ReadView): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const kind of ['part', 'object', 'version']) {
    for await (const batch of scanBatches(view, prefixRange(['s3', kind]), BATCH)) {
      for (const entry of batch) {
        const record = JSON.parse(entry.value.toString('utf8')) as ObjectRecord | PartRecord;
        if (kind === 'part') ids.add((record as PartRecord).blobId);
        else for (const id of blobIdsOf(record as ObjectRecord)) ids.add(id);
      }
    }
  }
  return ids;
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
 * The start-up sweep (see the header). Candidates are blobs older than this process (less a margin for
 * coarse file-system timestamps), so nothing this process writes is one. Never rejects.
 */
export async function startOrphanReclaim(
  view: ReadView,
  blobs: Pick<BlobStore, 'delete' | 'createdBefore'>,
  log?: { info(message: string): void; warn(message: string): void },
  before: number = performance.timeOrigin - 2000,
): Promise<string[]> {
  try {
    const removed = await reclaimOrphanBlobs(view, blobs, await blobs.createdBefore(before));
    if (removed.length > 0) log?.info(`reclaimed ${removed.length} orphaned object blob(s)`);
    return removed;
  } catch (err) {
    log?.warn(`orphaned blob sweep failed: ${(err as Error).message}`);
    return [];
  }
}
