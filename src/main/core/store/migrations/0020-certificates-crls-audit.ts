import type { Migration } from './migration.ts';

export const certificatesCrlsAudit: Migration = {
  version: 20,
  name: 'certificates-crls-audit',
  up(db) {
    db.exec(`
      -- Leaf certificates: issued here (sealed key or CSR-only) or imported for tracking.
      CREATE TABLE certificates (
        id                TEXT PRIMARY KEY,
        authority_id      TEXT REFERENCES authorities (id) ON DELETE RESTRICT,
        profile           TEXT,
        serial_hex        TEXT NOT NULL,
        common_name       TEXT,
        subject           TEXT NOT NULL,
        subject_lines     TEXT NOT NULL,
        issuer            TEXT NOT NULL,
        sans              TEXT NOT NULL,
        key_type          TEXT NOT NULL,
        key_storage       TEXT NOT NULL CHECK (key_storage IN ('sealed', 'csr-only', 'imported')),
        key_id            TEXT REFERENCES keys (id) ON DELETE RESTRICT,
        not_before        TEXT NOT NULL,
        not_after         TEXT NOT NULL,
        sha256_hex        TEXT NOT NULL UNIQUE,
        sha256_b64u       TEXT NOT NULL,
        sha1_hex          TEXT NOT NULL,
        replaces_id       TEXT REFERENCES certificates (id) ON DELETE RESTRICT,
        revoked_at        TEXT,
        revocation_reason TEXT,
        cert_der          BLOB NOT NULL,
        created_at        TEXT NOT NULL,
        -- Lower-cased CN, subject, SANs, serial and thumbprint: what the search box matches.
        search_text       TEXT NOT NULL,
        CHECK ((key_storage = 'sealed') = (key_id IS NOT NULL))
      ) STRICT;
      CREATE UNIQUE INDEX certificates_issuer_serial ON certificates (authority_id, serial_hex);
      CREATE INDEX certificates_not_after ON certificates (not_after);
      CREATE INDEX certificates_serial ON certificates (serial_hex);
      CREATE INDEX certificates_x5t ON certificates (sha256_b64u);
      CREATE INDEX certificates_replaces ON certificates (replaces_id);
      CREATE INDEX certificates_revoked ON certificates (authority_id, revoked_at) WHERE revoked_at IS NOT NULL;

      -- Substring search over 100k certificates without a table scan: a trigram index on search_text.
      CREATE VIRTUAL TABLE certificates_search USING fts5 (search_text, content = 'certificates', content_rowid = 'rowid', tokenize = 'trigram');
      CREATE TRIGGER certificates_search_insert AFTER INSERT ON certificates BEGIN
        INSERT INTO certificates_search (rowid, search_text) VALUES (new.rowid, new.search_text);
      END;
      CREATE TRIGGER certificates_search_delete AFTER DELETE ON certificates BEGIN
        INSERT INTO certificates_search (certificates_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
      END;
      CREATE TRIGGER certificates_search_update AFTER UPDATE OF search_text ON certificates BEGIN
        INSERT INTO certificates_search (certificates_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
        INSERT INTO certificates_search (rowid, search_text) VALUES (new.rowid, new.search_text);
      END;

      -- Every CRL issued, numbered per authority (RFC 5280 §5.2.3: monotonically increasing).
      CREATE TABLE crls (
        authority_id TEXT NOT NULL REFERENCES authorities (id) ON DELETE RESTRICT,
        crl_number   INTEGER NOT NULL,
        this_update  TEXT NOT NULL,
        next_update  TEXT NOT NULL,
        revoked      INTEGER NOT NULL,
        der          BLOB NOT NULL,
        PRIMARY KEY (authority_id, crl_number)
      ) STRICT;

      -- Append-only, hash-chained: hash = SHA-256(prev_hash | canonical entry).
      CREATE TABLE audit_log (
        seq        INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        action     TEXT NOT NULL,
        subject_id TEXT,
        details    TEXT NOT NULL,
        prev_hash  TEXT NOT NULL,
        hash       TEXT NOT NULL
      ) STRICT;
    `);
  },
};
