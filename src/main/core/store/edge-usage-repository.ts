import type { Database } from 'better-sqlite3';
import type { CertificateUsage } from '../rotation/ports.ts';
import type { LogPosition } from '../evidence/access-log-reader.ts';
import type { Seen, UsageTally } from '../evidence/usage-tally.ts';

/** Minutes are kept this long: the chart shows the last day, "requests in the last hour" needs less. */
export const MINUTES_KEPT_MS = 2 * 24 * 3600_000;

const iso = (ms: number) => new Date(ms).toISOString();

/** One hour of the chart: its start, and what the edge saw in it. */
export interface UsageHour {
  hour: string;
  requests: number;
  tokenSuccesses: number;
}

/** The edge's evidence, as migration 0220 stores it. */
export class EdgeUsageRepository {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  position(source: string): LogPosition | null {
    const row = this.db
      .prepare<[string], { inode: string; offset: number }>('SELECT inode, offset FROM edge_log_positions WHERE source = ?')
      .get(source);
    return row ? { inode: row.inode, offset: row.offset } : null;
  }

  /** Lines read and skipped over a source's life. */
  counters(source: string): { lines: number; skipped: number } | null {
    return (
      this.db
        .prepare<[string], { lines: number; skipped: number }>('SELECT lines, skipped FROM edge_log_positions WHERE source = ?')
        .get(source) ?? null
    );
  }

  /**
   * Adds one read's totals and moves the source's position, in one transaction: a crash between the
   * two would otherwise count the same lines again on the next read.
   */
  record(source: string, position: LogPosition, tally: UsageTally, counts: { lines: number; skipped: number }, now: Date): void {
    const usage = this.db.prepare(`
      INSERT INTO edge_usage (certificate_id, first_seen, last_seen, requests, last_status, token_successes)
      VALUES (@id, @firstSeen, @lastSeen, @requests, @lastStatus, @tokenSuccesses)
      ON CONFLICT (certificate_id) DO UPDATE SET
        first_seen = min(first_seen, excluded.first_seen),
        last_status = CASE WHEN excluded.last_seen >= last_seen THEN excluded.last_status ELSE last_status END,
        last_seen = max(last_seen, excluded.last_seen),
        requests = requests + excluded.requests,
        token_successes = token_successes + excluded.token_successes`);
    const minute = this.db.prepare(`
      INSERT INTO edge_usage_minutes (certificate_id, minute, requests, token_successes) VALUES (?, ?, ?, ?)
      ON CONFLICT (certificate_id, minute) DO UPDATE SET
        requests = requests + excluded.requests, token_successes = token_successes + excluded.token_successes`);
    const unknown = this.db.prepare(`
      INSERT INTO edge_usage_unknown (serial_hex, issuer, first_seen, last_seen, requests, last_status)
      VALUES (@serial, @issuer, @firstSeen, @lastSeen, @requests, @lastStatus)
      ON CONFLICT (serial_hex, issuer) DO UPDATE SET
        first_seen = min(first_seen, excluded.first_seen),
        last_status = CASE WHEN excluded.last_seen >= last_seen THEN excluded.last_status ELSE last_status END,
        last_seen = max(last_seen, excluded.last_seen),
        requests = requests + excluded.requests`);
    const cutoff = iso(now.getTime() - MINUTES_KEPT_MS);
    this.db.transaction(() => {
      for (const [id, seen] of tally.certificates) {
        usage.run({ id, ...row(seen), tokenSuccesses: seen.tokenSuccesses });
        for (const [at, bucket] of seen.minutes) if (iso(at) >= cutoff) minute.run(id, iso(at), bucket.requests, bucket.tokenSuccesses);
      }
      for (const seen of tally.unknown.values()) unknown.run({ serial: seen.serial, issuer: seen.issuer, ...row(seen) });
      this.db.prepare('DELETE FROM edge_usage_minutes WHERE minute < ?').run(cutoff);
      this.db
        .prepare(
          `INSERT INTO edge_log_positions (source, inode, offset, lines, skipped, read_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (source) DO UPDATE SET inode = excluded.inode, offset = excluded.offset,
             lines = lines + excluded.lines, skipped = skipped + excluded.skipped, read_at = excluded.read_at`,
        )
        .run(source, position.inode, position.offset, counts.lines, counts.skipped, now.toISOString());
    })();
  }

  usage(certificateId: string): (CertificateUsage & { tokenSuccesses: number }) | null {
    const r = this.db
      .prepare<[string], { first_seen: string; last_seen: string; requests: number; last_status: number; token_successes: number }>(
        'SELECT first_seen, last_seen, requests, last_status, token_successes FROM edge_usage WHERE certificate_id = ?',
      )
      .get(certificateId);
    return r
      ? {
          certificateId,
          firstSeen: r.first_seen,
          lastSeen: r.last_seen,
          requests: r.requests,
          lastStatus: r.last_status,
          tokenSuccesses: r.token_successes,
        }
      : null;
  }

  /** Counted by whole minutes: a request in the minute that holds `since` counts, even a few seconds before it. */
  countSince(certificateId: string, since: Date, what: 'requests' | 'token_successes'): number {
    const minute = iso(since.getTime() - (since.getTime() % 60_000));
    const column = what === 'requests' ? 'requests' : 'token_successes';
    return (
      this.db
        .prepare<[string, string], { n: number | null }>(
          `SELECT sum(${column}) AS n FROM edge_usage_minutes WHERE certificate_id = ? AND minute >= ?`,
        )
        .get(certificateId, minute)?.n ?? 0
    );
  }

  /** The hours from `from` to `to` (both rounded down to the hour), oldest first, empty hours included. */
  hours(certificateId: string, from: Date, to: Date): UsageHour[] {
    const HOUR = 3600_000;
    const start = from.getTime() - (from.getTime() % HOUR);
    const rows = this.db
      .prepare<[string, string], { hour: string; requests: number; token_successes: number }>(
        `SELECT substr(minute, 1, 13) AS hour, sum(requests) AS requests, sum(token_successes) AS token_successes
         FROM edge_usage_minutes WHERE certificate_id = ? AND minute >= ? GROUP BY hour`,
      )
      .all(certificateId, iso(start));
    const byHour = new Map(rows.map((r) => [r.hour, r]));
    const hours: UsageHour[] = [];
    for (let at = start; at <= to.getTime(); at += HOUR) {
      const r = byHour.get(iso(at).slice(0, 13));
      hours.push({ hour: iso(at), requests: r?.requests ?? 0, tokenSuccesses: r?.token_successes ?? 0 });
    }
    return hours;
  }

  unknown(): Array<{ serialHex: string; issuer: string; firstSeen: string; lastSeen: string; requests: number; lastStatus: number }> {
    return this.db
      .prepare<[], { serial_hex: string; issuer: string; first_seen: string; last_seen: string; requests: number; last_status: number }>(
        'SELECT * FROM edge_usage_unknown ORDER BY last_seen DESC',
      )
      .all()
      .map((r) => ({
        serialHex: r.serial_hex,
        issuer: r.issuer,
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
        requests: r.requests,
        lastStatus: r.last_status,
      }));
  }
}

function row(seen: Seen) {
  return { firstSeen: iso(seen.firstSeen), lastSeen: iso(seen.lastSeen), requests: seen.requests, lastStatus: seen.lastStatus };
}
