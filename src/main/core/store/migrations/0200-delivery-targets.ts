import type { Migration } from './migration.ts';

/**
 * Delivery targets (issue 11): where a certificate and its key are delivered, as data. A target
 * belongs to the certificate it was added to and to every successor of it (lineage lookup through
 * `certificates.replaces_id`, see target-repository.ts), so a renewal needs no copy. `spec` is JSON
 * with its own schema version; `approved_mac` is HMAC-SHA256 of the whole row under a subkey of the
 * audit key (OS keychain), so a row edited in the SQLite file cannot redirect a key anywhere.
 * `sealed_secret` is the key passphrase (encrypted PKCS#8, PKCS#12) sealed under the vault's key.
 * A removed target keeps its row (`removed_at`) so its history still names it.
 */
export const deliveryTargets: Migration = {
  version: 200,
  name: 'delivery-targets',
  up(db) {
    db.exec(`
      CREATE TABLE delivery_targets (
        id             TEXT PRIMARY KEY,
        certificate_id TEXT NOT NULL REFERENCES certificates (id) ON DELETE RESTRICT,
        kind           TEXT NOT NULL CHECK (kind IN ('folder', 'ssh', 'csr-inbox')),
        spec           TEXT NOT NULL CHECK (json_valid(spec) AND json_type(spec, '$.v') IS 'integer'),
        sealed_secret  BLOB,
        approved_by    TEXT NOT NULL,
        approved_mac   TEXT NOT NULL CHECK (length(approved_mac) = 64 AND approved_mac NOT GLOB '*[^0-9a-f]*'),
        created_at     TEXT NOT NULL,
        removed_at     TEXT
      ) STRICT;
      CREATE INDEX delivery_targets_certificate ON delivery_targets (certificate_id) WHERE removed_at IS NULL;

      CREATE TABLE deliveries (
        id             INTEGER PRIMARY KEY,
        target_id      TEXT NOT NULL REFERENCES delivery_targets (id) ON DELETE RESTRICT,
        certificate_id TEXT NOT NULL REFERENCES certificates (id) ON DELETE RESTRICT,
        serial_hex     TEXT NOT NULL,
        release_id     TEXT,
        status         TEXT NOT NULL CHECK (status IN ('done', 'skipped', 'failed')),
        detail         TEXT NOT NULL,
        at             TEXT NOT NULL
      ) STRICT;
      CREATE INDEX deliveries_target ON deliveries (target_id, id);
      CREATE INDEX deliveries_certificate ON deliveries (certificate_id, id);
    `);
  },
};
