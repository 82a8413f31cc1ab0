import BetterSqlite3, { type Database } from 'better-sqlite3';
import { chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { CertdeskError } from '../errors.ts';
import { migrate, refuseNewerSchema } from './migrate.ts';

export type { Database, Statement, Transaction } from 'better-sqlite3';

/**
 * Opens (creating if needed) the store: WAL so the desktop app and the CLI can have it open at
 * once, foreign keys on, a busy timeout so a writer waits for the other process instead of failing.
 *
 * Every commit is synced before it returns (synchronous FULL: the WAL is synced at each commit), as
 * far as the OS's fsync goes: on macOS fsync leaves the drive's own cache unflushed (SQLite's
 * fullfsync would ask for F_FULLFSYNC, at a cost not measured here). With NORMAL a power cut could roll
 * back the last commits: a certificate already handed out, or delivered to a workload (deliveries sync
 * their files), would be missing from the inventory and the audit chain, so it could not be revoked or
 * rotated through certdesk; a CRL number could be issued twice. The sync costs about 0.5 ms per commit
 * on the bench machine (a managed issuance: about 1.3 ms with NORMAL, 1.8 ms with FULL); a bulk issue
 * is one commit.
 */
export function openDatabase(file: string, options: { migrate?: boolean } = {}): Database {
  keepPrivate(file);
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
    db.pragma('synchronous = FULL');
    if (options.migrate !== false) migrate(db);
    keepPrivate(file);
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

/**
 * The data folder is the operator's alone (0700), and so are the database and its WAL and shm files
 * (0600): they hold sealed keys, the audit log and every tenant. The file is created 0600 before
 * SQLite opens it, because SQLite gives the WAL and shm files the database's own mode; a store made
 * by an older certdesk with looser modes is tightened. (Windows has no such modes: ACLs apply.)
 */
function keepPrivate(file: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  tighten(dir, 0o700);
  try {
    closeSync(openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) tighten(path, 0o600);
}

function tighten(path: string, mode: number): void {
  if ((statSync(path).mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
}
