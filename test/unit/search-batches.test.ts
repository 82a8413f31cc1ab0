// Issue 14: new certificates join the trigram search index in batches (migration 0450). A search must
// find every row as LIKE over the whole table would, whether the row is indexed yet or not, after
// updates and deletes on either side of the mark, and the index must match the table once flushed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CertificateRepository,
  SEARCH_BATCH,
  searchText,
  type CertificateRecord,
} from '../../src/main/core/store/certificate-repository.ts';
import { openDatabase, type Database } from '../../src/main/core/store/database.ts';
import { selfSignedServer } from '../support/openssl.ts';
import { trackedRecord } from '../support/records.ts';
import { tempDir } from '../support/temp.ts';

const NOW = new Date('2026-12-06T10:00:00.000Z');

function opensslRecord(): CertificateRecord {
  return trackedRecord(selfSignedServer(tempDir(), 'template.example').pem, NOW.toISOString());
}

/** The template under a new id, name, serial and fingerprints, as each issuance would have. */
function variant(template: CertificateRecord, k: number): CertificateRecord {
  const hex = (k * 7919).toString(16).padStart(32, '0');
  return {
    ...template,
    id: `cert_batch${k}`,
    commonName: `row-${k}`,
    subject: `CN=row-${k}`,
    serialHex: hex,
    sha256Hex: `${hex}${hex}`,
    sha256Base64url: `b64-${k}`,
    sha1Hex: hex.slice(0, 40),
  };
}

const mark = (db: Database) => (db.prepare('SELECT indexed_upto AS n FROM certificates_search_state').get() as { n: number }).n;
const maxRowid = (db: Database) => (db.prepare('SELECT max(rowid) AS n FROM certificates').get() as { n: number }).n;
const inIndex = (db: Database, text: string) =>
  (db.prepare('SELECT rowid FROM certificates_search WHERE certificates_search MATCH ?').all(`"${text}"`) as unknown[]).length;

/** What a full scan finds: every row whose search text contains the term. */
function scanned(db: Database, term: string): string[] {
  return (db.prepare('SELECT id FROM certificates WHERE instr(search_text, ?) > 0 ORDER BY id').all(term) as Array<{ id: string }>).map(
    (r) => r.id,
  );
}

function searched(repo: CertificateRepository, term: string): string[] {
  return repo
    .query({ search: term, limit: 10_000 }, NOW)
    .rows.map((r) => r.id)
    .sort();
}

describe('the trigram search index takes new certificates in batches', () => {
  it('finds indexed and pending rows alike, through updates, deletes and a reused rowid, and the flushed index matches the table', () => {
    const db = openDatabase(join(tempDir(), 'store.sqlite3'));
    const repo = new CertificateRepository(db);
    const template = opensslRecord();
    const total = 2 * SEARCH_BATCH + 44;
    for (let k = 0; k < total; k++) repo.insert(variant(template, k));

    // Two batches went in together; the rest wait above the mark, out of the index.
    expect(mark(db)).toBe(2 * SEARCH_BATCH);
    expect(inIndex(db, `row-${2 * SEARCH_BATCH - 1}`)).toBe(1);
    expect(inIndex(db, `row-${total - 1}`)).toBe(0);

    const terms = [
      'row-1',
      'row-12',
      `row-${total - 1}`,
      `row-${SEARCH_BATCH}`,
      'row',
      '0000',
      '7919'.slice(0, 3),
      'b64-29',
      'nothing-like-it',
    ];
    const agree = () => {
      for (const term of terms) expect(searched(repo, term), term).toEqual(scanned(db, term));
    };
    agree();
    expect(searched(repo, `row-${total - 1}`)).toEqual([`cert_batch${total - 1}`]);

    // An indexed row and a pending row change their search text: the old text finds neither, the new finds both.
    const update = db.prepare('UPDATE certificates SET search_text = ? WHERE id = ?');
    for (const k of [3, total - 2]) update.run(searchText({ ...variant(template, k), commonName: `renamed-${k}` }), `cert_batch${k}`);
    terms.push('renamed-3', `renamed-${total - 2}`, `row-${total - 2}`);
    agree();
    expect(searched(repo, 'renamed')).toEqual(['cert_batch3', `cert_batch${total - 2}`].sort());

    // The newest rows go, and with them the mark's own: a new row reuses a rowid at or under the mark.
    db.exec(`DELETE FROM certificates WHERE rowid > ${2 * SEARCH_BATCH - 3}`);
    expect(maxRowid(db)).toBe(2 * SEARCH_BATCH - 3);
    repo.insert(variant(template, 5000));
    expect(maxRowid(db)).toBeLessThanOrEqual(mark(db));
    terms.push('row-5000', `row-${2 * SEARCH_BATCH - 1}`);
    agree();
    expect(searched(repo, 'row-5000')).toEqual(['cert_batch5000']);

    // Pending rows after the deletes, then everything flushed: the index holds exactly the table's rows.
    for (let k = 6000; k < 6010; k++) repo.insert(variant(template, k));
    terms.push('row-6009');
    agree();
    const integrity = () => db.exec("INSERT INTO certificates_search (certificates_search, rank) VALUES ('integrity-check', 1)");
    expect(integrity).toThrow(/malformed/); // the check sees rows the index lacks
    repo.indexPendingSearch();
    expect(mark(db)).toBe(maxRowid(db));
    expect(inIndex(db, 'row-6009')).toBe(1);
    agree();
    expect(integrity).not.toThrow();
    db.close();
  });
});
