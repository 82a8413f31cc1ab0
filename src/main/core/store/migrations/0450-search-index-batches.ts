import type { Migration } from './migration.ts';

/**
 * The trigram search index takes new certificates in batches (issue 14). Each row's search text is
 * about 200 characters, most of them fingerprints, so indexing one row per transaction wrote a new
 * FTS segment and its merges: about 37 kB of WAL per issuance, more than the certificate's row and
 * every other index together. Rows above `indexed_upto` are not in the index yet; the search reads
 * them with LIKE (a rowid range of at most one batch), and the repository indexes them together once
 * a batch has gathered (CertificateRepository.indexPendingSearch). A row at or under the mark (a
 * rowid used again after the last row was deleted) is indexed at once, and only indexed rows are
 * taken out of the index on delete or update.
 */
export const searchIndexBatches: Migration = {
  version: 450,
  name: 'search-index-batches',
  up(db) {
    db.exec(`
      CREATE TABLE certificates_search_state (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        indexed_upto INTEGER NOT NULL
      );
      INSERT INTO certificates_search_state (id, indexed_upto) VALUES (1, coalesce((SELECT max(rowid) FROM certificates), 0));
      DROP TRIGGER certificates_search_insert;
      DROP TRIGGER certificates_search_delete;
      DROP TRIGGER certificates_search_update;
      CREATE TRIGGER certificates_search_insert AFTER INSERT ON certificates
        WHEN new.rowid <= (SELECT indexed_upto FROM certificates_search_state) BEGIN
        INSERT INTO certificates_search (rowid, search_text) VALUES (new.rowid, new.search_text);
      END;
      CREATE TRIGGER certificates_search_delete AFTER DELETE ON certificates
        WHEN old.rowid <= (SELECT indexed_upto FROM certificates_search_state) BEGIN
        INSERT INTO certificates_search (certificates_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
      END;
      CREATE TRIGGER certificates_search_update AFTER UPDATE OF search_text ON certificates
        WHEN old.rowid <= (SELECT indexed_upto FROM certificates_search_state) BEGIN
        INSERT INTO certificates_search (certificates_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
        INSERT INTO certificates_search (rowid, search_text) VALUES (new.rowid, new.search_text);
      END;
    `);
  },
};
