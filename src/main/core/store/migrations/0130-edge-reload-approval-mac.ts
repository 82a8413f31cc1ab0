import type { Migration } from './migration.ts';

/**
 * A reload action's approval becomes a keyed MAC. The plain `approved_sha256` could be recomputed by
 * anyone able to write the database file, so an edited argv could carry a matching hash and run in
 * a background rotation. `approved_mac` is HMAC-SHA256 of the whole approval record under a subkey
 * of the audit key, which lives in the OS keychain. Rows approved before this version have no MAC
 * and are not approved: a custom argv is approved again with `certdesk edge reload set`, a preset by
 * publishing with it once more.
 */
export const edgeReloadApprovalMac: Migration = {
  version: 130,
  name: 'edge-reload-approval-mac',
  up(db) {
    db.exec(`
      ALTER TABLE edge_reload_actions ADD COLUMN approved_mac TEXT
        CHECK (approved_mac IS NULL OR (length(approved_mac) = 64 AND approved_mac NOT GLOB '*[^0-9a-f]*'));
    `);
  },
};
