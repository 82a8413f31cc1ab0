import type { Database } from './database.ts';
import { prepared } from './prepared.ts';

/**
 * What a connection's database held at a moment: `data_version` changes when another connection
 * commits, `total_changes()` when this one writes (it counts rolled-back and trigger writes too). Two
 * equal marks mean nobody wrote in between, so whatever was read in between still holds (issue 14:
 * the DN check an issuance runs again at its commit, the due check every page change asks for).
 */
export interface DatabaseMark {
  dataVersion: number;
  totalChanges: number;
  /** Taken inside a transaction, which may still roll back its writes unseen by both counters: it matches no later mark. */
  inTransaction: boolean;
}

export function databaseMark(db: Database): DatabaseMark {
  const counters = prepared(
    db,
    'SELECT (SELECT data_version FROM pragma_data_version) AS dataVersion, total_changes() AS totalChanges',
  ).get() as Omit<DatabaseMark, 'inTransaction'>;
  return { ...counters, inTransaction: db.inTransaction };
}

/** Whether nothing was written to `db`, by this connection or another, since `mark` was taken. */
export function unchangedSince(db: Database, mark: DatabaseMark): boolean {
  if (mark.inTransaction) return false;
  const now = databaseMark(db);
  return now.dataVersion === mark.dataVersion && now.totalChanges === mark.totalChanges;
}
