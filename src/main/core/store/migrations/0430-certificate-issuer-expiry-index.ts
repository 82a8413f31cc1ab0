import type { Migration } from './migration.ts';

/**
 * A CA's certificates by expiry (issue 14): the schedule counts, for every CA, its active leaves that
 * outlive it. Through the (issuer, serial) index that walked every row the CA ever signed; through
 * not_after's alone, every leaf of any CA expiring after it (nearly all, for an expired CA).
 */
export const certificateIssuerExpiryIndex: Migration = {
  version: 430,
  name: 'certificate-issuer-expiry-index',
  up(db) {
    db.exec(`CREATE INDEX certificates_issuer_not_after ON certificates (authority_id, not_after);`);
  },
};
