import type { Database } from 'better-sqlite3';
import { CertdeskError } from '../errors.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to `target` (default: the newest this build knows). Each migration runs in
 * its own IMMEDIATE transaction, so a second process opening the same file waits rather than races,
 * and a failure leaves the database at the last completed version. A database written by a newer
 * certdesk is refused, never touched.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS, target?: number): number {
  const goal = target ?? migrations.at(-1)?.version ?? 0;
  refuseNewerSchema(db, migrations);
  for (const migration of migrations) {
    if (migration.version > goal) break;
    const step = db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    });
    // PRAGMA foreign_keys is a no-op inside a transaction: it is switched around it, and back.
    const enforced = migration.rebuildsTables && schemaVersion(db) < migration.version && db.pragma('foreign_keys', { simple: true }) === 1;
    if (enforced) db.pragma('foreign_keys = OFF');
    try {
      step.immediate();
    } finally {
      if (enforced) db.pragma('foreign_keys = ON');
    }
  }
  return schemaVersion(db);
}

/** Throws DATABASE_FROM_NEWER_VERSION before anything (even a pragma) writes to such a file. */
export function refuseNewerSchema(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const newest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > newest) {
    throw new CertdeskError(
      'DATABASE_FROM_NEWER_VERSION',
      `This database has schema version ${current}, newer than this certdesk understands (${newest}). Open it with the newer certdesk that wrote it; it was not changed.`,
    );
  }
}
