import BetterSqlite3 from 'better-sqlite3';
import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuthorityCertificate } from '../../src/main/core/ca/create-authority.ts';
import { certificateSubjectDer } from '../../src/main/core/pki/der-fields.ts';
import { buildName, dnKey, nameDer, sameDn } from '../../src/main/core/pki/names.ts';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

const INSERT = `INSERT INTO certificates (id, authority_id, profile, serial_hex, common_name, subject, subject_lines, issuer, sans, key_type, key_storage, key_id, not_before, not_after, sha256_hex, sha256_b64u, sha1_hex, replaces_id, revoked_at, revocation_reason, cert_der, created_at, search_text)
  VALUES (?, NULL, NULL, '01', 'a', 'CN=a', 'CN=a', 'CN=ca', '[]', 'ec-p256', 'csr-only', NULL, 'x', 'y', ?, 'b', 's', NULL, NULL, NULL, ?, 'z', 'a')`;

describe('migration 0330 (certificate subject key)', () => {
  it('fills the key of every certificate that parses and leaves the others NULL', async () => {
    const created = await createAuthorityCertificate({
      subject: { commonName: 'Client One', organization: 'Acme' },
      keyType: 'ec-p256',
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 86_400_000),
      crypto: webcrypto as never,
    });
    const der = new Uint8Array(created.certificate.rawData);
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 250)).toBe(250);
    raw.pragma('foreign_keys = OFF');
    raw.prepare(INSERT).run('cert_real', 'h1', Buffer.from(der));
    raw.prepare(INSERT).run('cert_junk', 'h2', Buffer.from([0]));
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    const keys = db.prepare('SELECT id, subject_key AS key FROM certificates ORDER BY id').all();
    expect(keys).toEqual([
      { id: 'cert_junk', key: null },
      { id: 'cert_real', key: dnKey(nameDer(created.certificate.subjectName)) },
    ]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'certificates_subject_key'").get()).toBeTruthy();
    db.close();
  });

  it('keys two DER names alike exactly when sameDn calls them the same', () => {
    const names = [
      buildName({ commonName: 'Client One', organization: 'Acme' }),
      buildName({ commonName: '  client   ONE ', organization: 'ACME' }),
      buildName({ commonName: 'Client One' }),
      buildName({ commonName: 'Client Two', organization: 'Acme' }),
      buildName({ commonName: 'Acme', organization: 'Client One' }),
    ].map(nameDer);
    const junk = [Uint8Array.of(0x30, 0x03, 0x31, 0x01, 0x00), Uint8Array.of(0x30, 0x03, 0x31, 0x01, 0x01)];
    const all = [...names, ...junk];
    for (const a of all) for (const b of all) expect(dnKey(a) === dnKey(b)).toBe(sameDn(a, b));
    expect(dnKey(names[0]!)).toBe(dnKey(names[1]!));
  });

  it('finds the subject in a certificate without decoding the rest, and refuses what is not one', async () => {
    const created = await createAuthorityCertificate({
      subject: { commonName: 'x', country: 'US' },
      keyType: 'ec-p256',
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 86_400_000),
      crypto: webcrypto as never,
    });
    const der = new Uint8Array(created.certificate.rawData);
    expect(Buffer.from(certificateSubjectDer(der)!).equals(nameDer(created.certificate.subjectName))).toBe(true);
    expect(certificateSubjectDer(der.subarray(0, 40))).toBeNull();
    expect(certificateSubjectDer(Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff))).toBeNull();
  });

  it('still refuses a DN held by a certificate whose key is missing (written outside the repository)', async () => {
    const t = await withIssuingCa();
    await t.service.issue({ ca: t.issuingId, subject: { commonName: 'keyless' }, source: { kind: 'generated' } });
    t.service.db.prepare('UPDATE certificates SET subject_key = NULL').run();
    const before = t.service.db.prepare('SELECT count(*) AS n FROM certificates').get();
    await expect(
      t.service.issue({ ca: t.issuingId, subject: { commonName: 'KEYLESS' }, source: { kind: 'generated' } }),
    ).rejects.toMatchObject({ code: 'SUBJECT_DN_CONFLICT', field: 'subject.commonName' });
    expect(t.service.db.prepare('SELECT count(*) AS n FROM certificates').get()).toEqual(before);
  });
});
