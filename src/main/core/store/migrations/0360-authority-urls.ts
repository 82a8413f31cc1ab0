import type { Migration } from './migration.ts';

/**
 * Per-CA distribution URLs (issue 13): the CRL Distribution Point and the Authority Information
 * Access (caIssuers, and OCSP when the operator runs a responder) that leaves issued under the CA
 * carry. Null: the extension is left out, as before.
 */
export const authorityUrls: Migration = {
  version: 360,
  name: 'authority-urls',
  up(db) {
    db.exec(`
      ALTER TABLE authorities ADD COLUMN crl_url TEXT;
      ALTER TABLE authorities ADD COLUMN ca_issuers_url TEXT;
      ALTER TABLE authorities ADD COLUMN ocsp_url TEXT;
    `);
  },
};
