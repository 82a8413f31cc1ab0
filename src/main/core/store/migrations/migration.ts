import type { Database } from 'better-sqlite3';

/** One append-only schema step. `version` becomes `PRAGMA user_version` once `up` has run. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
