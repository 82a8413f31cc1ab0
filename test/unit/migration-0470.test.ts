import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CertificateRepository } from '../../src/main/core/store/certificate-repository.ts';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { selfSignedServer } from '../support/openssl.ts';
import { preparedDuring, queryPlan } from '../support/query-plans.ts';
import { trackedRecord } from '../support/records.ts';
import { tempDir } from '../support/temp.ts';

const NOW = new Date('2026-12-07T10:00:00.000Z');

type Db = BetterSqlite3.Database;
const indexes = (db: Db) =>
  db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'certificates' AND sql IS NOT NULL").all() as {
    name: string;
    sql: string;
  }[];

/** A copy of row `id` under a new id and thumbprint, with `changes` applied: a second certificate for the unique rules. */
function copyRow(db: Db, id: string, changes: { id: string; authority_id?: string | null }): void {
  db.prepare(
    `INSERT INTO certificates (id, authority_id, profile, serial_hex, common_name, subject, subject_lines, issuer, sans, key_type,
       key_storage, key_id, not_before, not_after, sha256_hex, sha256_b64u, sha1_hex, replaces_id, revoked_at, revocation_reason,
       cert_der, created_at, search_text, subject_key)
     SELECT @id, coalesce(@authority, authority_id), profile, serial_hex, common_name, subject, subject_lines, issuer, sans, key_type,
       key_storage, key_id, not_before, not_after, @id || sha256_hex, sha256_b64u, sha1_hex, NULL, revoked_at, revocation_reason,
       cert_der, created_at, search_text, subject_key FROM certificates WHERE id = @from`,
  ).run({ id: changes.id, authority: changes.authority_id ?? null, from: id });
}

describe('migration 0470 (one serial index, a predecessor index of predecessors only)', () => {
  it('keeps every lookup indexed and the serial unique per issuer, from a store at 0460', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 460)).toBe(460);
    // Two certificates of one issuer, the second a renewal of the first. The issuer row itself is not the
    // point here: foreign keys are off for the inserts.
    raw.pragma('foreign_keys = OFF');
    const first = { ...trackedRecord(selfSignedServer(tempDir(), 'first.example').pem, NOW.toISOString()), authorityId: 'ca-1' };
    const renewal = {
      ...trackedRecord(selfSignedServer(tempDir(), 'renewal.example').pem, new Date(NOW.getTime() + 1000).toISOString()),
      authorityId: 'ca-1',
      replacesId: first.id,
    };
    const before = new CertificateRepository(raw);
    before.insert(first);
    before.insert(renewal);
    expect(indexes(raw).map((i) => i.name)).toEqual(expect.arrayContaining(['certificates_serial', 'certificates_issuer_serial']));
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    const now = indexes(db);
    const names = now.map((i) => i.name);
    expect(names).not.toContain('certificates_serial');
    expect(names).not.toContain('certificates_issuer_serial');
    expect(now.find((i) => i.name === 'certificates_serial_issuer')?.sql).toMatch(/UNIQUE INDEX .*\(serial_hex, authority_id\)/);
    expect(now.find((i) => i.name === 'certificates_replaces')?.sql).toMatch(/\(replaces_id\) WHERE replaces_id IS NOT NULL$/);
    // Only the renewal names a predecessor, so only it has an entry in the predecessor index.
    expect(
      db.prepare('SELECT count(*) FROM certificates INDEXED BY certificates_replaces WHERE replaces_id IS NOT NULL').pluck().get(),
    ).toBe(1);

    // The lookups answer as before.
    let repo!: CertificateRepository;
    const prepared = preparedDuring(db, () => (repo = new CertificateRepository(db)));
    expect(repo.findByRef(first.serialHex.toUpperCase(), NOW).map((r) => r.id)).toEqual([first.id]);
    expect(repo.successorOf(first.id)).toBe(renewal.id);
    expect(repo.successorOf(renewal.id)).toBeUndefined();
    expect(repo.get(first.id, NOW)?.replacedById).toBe(renewal.id);

    // A serial alone is read from the first column of the unique index; a predecessor from the partial index.
    const lookup = prepared.find((sql) => sql.includes('@x5tHex'))!;
    const lookupPlan = queryPlan(db, lookup, { now: NOW.toISOString(), ref: 'x', x5tHex: 'y' });
    expect(lookupPlan.filter((line) => /^SCAN /.test(line))).toEqual([]);
    expect(lookupPlan.some((line) => /USING (COVERING )?INDEX certificates_serial_issuer \(serial_hex=\?\)/.test(line))).toBe(true);
    const byId = prepared.find((sql) => sql.includes('WHERE c.id = @id'))!;
    const byIdPlan = queryPlan(db, byId, { now: NOW.toISOString(), id: first.id });
    expect(byIdPlan.filter((line) => /^SCAN /.test(line))).toEqual([]);
    expect(byIdPlan.filter((line) => /USING (COVERING )?INDEX certificates_replaces \(replaces_id=\?\)/.test(line)).length).toBeGreaterThan(
      0,
    );
    const successor = 'SELECT id FROM certificates WHERE replaces_id = @id ORDER BY created_at DESC LIMIT 1';
    expect(queryPlan(db, successor, { id: first.id }).join('\n')).toMatch(/USING INDEX certificates_replaces \(replaces_id=\?\)/);

    // One serial once per issuer, as the old unique index had it; the same serial under another issuer is a different certificate.
    expect(() => copyRow(db, first.id, { id: 'same-issuer' })).toThrow(
      /UNIQUE constraint failed: certificates\.serial_hex, certificates\.authority_id/,
    );
    db.pragma('foreign_keys = OFF');
    copyRow(db, first.id, { id: 'other-issuer', authority_id: 'ca-2' });
    expect(
      repo
        .findByRef(first.serialHex, NOW)
        .map((r) => r.id)
        .sort(),
    ).toEqual([first.id, 'other-issuer'].sort());
    db.close();
  });
});
