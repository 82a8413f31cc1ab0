import type { Migration } from './migration.ts';

/**
 * The offline workstation's publisher half (issue 12). A publisher holds its CAs' certificates but
 * never their keys, so `authorities.key_id` may be NULL: the table is rebuilt (foreign keys off
 * around it, so dropping the old table cascades nothing) and the rebuild must break no reference.
 *
 * `offline_requests`: what this publisher asked the signer for, so an answer is accepted only for a
 * request it made, and for a key it generated the sealed key's id waits here for the certificate.
 * `signer_audit`: the signer's audit entries as received, their hash chain continued bundle by bundle.
 */
export const offlinePublisher: Migration = {
  version: 280,
  name: 'offline-publisher',
  rebuildsTables: true,
  up(db) {
    const brokenReferences = () => (db.pragma('foreign_key_check') as unknown[]).length;
    const before = brokenReferences();
    db.exec(`
      CREATE TABLE authorities_v280 (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
        kind        TEXT NOT NULL CHECK (kind IN ('root', 'issuing')),
        parent_id   TEXT REFERENCES authorities (id) ON DELETE RESTRICT,
        key_id      TEXT UNIQUE REFERENCES keys (id) ON DELETE RESTRICT,
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
      INSERT INTO authorities_v280 (id, name, kind, parent_id, key_id, key_type, subject, serial_hex, not_before, not_after, sha256_hex,
          cert_der, created_at)
        SELECT id, name, kind, parent_id, key_id, key_type, subject, serial_hex, not_before, not_after, sha256_hex, cert_der, created_at
        FROM authorities;
      DROP TABLE authorities;
      ALTER TABLE authorities_v280 RENAME TO authorities;
      CREATE INDEX authorities_parent ON authorities (parent_id);

      CREATE TABLE offline_requests (
        request_id         TEXT PRIMARY KEY,
        kind               TEXT NOT NULL CHECK (kind IN ('sign-request', 'revoke-request', 'crl-request')),
        purpose            TEXT CHECK (purpose IN ('issue', 'renew', 'rotate')),
        issuer_sha256      TEXT NOT NULL,
        profile            TEXT,
        csr_pem            TEXT,
        -- The key this publisher generated and sealed for the CSR; NULL when the workload made the CSR.
        key_id             TEXT REFERENCES keys (id) ON DELETE RESTRICT,
        predecessor_id     TEXT REFERENCES certificates (id) ON DELETE RESTRICT,
        rotation_job_id    TEXT,
        serial_hex         TEXT,
        state              TEXT NOT NULL CHECK (state IN ('queued', 'answered', 'refused')),
        refusal_code       TEXT,
        refusal_reason     TEXT,
        certificate_id     TEXT REFERENCES certificates (id) ON DELETE RESTRICT,
        queue_id           TEXT,
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL,
        CHECK ((kind = 'sign-request') = (purpose IS NOT NULL AND csr_pem IS NOT NULL AND profile IS NOT NULL)),
        CHECK (key_id IS NULL OR kind = 'sign-request'),
        CHECK ((state = 'refused') = (refusal_code IS NOT NULL))
      ) STRICT;
      CREATE INDEX offline_requests_state ON offline_requests (state, created_at);

      CREATE TABLE signer_audit (
        seq         INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL,
        subject_id  TEXT,
        details     TEXT NOT NULL,
        prev_hash   TEXT NOT NULL,
        hash        TEXT NOT NULL,
        received_at TEXT NOT NULL
      ) STRICT;
    `);
    if (brokenReferences() > before) throw new Error('migration 0280 would leave a row referring to no authority');
  },
};
