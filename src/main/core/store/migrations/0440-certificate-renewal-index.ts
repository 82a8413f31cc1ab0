import type { Migration } from './migration.ts';

/**
 * The due check's own index (issue 14). On every page change the app asks which certificates are due;
 * that is decided from a leaf's dates, profile and revocation alone, but read through the table it
 * walked every row with its DER (about 250 ms for 100,000 certificates). Every column the check reads is
 * in this index, so SQLite answers it from the index's pages. It leads with not_after as the index it
 * replaces did, so the Inventory's order by expiry still reads through it.
 */
export const certificateRenewalIndex: Migration = {
  version: 440,
  name: 'certificate-renewal-index',
  up(db) {
    db.exec(`
      CREATE INDEX certificates_renewal ON certificates (not_after, not_before, profile, revoked_at, id);
      DROP INDEX certificates_not_after;
    `);
  },
};
