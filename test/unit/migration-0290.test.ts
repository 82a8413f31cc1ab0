import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

describe('migration 0290 (authority retirement)', () => {
  it('keeps existing authorities in service and admits a revocation only with its reason and a retirement', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 250)).toBe(250);
    raw.prepare("INSERT INTO keys (id, key_type, public_key_sha256, sealed, created_at) VALUES ('k1', 'ec-p256', 'aa', x'00', 't')").run();
    raw
      .prepare(
        `INSERT INTO authorities (id, name, kind, parent_id, key_id, key_type, subject, serial_hex, not_before, not_after, sha256_hex, cert_der, created_at)
         VALUES ('ca1', 'Old Root', 'root', NULL, 'k1', 'ec-p256', 'CN=Old Root', '01', 'a', 'b', 'ff', x'00', 't')`,
      )
      .run();
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT retired_at, revoked_at, revocation_reason FROM authorities').get()).toEqual({
      retired_at: null,
      revoked_at: null,
      revocation_reason: null,
    });
    expect(() => db.prepare("UPDATE authorities SET revoked_at = 'x' WHERE id = 'ca1'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE authorities SET revoked_at = 'x', revocation_reason = 'superseded' WHERE id = 'ca1'").run()).toThrow(
      /CHECK/,
    );
    db.prepare("UPDATE authorities SET retired_at = 'x', revoked_at = 'x', revocation_reason = 'superseded' WHERE id = 'ca1'").run();
    expect(db.prepare('SELECT revocation_reason FROM authorities').get()).toEqual({ revocation_reason: 'superseded' });
    db.close();
  });
});
