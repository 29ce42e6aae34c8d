/**
 * fsync of directories as a group commit: a file's directory entry is durable once an fsync of its
 * directory has *started* after the entry was created. A request arriving while that directory's fsync runs
 * waits for the next one, which then serves every request that queued meanwhile; so N files created
 * together in one directory cost one or two directory fsyncs, not N.
 */
import * as fs from 'node:fs';

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

interface DirectoryState {
  running: boolean;
  waiting: Waiter[];
}

export class DirectorySync {
  private readonly dirs = new Map<string, DirectoryState>();

  /** Resolves once every entry created in `dir` before this call is durable. */
  sync(dir: string): Promise<void> {
    let state = this.dirs.get(dir);
    if (!state) {
      state = { running: false, waiting: [] };
      this.dirs.set(dir, state);
    }
    const s = state;
    return new Promise((resolve, reject) => {
      s.waiting.push({ resolve, reject });
      if (!s.running) this.run(dir, s);
    });
  }

  private run(dir: string, state: DirectoryState): void {
    const batch = state.waiting;
    state.waiting = [];
    state.running = true;
    fsyncDirectory(dir, (err) => {
      state.running = false;
      for (const w of batch) if (err) w.reject(err);
      else w.resolve();
      if (state.waiting.length > 0) this.run(dir, state);
      else this.dirs.delete(dir);
    });
  }
}

function fsyncDirectory(dir: string, done: (err: Error | null) => void): void {
  fs.open(dir, 'r', (openErr, fd) => {
    if (openErr) return done(openErr);
    fs.fsync(fd, (syncErr) => fs.close(fd, (closeErr) => done(syncErr ?? closeErr)));
  });
}
