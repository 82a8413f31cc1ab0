import BetterSqlite3, { type Database } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CertdeskError } from '../errors.ts';
import { migrate, refuseNewerSchema } from './migrate.ts';

export type { Database, Statement } from 'better-sqlite3';

/**
 * Opens (creating if needed) the store: WAL so the desktop app and the CLI can have it open at
 * once, foreign keys on, a busy timeout so a writer waits for the other process instead of failing.
 */
export function openDatabase(file: string, options: { migrate?: boolean } = {}): Database {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let db: Database;
  try {
    db = new BetterSqlite3(file);
  } catch (cause) {
    throw new CertdeskError('INTERNAL', `Cannot open the database ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    db.pragma('busy_timeout = 5000');
    refuseNewerSchema(db);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    if (options.migrate !== false) migrate(db);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof CertdeskError) throw error;
    const message = (error as Error).message;
    if (/SQLITE_BUSY|database is locked/i.test(message)) {
      throw new CertdeskError(
        'DATABASE_BUSY',
        `The database ${file} stayed locked by another process for 5 s. Close the other certdesk (app or CLI) that is writing and retry.`,
        { cause: error },
      );
    }
    throw new CertdeskError(
      'INTERNAL',
      `Cannot prepare the database ${file}: ${message}. If this file is not a certdesk database, point --data-dir elsewhere.`,
      { cause: error },
    );
  }
}
