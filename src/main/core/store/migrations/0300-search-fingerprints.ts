import type { Migration } from './migration.ts';

/**
 * Issue 13: every fingerprint form the UI shows is searchable. Rows written before this version hold
 * names, serial and SHA-256 hex in their search text; x5t#S256 and SHA-1 are appended here (the
 * update trigger of migration 0020 re-indexes the trigram table), as `searchText` writes new rows.
 */
export const searchFingerprints: Migration = {
  version: 300,
  name: 'search-fingerprints',
  up(db) {
    db.exec(`UPDATE certificates SET search_text = search_text || ' ' || lower(sha256_b64u) || ' ' || lower(sha1_hex);`);
  },
};
