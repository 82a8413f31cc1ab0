import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate, schemaVersion } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

const insert =
  "INSERT INTO tenants (id, name, environment, domain, custom_domain, client_id, secret_storage, created_at) VALUES (?, ?, ?, 'acme.eu.auth0.com', NULL, 'cid', 'keychain', '2026-01-01T00:00:00.000Z')";

describe('migration 0040: tenants', () => {
  it('upgrades a database at version 30 cleanly, keeping its rows', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 30)).toBe(30);
    raw.prepare("INSERT INTO settings (key, value) VALUES ('store_id', 'store_kept')").run();
    raw.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'store_id'").get()).toEqual({ value: 'store_kept' });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'tenant%' ORDER BY name").all();
    expect(tables).toEqual([{ name: 'tenant_secrets' }, { name: 'tenants' }]);
    db.close();
  });

  it('enforces the environment, a case-insensitive unique name, STRICT types and the secret cascade', () => {
    const db = openDatabase(join(tempDir(), 'a.sqlite3'));
    db.prepare(insert).run('tenant_1', 'Acme Prod', 'production');
    expect(() => db.prepare(insert).run('tenant_2', 'acme prod', 'staging')).toThrow(/UNIQUE constraint failed: tenants.name/);
    expect(() => db.prepare(insert).run('tenant_3', 'Acme QA', 'qa')).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare('INSERT INTO tenant_secrets (tenant_id, sealed) VALUES (?, ?)').run('tenant_1', 'plaintext')).toThrow(
      /cannot store TEXT value in BLOB column/,
    );
    db.prepare('INSERT INTO tenant_secrets (tenant_id, sealed) VALUES (?, ?)').run('tenant_1', Buffer.from([1, 2, 3]));
    db.prepare('DELETE FROM tenants WHERE id = ?').run('tenant_1');
    expect(db.prepare('SELECT count(*) AS n FROM tenant_secrets').get()).toEqual({ n: 0 });
    db.close();
  });
});
