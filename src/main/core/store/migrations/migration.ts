import type { Database } from 'better-sqlite3';

/** One append-only schema step. `version` becomes `PRAGMA user_version` once `up` has run. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
  /**
   * Rebuilds a parent table (SQLite's 12-step ALTER procedure): foreign keys are off around its
   * transaction, so dropping the old table cascades nothing, and `up` checks it broke no reference.
   */
  rebuildsTables?: boolean;
}
