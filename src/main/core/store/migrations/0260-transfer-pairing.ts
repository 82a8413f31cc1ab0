import type { Migration } from './migration.ts';

/**
 * The offline workstation's transfer identity and pairing (issue 12, docs/transfer-bundles.md).
 *
 * - transfer_identity: this data folder's Ed25519 transfer key, one row, made on first need. The
 *   private key is a `keys` row sealed by the vault like every other key; the public JWK and its
 *   `SHA256:…` fingerprint are kept here so showing them never opens the vault.
 * - transfer_pairings: the peer (a signer's publisher, or a publisher's signer), one active at a time
 *   (`ended_at` NULL). Each pairing keeps the last sequence sent and the last accepted, so a bundle
 *   below or at them is a replay, and where the signer's audit entries already sent end.
 */
export const transferPairing: Migration = {
  version: 260,
  name: 'transfer-pairing',
  up(db) {
    db.exec(`
      CREATE TABLE transfer_identity (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        key_id      TEXT NOT NULL UNIQUE REFERENCES keys (id) ON DELETE RESTRICT,
        public_jwk  TEXT NOT NULL,
        fingerprint TEXT NOT NULL CHECK (fingerprint LIKE 'SHA256:%'),
        created_at  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE transfer_pairings (
        id                TEXT PRIMARY KEY,
        peer_role         TEXT NOT NULL CHECK (peer_role IN ('signer', 'publisher')),
        peer_public_jwk   TEXT NOT NULL,
        peer_fingerprint  TEXT NOT NULL CHECK (peer_fingerprint LIKE 'SHA256:%'),
        peer_actor        TEXT NOT NULL,
        peer_created_at   TEXT NOT NULL,
        paired_at         TEXT NOT NULL,
        paired_by         TEXT NOT NULL,
        ended_at          TEXT,
        last_sent_seq     INTEGER NOT NULL DEFAULT 0 CHECK (last_sent_seq >= 0),
        last_accepted_seq INTEGER NOT NULL DEFAULT 0 CHECK (last_accepted_seq >= 0),
        audit_sent_seq    INTEGER NOT NULL DEFAULT 0 CHECK (audit_sent_seq >= 0)
      ) STRICT;
      CREATE UNIQUE INDEX transfer_pairings_active ON transfer_pairings ((ended_at IS NULL)) WHERE ended_at IS NULL;
      CREATE INDEX transfer_pairings_peer ON transfer_pairings (peer_fingerprint);
    `);
  },
};
