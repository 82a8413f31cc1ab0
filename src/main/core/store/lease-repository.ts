import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';

/** This process, as a lease holder. */
export const LEASE_HOLDER = `${process.pid}-${randomBytes(6).toString('hex')}`;

/**
 * Leases in SQLite: taken in one IMMEDIATE transaction, so two processes never both hold a key.
 * Wall-clock time on purpose: leases coordinate real processes, not the app's notion of "now".
 */
export class LeaseRepository {
  private readonly db: Database;
  private readonly holder: string;

  constructor(db: Database, holder = LEASE_HOLDER) {
    this.db = db;
    this.holder = holder;
  }

  /** Takes (or extends) the lease on `key` for `ttlMs`; false when another live holder has it. */
  tryAcquire(key: string, ttlMs: number, now = Date.now()): boolean {
    return this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT holder, expires_at FROM leases WHERE key = ?').get(key) as
          { holder: string; expires_at: number } | undefined;
        if (row && row.holder !== this.holder && row.expires_at > now && holderAlive(row.holder)) return false;
        this.db
          .prepare(
            'INSERT INTO leases (key, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at',
          )
          .run(key, this.holder, now + ttlMs);
        return true;
      })
      .immediate();
  }

  release(key: string): void {
    this.db.prepare('DELETE FROM leases WHERE key = ? AND holder = ?').run(key, this.holder);
  }

  /** Who else holds `key` now, if anyone. */
  heldByOther(key: string, now = Date.now()): boolean {
    const row = this.db.prepare('SELECT holder, expires_at FROM leases WHERE key = ?').get(key) as
      { holder: string; expires_at: number } | undefined;
    return row !== undefined && row.holder !== this.holder && row.expires_at > now && holderAlive(row.holder);
  }
}

/** A holder on this machine whose process is gone (killed, crashed) holds nothing. */
function holderAlive(holder: string): boolean {
  const pid = Number(holder.split('-')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
