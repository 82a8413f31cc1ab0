import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

describe('migration 0400 (the issuing CAs of an edge publication, as a set)', () => {
  it("makes each publication's one issuing CA the first of its set, and refuses a CA twice or an unknown CA", () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 330)).toBe(330);
    // Key-less roots (a publisher's), so no key rows are needed.
    const ca = raw.prepare(
      "INSERT INTO authorities (id, kind, name, parent_id, key_id, key_type, subject, serial_hex, not_before, not_after, sha256_hex, cert_der, created_at) VALUES (?, 'root', ?, NULL, NULL, 'ec-p256', ?, '01', '2026-01-01', '2036-01-01', ?, x'00', '2026-01-01')",
    );
    ca.run('ca_a', 'A', 'CN=A', 'aa');
    ca.run('ca_b', 'B', 'CN=B', 'bb');
    const publish = raw.prepare(
      "INSERT INTO edge_publications (at, authority_id, dir, server_name, crl_numbers, bundle_sha256) VALUES ('2026-02-01', ?, '/edge', 'auth.example.test', '{}', 'h')",
    );
    publish.run('ca_a');
    publish.run('ca_b');
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT publication_id, position, authority_id FROM publication_authorities ORDER BY publication_id').all()).toEqual([
      { publication_id: 1, position: 0, authority_id: 'ca_a' },
      { publication_id: 2, position: 0, authority_id: 'ca_b' },
    ]);
    db.prepare('INSERT INTO publication_authorities (publication_id, position, authority_id) VALUES (1, 1, ?)').run('ca_b');
    expect(() =>
      db.prepare('INSERT INTO publication_authorities (publication_id, position, authority_id) VALUES (1, 2, ?)').run('ca_a'),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare('INSERT INTO publication_authorities (publication_id, position, authority_id) VALUES (1, 3, ?)').run('ca_nowhere'),
    ).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT count(*) AS n FROM publication_authorities').get()).toEqual({ n: 3 });
    db.close();
  });
});
