import type { Migration } from './migration.ts';

/**
 * The x5t#S256 index goes (issue 14). An x5t#S256 is the certificate's SHA-256 in base64url, the digest
 * sha256_hex already holds and indexes (uniquely), so a lookup by x5t reads that index once the reference
 * is turned into hex (certificate-repository.ts, x5tAsHex). The second index of one random digest cost
 * every issuance an insert at a random place, and a page of the WAL more at its commit. The column stays:
 * views, bindings and the search text read it.
 */
export const dropX5tIndex: Migration = {
  version: 460,
  name: 'drop-x5t-index',
  up(db) {
    db.exec('DROP INDEX certificates_x5t');
  },
};
