// Issue 13: every fingerprint form certdesk shows (and openssl prints) finds its certificate.
import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CertificateRepository } from '../../src/main/core/store/certificate-repository.ts';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { certificateSearchTerm } from '../../src/main/core/store/search-term.ts';
import { openssl } from '../support/openssl.ts';
import { trackedRecord } from '../support/records.ts';
import { tempDir } from '../support/temp.ts';

const colon = (hex: string) => hex.match(/../g)!.join(':');

/** A self-signed certificate made by openssl, and the forms openssl itself prints for it. */
function opensslCertificate(cn: string) {
  const dir = tempDir();
  const key = join(dir, 'k.pem');
  const cert = join(dir, 'c.pem');
  const made = openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-subj',
    `/CN=${cn}`,
    '-days',
    '30',
  ]);
  if (made.status !== 0) throw new Error(made.output);
  const line = (args: string[]) => openssl(['x509', '-in', cert, '-noout', ...args]).stdout.trim();
  const pem = readFileSync(cert, 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return {
    pem,
    der,
    sha256Line: line(['-fingerprint', '-sha256']), // "sha256 Fingerprint=AB:CD:…"
    sha1Line: line(['-fingerprint', '-sha1']),
    serialLine: line(['-serial']), // "serial=0A1B…"
    x5t: createHash('sha256').update(der).digest('base64url'),
  };
}

const record = (pem: string) => trackedRecord(pem, '2026-12-05T09:00:00.000Z');

describe('certificateSearchTerm', () => {
  it('reads colon hex (either case, with openssl prefixes) as plain hex, and leaves names alone', () => {
    expect(certificateSearchTerm('AB:CD:EF:01')).toBe('abcdef01');
    expect(certificateSearchTerm('  ab:cd:ef:01 ')).toBe('abcdef01');
    expect(certificateSearchTerm('sha256 Fingerprint=AB:CD:EF')).toBe('abcdef');
    expect(certificateSearchTerm('SHA1 Fingerprint=01:02')).toBe('0102');
    expect(certificateSearchTerm('serial=0A1B2C')).toBe('0a1b2c');
    expect(certificateSearchTerm('ABCDEF0123')).toBe('abcdef0123');
    expect(certificateSearchTerm('x5t#S256: Ab-Cd_Ef')).toBe('ab-cd_ef');
    // Host names and words keep their hyphens and spaces; a colon in anything but hex pairs stays.
    expect(certificateSearchTerm('app-01.example.com')).toBe('app-01.example.com');
    expect(certificateSearchTerm('spiffe://acme/app')).toBe('spiffe://acme/app');
    expect(certificateSearchTerm('be ef')).toBe('be ef');
  });
});

describe('inventory search over every displayed form', () => {
  it('finds a certificate by colon SHA-256 (upper and lower), plain hex, x5t#S256, SHA-1 and serial, after migration 0300', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 290)).toBe(290);
    const target = opensslCertificate('search-target');
    const other = opensslCertificate('someone-else');
    // Today's repository writes a column a later migration (0330) adds and reads the search index's
    // mark (0450): give it both for these inserts and take them away again, so the file is what a
    // version before 0300 left (whose trigger indexed every row at once).
    raw.exec('ALTER TABLE certificates ADD COLUMN subject_key TEXT');
    raw.exec(
      'CREATE TABLE certificates_search_state (id INTEGER PRIMARY KEY, indexed_upto INTEGER NOT NULL); INSERT INTO certificates_search_state VALUES (1, 1e9)',
    );
    const repo = new CertificateRepository(raw);
    const targetRow = record(target.pem);
    repo.insert(targetRow);
    repo.insert(record(other.pem));
    raw.exec('ALTER TABLE certificates DROP COLUMN subject_key');
    raw.exec('DROP TABLE certificates_search_state');
    // Rows written before 0300 held names, serial and SHA-256 hex only.
    raw.exec(
      "UPDATE certificates SET search_text = lower(coalesce(common_name, '') || ' ' || subject || ' ' || serial_hex || ' ' || sha256_hex)",
    );
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    const search = new CertificateRepository(db);
    const now = new Date('2026-12-05T10:00:00.000Z');
    const found = (text: string) => search.query({ search: text }, now).rows.map((r) => r.commonName);

    const sha256 = target.sha256Line.split('=')[1]!;
    const sha1 = target.sha1Line.split('=')[1]!;
    expect(sha256).toBe(colon(targetRow.sha256Hex.toUpperCase()));
    const forms = [
      sha256, // as the detail panel shows and copies it, and openssl prints it
      sha256.toLowerCase(),
      target.sha256Line, // pasted with openssl's prefix
      targetRow.sha256Hex,
      targetRow.sha256Hex.toUpperCase(),
      target.x5t, // x5t#S256
      `x5t#S256: ${target.x5t}`,
      sha1,
      sha1.replaceAll(':', ''),
      target.serialLine,
      targetRow.serialHex,
      colon(targetRow.serialHex.length % 2 ? `0${targetRow.serialHex}` : targetRow.serialHex),
      sha256.slice(0, 23), // the first bytes, as the table's short form starts
    ];
    for (const form of forms) expect(found(form), form).toEqual(['search-target']);
    expect(found('search-target')).toEqual(['search-target']);
    expect(found('no-such-thing')).toEqual([]);
    db.close();
  });
});
