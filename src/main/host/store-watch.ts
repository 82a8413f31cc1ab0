/**
 * Other processes' writes to the store, for the pages on screen: the CLI issuing or revoking while the app is
 * open, a second certdesk on the same data folder. SQLite's `data_version` moves on a connection when another
 * connection commits, never for that connection's own commits, and a WAL checkpoint is not a commit. It is
 * read on the service's own connection every `intervalMs`; each move is one call of `onChange`, however many
 * commits it covers, so a busy CLI costs the pages one reading per interval at most.
 */
import type { Database } from '../core/store/database.ts';

/** How often the store is looked at: a change made at a terminal shows in the app within about this long. */
export const STORE_WATCH_INTERVAL_MS = 1_500;

export interface StoreWatch {
  stop(): void;
}

export function watchStore(db: Database, onChange: () => void, intervalMs = STORE_WATCH_INTERVAL_MS): StoreWatch {
  const read = (): number | null => {
    try {
      return db.open ? (db.pragma('data_version', { simple: true }) as number) : null;
    } catch {
      // Busy or closing: the next look reads it.
      return null;
    }
  };
  let seen = read();
  const timer = setInterval(() => {
    const now = read();
    if (now === null || now === seen) return;
    seen = now;
    onChange();
  }, intervalMs);
  // Never what keeps a host's process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
