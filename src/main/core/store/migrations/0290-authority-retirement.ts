import type { Migration } from './migration.ts';

/**
 * Retiring a CA (issue 13): `retired_at` stops new issuance under it while what it signed stays
 * valid; `revoked_at` and its reason put an issuing CA on its root's CRL (a revoked CA is retired
 * too). Existing authorities stay in service.
 */
export const authorityRetirement: Migration = {
  version: 290,
  name: 'authority-retirement',
  up(db) {
    db.exec(`
      ALTER TABLE authorities ADD COLUMN retired_at TEXT;
      ALTER TABLE authorities ADD COLUMN revoked_at TEXT;
      ALTER TABLE authorities ADD COLUMN revocation_reason TEXT
        CHECK ((revocation_reason IS NULL) = (revoked_at IS NULL) AND (revoked_at IS NULL OR retired_at IS NOT NULL));
    `);
  },
};
