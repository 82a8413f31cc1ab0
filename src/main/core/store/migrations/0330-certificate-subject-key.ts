import { certificateSubjectDer } from '../../pki/der-fields.ts';
import { dnKey } from '../../pki/names.ts';
import type { Migration } from './migration.ts';

/**
 * Each certificate's subject DN as a comparable key (issue 14): the DN conflict check that every
 * issuance runs looks the DN up in an index instead of decoding every active certificate. Rows whose
 * DER does not parse keep NULL, and the check still reads those the old way.
 */
export const certificateSubjectKey: Migration = {
  version: 330,
  name: 'certificate-subject-key',
  up(db) {
    db.exec(`
      ALTER TABLE certificates ADD COLUMN subject_key TEXT;
      CREATE INDEX certificates_subject_key ON certificates (subject_key);
    `);
    const fill = db.prepare('UPDATE certificates SET subject_key = ? WHERE rowid = ?');
    const rows = db.prepare('SELECT rowid AS r, cert_der AS der FROM certificates').iterate() as Iterable<{ r: number; der: Buffer }>;
    const keys: Array<[string, number]> = [];
    for (const row of rows) {
      const subject = certificateSubjectDer(new Uint8Array(row.der));
      if (subject) keys.push([dnKey(subject), row.r]);
    }
    for (const [key, rowid] of keys) fill.run(key, rowid);
  },
};
