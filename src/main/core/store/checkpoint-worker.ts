// Worker entry of the WAL checkpointer (wal-checkpoints.ts): its own connection to the store copies
// committed WAL pages into the database file, and syncs it, on this thread, so that no commit of the
// service's waits for a checkpoint (issue 14). It imports nothing of certdesk's: it is loaded from the
// TypeScript sources and, in the Electron build, as its own file.
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

export interface CheckpointWorkerData {
  /** The store's database file; it exists (the service opened and migrated it first). */
  file: string;
  /** How soon a commit seen is checkpointed; quiet spells stretch the wait up to `idleMs`. */
  busyMs: number;
  idleMs: number;
}

/** What the worker tells the service: each checkpoint it ran (tests watch them), or why it stopped. */
export type CheckpointNote = { kind: 'checkpointed'; walFrames: number; copied: number } | { kind: 'failed'; message: string };

const port = parentPort;
if (!port) throw new Error('checkpoint-worker.ts runs only as a worker thread (src/main/core/store/wal-checkpoints.ts starts it).');
const { file, busyMs, idleMs } = workerData as CheckpointWorkerData;

let db: BetterSqlite3.Database | undefined;
try {
  // The file's WAL mode is persistent; nothing else is set on this connection, and it never writes a row.
  db = new BetterSqlite3(file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
} catch (error) {
  port.postMessage({ kind: 'failed', message: (error as Error).message } satisfies CheckpointNote);
}

let seen: unknown;
let wait = busyMs;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Ends the thread: its connection closed, nothing left to run. */
function end(): void {
  clearTimeout(timer);
  db?.close();
  db = undefined;
  port!.close();
}

function round(): void {
  if (!db) return;
  try {
    // data_version moves when another connection commits: an unchanged store costs one read, no checkpoint.
    const version = db.pragma('data_version', { simple: true });
    if (version !== seen) {
      // PASSIVE: copies what no reader still needs, never waits for a writer or a reader.
      const [row] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      const walFrames = row?.log ?? 0;
      const copied = row?.checkpointed ?? 0;
      port!.postMessage({ kind: 'checkpointed', walFrames, copied } satisfies CheckpointNote);
      if (!row?.busy && copied >= walFrames) {
        seen = version;
        wait = busyMs;
      } else {
        // Another connection was checkpointing, or a reader still needed some frames: try again,
        // sooner while commits keep coming, later while none do.
        wait = Math.min(idleMs, wait * 2);
      }
    } else {
      wait = Math.min(idleMs, wait * 2);
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') {
      // Not a moment's contention (the file gone, unreadable, not a database): say so and stop, so
      // the service goes back to SQLite's own checkpoints.
      port!.postMessage({ kind: 'failed', message: (error as Error).message } satisfies CheckpointNote);
      end();
      return;
    }
    wait = Math.min(idleMs, wait * 2);
  }
  timer = setTimeout(round, wait);
}

port.on('message', (message: 'stop') => {
  if (message === 'stop') end();
});

if (db) timer = setTimeout(round, busyMs);
else port.close();
