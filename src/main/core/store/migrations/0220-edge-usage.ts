import type { Migration } from './migration.ts';

/**
 * Evidence of use from the edge (issue 11): what nginx's JSON-lines access log says of each
 * certificate, so a rotation can retire the old credential when the workload has moved, not on a timer.
 *
 * - edge_log_positions: where reading each log stopped (its file's inode and the byte after the last
 *   whole line), stored with the totals it produced in one transaction so a crash never counts twice.
 * - edge_usage: per certificate, first and last seen, requests, the last status, token successes.
 * - edge_usage_minutes: per certificate and minute, for "requests since" and the hourly chart of the
 *   last day; minutes older than two days are dropped as new ones arrive.
 * - edge_usage_unknown: serials (with their issuer) the edge saw that certdesk does not hold.
 */
export const edgeUsage: Migration = {
  version: 220,
  name: 'edge-usage',
  up(db) {
    db.exec(`
      CREATE TABLE edge_log_positions (
        source  TEXT PRIMARY KEY,
        inode   TEXT NOT NULL,
        offset  INTEGER NOT NULL CHECK (offset >= 0),
        lines   INTEGER NOT NULL DEFAULT 0 CHECK (lines >= 0),
        skipped INTEGER NOT NULL DEFAULT 0 CHECK (skipped >= 0),
        read_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE edge_usage (
        certificate_id  TEXT PRIMARY KEY REFERENCES certificates (id) ON DELETE RESTRICT,
        first_seen      TEXT NOT NULL,
        last_seen       TEXT NOT NULL,
        requests        INTEGER NOT NULL CHECK (requests >= 0),
        last_status     INTEGER NOT NULL CHECK (last_status BETWEEN 100 AND 599),
        token_successes INTEGER NOT NULL CHECK (token_successes >= 0)
      ) STRICT;

      CREATE TABLE edge_usage_minutes (
        certificate_id  TEXT NOT NULL REFERENCES certificates (id) ON DELETE RESTRICT,
        minute          TEXT NOT NULL,
        requests        INTEGER NOT NULL CHECK (requests >= 0),
        token_successes INTEGER NOT NULL CHECK (token_successes >= 0),
        PRIMARY KEY (certificate_id, minute)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX edge_usage_minutes_minute ON edge_usage_minutes (minute);

      CREATE TABLE edge_usage_unknown (
        serial_hex  TEXT NOT NULL,
        issuer      TEXT NOT NULL,
        first_seen  TEXT NOT NULL,
        last_seen   TEXT NOT NULL,
        requests    INTEGER NOT NULL CHECK (requests >= 0),
        last_status INTEGER NOT NULL CHECK (last_status BETWEEN 100 AND 599),
        PRIMARY KEY (serial_hex, issuer)
      ) STRICT;
    `);
  },
};
