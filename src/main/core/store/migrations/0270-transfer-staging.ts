import type { Migration } from './migration.ts';

/**
 * What crosses the air gap (issue 12, docs/transfer-bundles.md).
 *
 * - transfer_imports: a verified bundle, staged for review; its manifest as signed, one row per
 *   (pairing, sequence) so the same bundle can never be staged twice.
 * - transfer_import_items: each item of it with its review (effect, details) and the operator's or the
 *   applier's decision: pending, approved (applied), or refused with the code and reason.
 * - transfer_queue: items waiting for the next outgoing bundle; `export_id` is set when one carried it.
 * - transfer_exports: each bundle written, with its sequence and the hash of the file.
 */
export const transferStaging: Migration = {
  version: 270,
  name: 'transfer-staging',
  up(db) {
    db.exec(`
      CREATE TABLE transfer_imports (
        id            TEXT PRIMARY KEY,
        pairing_id    TEXT NOT NULL REFERENCES transfer_pairings (id) ON DELETE RESTRICT,
        direction     TEXT NOT NULL CHECK (direction IN ('to-signer', 'to-publisher')),
        sequence      INTEGER NOT NULL CHECK (sequence >= 1),
        created_at    TEXT NOT NULL,
        creator_actor TEXT NOT NULL,
        manifest      TEXT NOT NULL,
        bundle_sha256 TEXT NOT NULL,
        imported_at   TEXT NOT NULL,
        imported_by   TEXT NOT NULL,
        UNIQUE (pairing_id, direction, sequence)
      ) STRICT;

      CREATE TABLE transfer_import_items (
        import_id  TEXT NOT NULL REFERENCES transfer_imports (id) ON DELETE RESTRICT,
        item_id    TEXT NOT NULL,
        position   INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        body       TEXT NOT NULL,
        effect     TEXT NOT NULL,
        details    TEXT NOT NULL,
        decision   TEXT NOT NULL CHECK (decision IN ('pending', 'approved', 'refused')),
        code       TEXT,
        reason     TEXT,
        decided_at TEXT,
        decided_by TEXT,
        PRIMARY KEY (import_id, item_id),
        CHECK ((decision = 'refused') = (reason IS NOT NULL))
      ) STRICT;

      CREATE TABLE transfer_exports (
        id         TEXT PRIMARY KEY,
        pairing_id TEXT NOT NULL REFERENCES transfer_pairings (id) ON DELETE RESTRICT,
        direction  TEXT NOT NULL CHECK (direction IN ('to-signer', 'to-publisher')),
        sequence   INTEGER NOT NULL CHECK (sequence >= 1),
        sha256     TEXT NOT NULL,
        items      INTEGER NOT NULL CHECK (items >= 1),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        UNIQUE (pairing_id, direction, sequence)
      ) STRICT;

      CREATE TABLE transfer_queue (
        id          TEXT PRIMARY KEY,
        direction   TEXT NOT NULL CHECK (direction IN ('to-signer', 'to-publisher')),
        kind        TEXT NOT NULL,
        body        TEXT NOT NULL,
        queued_at   TEXT NOT NULL,
        origin      TEXT,
        export_id   TEXT REFERENCES transfer_exports (id) ON DELETE RESTRICT
      ) STRICT;
      CREATE INDEX transfer_queue_waiting ON transfer_queue (direction, queued_at) WHERE export_id IS NULL;
    `);
  },
};
