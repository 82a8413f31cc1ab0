import type { Migration } from './migration.ts';

/**
 * The issuing CAs an edge publication trusts, as a set (issue 13): during an issuing-CA rollover the
 * edge trusts the old and the new one together. Each publication so far trusted exactly one, its
 * `authority_id`, which stays as the first of the set (position 0) so older readers keep working. A row
 * whose CA is gone (only possible where foreign keys were off) keeps its `authority_id` alone.
 */
export const edgePublicationAuthorities: Migration = {
  version: 400,
  name: 'edge-publication-authorities',
  up(db) {
    db.exec(`
      -- The issuing CAs of each edge_publications row, in the order the operator chose them.
      CREATE TABLE publication_authorities (
        publication_id INTEGER NOT NULL REFERENCES edge_publications (id) ON DELETE CASCADE,
        position       INTEGER NOT NULL CHECK (position >= 0),
        authority_id   TEXT NOT NULL REFERENCES authorities (id) ON DELETE RESTRICT,
        PRIMARY KEY (publication_id, position),
        UNIQUE (publication_id, authority_id)
      ) STRICT;
      CREATE INDEX publication_authorities_authority ON publication_authorities (authority_id);
      INSERT INTO publication_authorities (publication_id, position, authority_id)
        SELECT id, 0, authority_id FROM edge_publications WHERE authority_id IN (SELECT id FROM authorities);
    `);
  },
};
