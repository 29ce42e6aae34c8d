/**
 * The write side of the SQLite engine: applies write sets to the kv table in one SQL transaction.
 * Used on the main thread for memory stores and by the commit worker for disk stores.
 */

import type Database from 'better-sqlite3';
import type { WriteSetVisitor } from './write-set';

type Statement = Database.Statement<unknown[], unknown>;

/** Feeds one write set to a visitor: ranges first, then point entries (see overlay.ts). */
export type WriteSetSource = (visitor: WriteSetVisitor) => void;

export class SqliteWriter {
  private readonly beginStmt: Statement;
  private readonly commitStmt: Statement;
  private readonly rollbackStmt: Statement;
  private readonly visitor: WriteSetVisitor;

  constructor(private readonly db: Database.Database) {
    this.beginStmt = db.prepare('BEGIN IMMEDIATE');
    this.commitStmt = db.prepare('COMMIT');
    this.rollbackStmt = db.prepare('ROLLBACK');
    const putStmt = db.prepare('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)');
    const deleteStmt = db.prepare('DELETE FROM kv WHERE key = ?');
    const deleteRangeStmt = db.prepare('DELETE FROM kv WHERE key >= ? AND key < ?');
    this.visitor = {
      deleteRange: (start, end) => void deleteRangeStmt.run(start, end),
      entry: (key, value) => void (value === null ? deleteStmt.run(key) : putStmt.run(key, value)),
    };
  }

  /** Writes the write sets, in order, atomically; all or nothing, synchronously, durable once it returns. */
  commit(writeSets: readonly WriteSetSource[]): void {
    this.beginStmt.run();
    try {
      for (const writeSet of writeSets) writeSet(this.visitor);
      this.commitStmt.run();
    } catch (err) {
      // A failed COMMIT may already have rolled back (e.g. on I/O errors); only roll back if still open.
      if (this.db.inTransaction) {
        try {
          this.rollbackStmt.run();
        } catch {
          // The original error is the one worth reporting.
        }
      }
      throw err;
    }
  }
}
