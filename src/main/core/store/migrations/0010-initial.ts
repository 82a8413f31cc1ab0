import type { Migration } from './migration.ts';

export const initial: Migration = {
  version: 10,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- Private keys, sealed with AES-256-GCM under the data-encryption key (id as associated data).
      CREATE TABLE keys (
        id                TEXT PRIMARY KEY,
        key_type          TEXT NOT NULL,
        public_key_sha256 TEXT NOT NULL,
        sealed            BLOB NOT NULL,
        created_at        TEXT NOT NULL
      ) STRICT;

      CREATE TABLE authorities (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
        kind        TEXT NOT NULL CHECK (kind IN ('root', 'issuing')),
        parent_id   TEXT REFERENCES authorities (id) ON DELETE RESTRICT,
        key_id      TEXT NOT NULL UNIQUE REFERENCES keys (id) ON DELETE RESTRICT,
        key_type    TEXT NOT NULL,
        subject     TEXT NOT NULL,
        serial_hex  TEXT NOT NULL,
        not_before  TEXT NOT NULL,
        not_after   TEXT NOT NULL,
        sha256_hex  TEXT NOT NULL UNIQUE,
        cert_der    BLOB NOT NULL,
        created_at  TEXT NOT NULL,
        CHECK ((kind = 'root') = (parent_id IS NULL))
      ) STRICT;
      CREATE INDEX authorities_parent ON authorities (parent_id);
    `);
  },
};
