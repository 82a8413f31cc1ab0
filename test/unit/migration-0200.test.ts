import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate, schemaVersion } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

const MAC = 'a'.repeat(64);

describe('migration 0200 (delivery targets)', () => {
  it('adds the targets and deliveries tables to a 0130 store, with its certificates untouched', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 130)).toBe(130);
    raw.pragma('foreign_keys = OFF');
    raw
      .prepare(
        `INSERT INTO certificates (id, authority_id, profile, serial_hex, common_name, subject, subject_lines, issuer, sans, key_type, key_storage, key_id, not_before, not_after, sha256_hex, sha256_b64u, sha1_hex, replaces_id, revoked_at, revocation_reason, cert_der, created_at, search_text)
         VALUES ('cert_1', NULL, NULL, '01', 'a', 'CN=a', 'CN=a', 'CN=ca', '[]', 'ec-p256', 'csr-only', NULL, 'x', 'y', 'h', 'b', 's', NULL, NULL, NULL, x'00', 'z', 'a')`,
      )
      .run();
    raw.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT id FROM certificates').all()).toEqual([{ id: 'cert_1' }]);
    const insert = db.prepare(
      "INSERT INTO delivery_targets (id, certificate_id, kind, spec, approved_by, approved_mac, created_at) VALUES (?, 'cert_1', ?, ?, 'cli', ?, 'now')",
    );
    insert.run('tgt_1', 'folder', JSON.stringify({ v: 1, kind: 'folder', path: '/srv/tls' }), MAC);
    // Only the three kinds, a versioned JSON spec, and a well-formed MAC.
    expect(() => insert.run('tgt_2', 'ftp', JSON.stringify({ v: 1 }), MAC)).toThrow(/CHECK/);
    expect(() => insert.run('tgt_3', 'folder', JSON.stringify({ path: '/srv' }), MAC)).toThrow(/CHECK/);
    expect(() => insert.run('tgt_4', 'folder', 'not json', MAC)).toThrow(/CHECK|JSON/);
    expect(() => insert.run('tgt_5', 'folder', JSON.stringify({ v: 1 }), 'nope')).toThrow(/CHECK/);
    // A target must belong to a certificate, a delivery to a target.
    expect(() =>
      db
        .prepare(
          "INSERT INTO delivery_targets (id, certificate_id, kind, spec, approved_by, approved_mac, created_at) VALUES ('tgt_6', 'cert_x', 'folder', '{\"v\":1}', 'cli', ?, 'now')",
        )
        .run(MAC),
    ).toThrow(/FOREIGN KEY/);
    const record = db.prepare(
      "INSERT INTO deliveries (target_id, certificate_id, serial_hex, release_id, status, detail, at) VALUES (?, 'cert_1', '01', NULL, ?, '', 'now')",
    );
    record.run('tgt_1', 'done');
    expect(() => record.run('tgt_1', 'maybe')).toThrow(/CHECK/);
    expect(() => record.run('tgt_x', 'done')).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT count(*) AS n FROM deliveries').get()).toEqual({ n: 1 });
    db.close();
  });
});
