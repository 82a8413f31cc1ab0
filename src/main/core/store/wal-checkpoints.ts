/**
 * WAL checkpoints off the service's thread (issue 14). SQLite checkpoints inside the commit that
 * pushes the WAL past `wal_autocheckpoint` pages: with about 20 pages per issuance, one commit in
 * fifty copied a thousand pages and synced the database file, 10–20 ms on a commit that otherwise
 * takes under one. A worker thread with its own connection runs PASSIVE checkpoints soon after
 * commits instead (checkpoint-worker.ts), and the service's connection keeps SQLite's own
 * checkpoint only as a backstop, far out, for when the worker is gone or falls behind.
 *
 * For long-lived hosts only (the desktop app's service process, web mode): a CLI command keeps
 * SQLite's own checkpoints, and its connection, when it is the last one, checkpoints as it closes.
 */
import { Worker } from 'node:worker_threads';
import type { Database } from './database.ts';
import type { CheckpointNote, CheckpointWorkerData } from './checkpoint-worker.ts';
import { coreWorkerPath } from '../pki/worker-path.ts';

/** SQLite's default auto-checkpoint, which the service's connection goes back to when the worker fails. */
export const SQLITE_AUTOCHECKPOINT_PAGES = 1000;
/** The backstop while the worker runs: 16 MiB of WAL at 4 KiB pages. */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 4000;

export interface WalCheckpointOptions {
  /** Starts the worker; tests wrap it to watch or stop it. */
  startWorker?: (path: string, data: CheckpointWorkerData) => Worker;
  /** Each note from the worker (tests wait for a checkpoint). */
  onNote?: (note: CheckpointNote) => void;
  busyMs?: number;
  idleMs?: number;
}

export interface WalCheckpoints {
  /**
   * Stops the worker and closes its connection; resolves once its thread has exited. Called after the
   * service's own connection has closed, so the worker's is the last, which removes the WAL.
   */
  stop(): Promise<void>;
}

/**
 * Starts the worker and pushes the connection's own checkpoint back to the backstop. Where the
 * worker cannot even start (its file missing from a broken install), the store opens as a CLI's
 * does, with SQLite's own checkpoints, and this returns null.
 */
export function checkpointOffThread(db: Database, file: string, options: WalCheckpointOptions = {}): WalCheckpoints | null {
  const data: CheckpointWorkerData = { file, busyMs: options.busyMs ?? 100, idleMs: options.idleMs ?? 2_000 };
  const start = options.startWorker ?? ((path, workerData) => new Worker(path, { workerData }));
  let worker: Worker;
  try {
    worker = start(coreWorkerPath('checkpoint-worker'), data);
  } catch {
    return null;
  }
  // The worker never holds the process open: a host that ends, ends.
  worker.unref();
  let stopped = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const fallBack = () => {
    if (!stopped && db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('message', (note: CheckpointNote) => {
    if (note.kind === 'failed') fallBack();
    options.onNote?.(note);
  });
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
  return {
    stop() {
      if (!stopped) {
        stopped = true;
        // Held open until the thread has closed its connection: a host that awaits this must see it end.
        worker.ref();
        worker.postMessage('stop');
      }
      return exited;
    },
  };
}
