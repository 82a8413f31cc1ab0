import type { Migration } from './migration.ts';

export const leases: Migration = {
  version: 70,
  name: 'leases',
  up(db) {
    db.exec(`
      -- Work that only one certdesk process may do at a time (the app, the CLI and a second window
      -- share this file): a rotation job, an apply to one application. A lease that is not renewed
      -- expires, so a killed process never blocks the work for good.
      CREATE TABLE leases (
        key        TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
