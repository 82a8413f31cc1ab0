import type { Migration } from './migration.ts';

/**
 * A data folder's role (issue 12): `standalone` (today's behaviour and the default), `signer` (the
 * air-gapped CA: keys, no tenants, no network) or `publisher` (tenants and the edge, no CA key). One
 * row, written when the operator sets the role; an existing folder stays standalone.
 */
export const workstationRole: Migration = {
  version: 250,
  name: 'workstation-role',
  up(db) {
    db.exec(`
      CREATE TABLE workstation (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        role TEXT NOT NULL CHECK (role IN ('standalone', 'signer', 'publisher')),
        set_at TEXT NOT NULL,
        set_by TEXT NOT NULL
      ) STRICT;
    `);
  },
};
