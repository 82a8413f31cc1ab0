import BetterSqlite3 from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CertificateRepository, x5tAsHex } from '../../src/main/core/store/certificate-repository.ts';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { selfSignedServer } from '../support/openssl.ts';
import { preparedDuring, queryPlan } from '../support/query-plans.ts';
import { trackedRecord } from '../support/records.ts';
import { tempDir } from '../support/temp.ts';

const NOW = new Date('2026-12-07T10:00:00.000Z');
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same 32 bytes spelled with other padding bits in the last character: not the x5t certdesk stores. */
function otherSpelling(x5t: string): string {
  const last = BASE64URL.indexOf(x5t.at(-1)!);
  return x5t.slice(0, -1) + BASE64URL[last ^ 1];
}

describe('x5t#S256 references', () => {
  it('turn into the SHA-256 hex they name only when spelled as certdesk stores them', () => {
    for (let i = 0; i < 500; i++) {
      const digest = randomBytes(32);
      const x5t = digest.toString('base64url');
      expect(x5tAsHex(x5t)).toBe(digest.toString('hex'));
      const other = otherSpelling(x5t);
      expect(Buffer.from(other, 'base64url')).toEqual(digest);
      expect(x5tAsHex(other), other).toBeNull();
    }
    const x5t = randomBytes(32).toString('base64url');
    for (const ref of [x5t.slice(1), `${x5t}A`, `${x5t}=`, x5t.replace(/^./, '+'), randomBytes(32).toString('hex'), '', 'cert_0123'])
      expect(x5tAsHex(ref), ref).toBeNull();
  });
});

describe('migration 0460 (no index of its own for x5t#S256)', () => {
  it('drops the index, and a store migrated from 0450 still finds its certificates by x5t through the SHA-256 index', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 450)).toBe(450);
    const record = trackedRecord(selfSignedServer(tempDir(), 'x5t.example').pem, NOW.toISOString());
    new CertificateRepository(raw).insert(record);
    const indexes = (db: BetterSqlite3.Database) =>
      (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'certificates'").all() as { name: string }[]).map(
        (r) => r.name,
      );
    expect(indexes(raw)).toContain('certificates_x5t');
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(indexes(db)).not.toContain('certificates_x5t');
    // A column of its own still: views and bindings read it.
    expect(db.prepare('SELECT sha256_b64u FROM certificates').pluck().get()).toBe(record.sha256Base64url);

    let repo!: CertificateRepository;
    const prepared = preparedDuring(db, () => (repo = new CertificateRepository(db)));
    expect(repo.findByRef(record.sha256Base64url, NOW).map((r) => r.id)).toEqual([record.id]);
    expect(repo.findByRef(otherSpelling(record.sha256Base64url), NOW)).toEqual([]);
    expect(repo.findByRef(record.sha256Hex.toUpperCase(), NOW).map((r) => r.id)).toEqual([record.id]);

    // The lookup is indexed for every form of reference: no part of it reads the whole table.
    const lookup = prepared.find((sql) => sql.includes('@x5tHex'))!;
    const plan = queryPlan(db, lookup, { now: NOW.toISOString(), ref: 'x', x5tHex: 'y' });
    expect(plan.filter((line) => /^SCAN /.test(line))).toEqual([]);
    // The hex thumbprint's form and the x5t's both search the SHA-256 column's own index.
    expect(plan.filter((line) => /USING (COVERING )?INDEX sqlite_autoindex_certificates_\d \(sha256_hex=\?\)/.test(line))).toHaveLength(2);
    db.close();
  });
});
