import type { Migration } from './migration.ts';

/**
 * The edge folder and the settings that reach nginx become operator configuration, kept in one row
 * with a keyed MAC (HMAC under a subkey of the audit key, as reload approvals): a caller of a channel
 * no longer chooses where the bundle is written or where the edge forwards, and a restored or edited
 * database cannot redirect either. Nothing is carried over from earlier publications: a rotation's
 * republish is refused until the operator sets the folder (`certdesk edge folder set DIR`) and
 * approves the settings (`certdesk edge settings set …`, or a publication from the CLI or desktop app).
 */
export const edgeConfig: Migration = {
  version: 140,
  name: 'edge-config',
  up(db) {
    db.exec(`
      CREATE TABLE edge_config (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        folder TEXT,
        folder_set_at TEXT,
        folder_set_by TEXT,
        settings TEXT,
        settings_approved_at TEXT,
        settings_approved_by TEXT,
        approved_mac TEXT NOT NULL
          CHECK (length(approved_mac) = 64 AND approved_mac NOT GLOB '*[^0-9a-f]*')
      );
    `);
  },
};
