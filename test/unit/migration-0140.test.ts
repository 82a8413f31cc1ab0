import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

describe('migration 0140 (edge config)', () => {
  it('adds an empty edge configuration: earlier publications are not carried over as approved', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 130)).toBe(130);
    raw.pragma('foreign_keys = OFF');
    raw
      .prepare(
        "INSERT INTO edge_publications (at, authority_id, dir, server_name, crl_numbers, bundle_sha256, settings) VALUES ('x', 'ca_1', '/srv/edge', 'auth.example.com', '{}', 'h', '{}')",
      )
      .run();
    raw.close();

    const db = openDatabase(file);
    // Migrated to the newest version, through 0140.
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT count(*) AS n FROM edge_config').get()).toEqual({ n: 0 });
    // One row only, and never without a well-formed MAC.
    expect(() => db.prepare("INSERT INTO edge_config (id, folder, approved_mac) VALUES (2, '/x', ?)").run('a'.repeat(64))).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO edge_config (id, folder, approved_mac) VALUES (1, '/x', 'not-a-mac')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO edge_config (id, folder, approved_mac) VALUES (1, '/x', NULL)").run()).toThrow(/NOT NULL/);
    db.close();
  });
});
