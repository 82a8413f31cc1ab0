import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate, schemaVersion } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

describe('migrations 0050 (bindings, outbox) and 0060 (rotation jobs, publication settings, tenant diagnostics)', () => {
  it('upgrades a version-40 database with a tenant and a publication, keeping both; the new columns start empty', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 40)).toBe(40);
    raw
      .prepare(
        "INSERT INTO tenants (id, name, environment, domain, custom_domain, client_id, secret_storage, created_at) VALUES ('tenant_1', 'Prod', 'production', 'acme.eu.auth0.com', NULL, 'cid', 'keychain', '2026-01-01T00:00:00.000Z')",
      )
      .run();
    raw.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT name, diagnostics FROM tenants').get()).toEqual({ name: 'Prod', diagnostics: null });
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('bindings', 'outbox', 'rotation_jobs', 'rotation_journal') ORDER BY name",
      )
      .all();
    expect(tables).toEqual([{ name: 'bindings' }, { name: 'outbox' }, { name: 'rotation_jobs' }, { name: 'rotation_journal' }]);
    expect(db.prepare("SELECT count(*) AS n FROM pragma_table_info('edge_publications') WHERE name = 'settings'").get()).toEqual({ n: 1 });
    db.close();
  });

  it('enforces one live binding per certificate and application, and one open rotation per certificate', () => {
    const db = openDatabase(join(tempDir(), 'a.sqlite3'));
    db.prepare(
      "INSERT INTO tenants (id, name, environment, domain, custom_domain, client_id, secret_storage, created_at) VALUES ('t', 'Dev', 'development', 'd.auth0.com', NULL, 'cid', 'keychain', 'x')",
    ).run();
    db.pragma('foreign_keys = OFF');
    const bind = db.prepare(
      "INSERT INTO bindings (id, tenant_id, client_id, certificate_id, credential_type, credential_name, require_pop, api, endpoint_aliases, state, created_at) VALUES (?, 't', 'app', 'cert_1', 'cert_subject_dn', 'n', 0, NULL, 0, ?, 'x')",
    );
    bind.run('b1', 'active');
    expect(() => bind.run('b2', 'retired')).toThrow(/UNIQUE constraint failed/);
    bind.run('b3', 'removed');
    expect(() => bind.run('b4', 'bound')).toThrow(/CHECK constraint failed/);
    const job = db.prepare(
      "INSERT INTO rotation_jobs (id, certificate_id, state, step, same_key, verify, overlap_seconds, created_at, updated_at) VALUES (?, 'cert_1', ?, 0, 0, 1, 0, 'x', 'x')",
    );
    job.run('r1', 'running');
    expect(() => job.run('r2', 'waiting')).toThrow(/UNIQUE constraint failed/);
    job.run('r3', 'done');
    expect(() => job.run('r4', 'paused')).toThrow(/CHECK constraint failed/);
    db.close();
  });
});
