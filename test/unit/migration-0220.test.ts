import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

describe('migration 0220 (edge usage)', () => {
  it('adds the evidence tables to a database of the previous version, empty, and refuses impossible rows', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 130)).toBe(130);
    const tables = () =>
      raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'edge_%' ORDER BY name").pluck().all();
    expect(tables()).toEqual(['edge_publications', 'edge_reload_actions']);
    raw.close();

    const db = openDatabase(file);
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'edge_%' ORDER BY name").pluck().all();
    // The evidence tables are new; edge_config comes from 0140, on the way.
    expect(names).toEqual([
      'edge_config',
      'edge_log_positions',
      'edge_publications',
      'edge_reload_actions',
      'edge_usage',
      'edge_usage_minutes',
      'edge_usage_unknown',
    ]);
    for (const table of ['edge_log_positions', 'edge_usage', 'edge_usage_minutes', 'edge_usage_unknown'])
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    // A usage row needs a certificate certdesk holds, and a status HTTP could answer.
    const usage = db.prepare(
      "INSERT INTO edge_usage (certificate_id, first_seen, last_seen, requests, last_status, token_successes) VALUES (?, 'a', 'b', 1, ?, 0)",
    );
    expect(() => usage.run('cert_missing', 200)).toThrow(/FOREIGN KEY/);
    expect(() =>
      db.prepare("INSERT INTO edge_log_positions (source, inode, offset, read_at) VALUES ('/x', '1:2', -1, 'now')").run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO edge_usage_unknown (serial_hex, issuer, first_seen, last_seen, requests, last_status) VALUES ('ab', 'CN=x', 'a', 'b', 1, 42)",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(db.prepare('SELECT count(*) FROM edge_usage').pluck().get()).toBe(0);
    db.close();
  });
});
