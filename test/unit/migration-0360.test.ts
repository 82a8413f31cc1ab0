import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { AuthorityRepository } from '../../src/main/core/store/authority-repository.ts';
import { tempDir } from '../support/temp.ts';

describe('migration 0360 (authority URLs)', () => {
  it('gives existing authorities no URLs, so their leaves stay as they were, and stores them once set', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 330)).toBe(330);
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
    const repo = new AuthorityRepository(db);
    expect(repo.find('ca1')?.urls).toEqual({ crlUrl: null, caIssuersUrl: null, ocspUrl: null });
    const urls = { crlUrl: 'http://pki.example.com/root.crl', caIssuersUrl: null, ocspUrl: 'http://ocsp.example.com/' };
    expect(repo.setUrls('ca1', urls)).toBe(true);
    expect(repo.find('Old Root')?.urls).toEqual(urls);
    expect(repo.setUrls('ca-gone', urls)).toBe(false);
    db.close();
  });
});
