import type { Migration } from './migration.ts';

export const edgePublications: Migration = {
  version: 30,
  name: 'edge-publications',
  up(db) {
    db.exec(`
      -- What was published to the customer edge, when, and whether the reload worked.
      CREATE TABLE edge_publications (
        id            INTEGER PRIMARY KEY,
        at            TEXT NOT NULL,
        authority_id  TEXT NOT NULL REFERENCES authorities (id) ON DELETE RESTRICT,
        dir           TEXT NOT NULL,
        server_name   TEXT NOT NULL,
        crl_numbers   TEXT NOT NULL,
        bundle_sha256 TEXT NOT NULL,
        reload_cmd    TEXT,
        reload_status INTEGER,
        reload_output TEXT
      ) STRICT;
    `);
  },
};
