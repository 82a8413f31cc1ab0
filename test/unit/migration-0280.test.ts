import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate, schemaVersion } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

const authority = (id: string, keyId: string | null, parent: string | null) =>
  [
    id,
    `CA ${id}`,
    parent ? 'issuing' : 'root',
    parent,
    keyId,
    'ec-p256',
    `CN=${id}`,
    '01',
    'a',
    'b',
    `sha-${id}`,
    Buffer.from([1]),
    'c',
  ] as const;
const INSERT_CA =
  'INSERT INTO authorities (id, name, kind, parent_id, key_id, key_type, subject, serial_hex, not_before, not_after, sha256_hex, cert_der, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

describe('migration 0280 (a publisher holds CA certificates without keys; outgoing requests; the signer audit)', () => {
  it('keeps every authority and what refers to it, then admits a key-less CA and the request rows', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    raw.pragma('foreign_keys = ON');
    expect(migrate(raw, MIGRATIONS, 250)).toBe(250);
    raw.prepare("INSERT INTO keys VALUES ('k1', 'ec-p256', 'p', x'00', 'c'), ('k2', 'ec-p256', 'q', x'00', 'c')").run();
    raw.prepare(INSERT_CA).run(...authority('root', 'k1', null));
    raw.prepare(INSERT_CA).run(...authority('iss', 'k2', 'root'));
    raw
      .prepare(
        `INSERT INTO certificates (id, authority_id, serial_hex, subject, subject_lines, issuer, sans, key_type, key_storage, not_before, not_after,
         sha256_hex, sha256_b64u, sha1_hex, cert_der, created_at, search_text) VALUES ('c1', 'iss', '0a', 's', 's', 'i', '[]', 'ec-p256', 'csr-only',
         'a', 'b', 'h', 'h', 'h', x'00', 'c', 's')`,
      )
      .run();
    raw.prepare("INSERT INTO crls VALUES ('iss', 1, 'a', 'b', 0, x'00')").run();
    raw.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT id, key_id AS keyId, parent_id AS parentId FROM authorities ORDER BY id').all()).toEqual([
      { id: 'iss', keyId: 'k2', parentId: 'root' },
      { id: 'root', keyId: 'k1', parentId: null },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The references still hold: a certificate or CRL under an unknown CA, and deleting a CA in use, are refused.
    expect(() => db.prepare("UPDATE certificates SET authority_id = 'nope'").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("DELETE FROM authorities WHERE id = 'iss'").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO crls VALUES ('nope', 1, 'a', 'b', 0, x'00')").run()).toThrow(/FOREIGN KEY/);
    // The rules of the old table came along: unique key, unique thumbprint, root has no parent.
    expect(() => db.prepare(INSERT_CA).run(...authority('dup', 'k1', null))).toThrow(/UNIQUE/);
    expect(() => db.prepare(INSERT_CA).run(...authority('bad', null, null).with(10, 'sha-root'))).toThrow(/UNIQUE/);
    expect(() => db.prepare(INSERT_CA).run(...authority('orphan', null, 'root').with(2, 'root'))).toThrow(/CHECK/);
    // New: a CA certificate with no key (a publisher's), two of them even.
    db.prepare(INSERT_CA).run(...authority('pub1', null, null));
    db.prepare(INSERT_CA).run(...authority('pub2', null, 'pub1'));
    expect(db.prepare('SELECT count(*) AS n FROM authorities WHERE key_id IS NULL').get()).toEqual({ n: 2 });

    const request = db.prepare(
      `INSERT INTO offline_requests (request_id, kind, purpose, issuer_sha256, profile, csr_pem, key_id, predecessor_id, state, refusal_code,
       created_at, updated_at) VALUES (?, ?, ?, 'sha', ?, ?, ?, ?, ?, ?, 'c', 'c')`,
    );
    request.run('r1', 'sign-request', 'renew', 'auth0-mtls-client', 'csr', 'k1', 'c1', 'queued', null);
    request.run('r2', 'crl-request', null, null, null, null, null, 'refused', 'CRL_SERIES_OUT_OF_RANGE');
    // A sign request without its CSR, a key on a CRL request, an unknown state, a refusal without its code: refused.
    expect(() => request.run('r3', 'sign-request', 'issue', 'p', null, null, null, 'queued', null)).toThrow(/CHECK/);
    expect(() => request.run('r4', 'crl-request', null, null, null, 'k1', null, 'queued', null)).toThrow(/CHECK/);
    expect(() => request.run('r5', 'revoke-request', null, null, null, null, null, 'lost', null)).toThrow(/CHECK/);
    expect(() => request.run('r6', 'revoke-request', null, null, null, null, null, 'refused', null)).toThrow(/CHECK/);
    expect(() => request.run('r7', 'sign-request', 'issue', 'p', 'csr', 'no-such-key', null, 'queued', null)).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT request_id AS id FROM offline_requests ORDER BY 1').all()).toEqual([{ id: 'r1' }, { id: 'r2' }]);

    db.prepare("INSERT INTO signer_audit VALUES (1, 'a', 'op@signer', 'ca.create', NULL, '{}', 'p', 'h', 'r')").run();
    expect(() => db.prepare("INSERT INTO signer_audit VALUES (1, 'a', 'x', 'y', NULL, '{}', 'p', 'h', 'r')").run()).toThrow(
      /UNIQUE|PRIMARY/,
    );
    db.close();
  });
});
