import type { Migration } from './migration.ts';

/**
 * A reload preset's program is run from the absolute path found when the preset was chosen, not
 * looked up on PATH at each run. `program` holds that path; the approval's MAC (now version 2)
 * covers it, so every approval made before this version no longer verifies: a preset is approved
 * again by publishing with it once more, a custom argv with `certdesk edge reload set`.
 */
export const edgeReloadProgram: Migration = {
  version: 150,
  name: 'edge-reload-program',
  up(db) {
    db.exec(`ALTER TABLE edge_reload_actions ADD COLUMN program TEXT CHECK (program IS NULL OR length(program) BETWEEN 1 AND 4096);`);
  },
};
