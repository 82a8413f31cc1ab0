import type { Database } from 'better-sqlite3';
import type { WorkstationRole } from '../../../shared/contract/index.ts';
import { prepared } from '../store/prepared.ts';

export interface RoleRecord {
  role: WorkstationRole;
  /** When and by whom (`user@host`) the role was set; null for a folder that was never given one. */
  setAt: string | null;
  setBy: string | null;
}

/** The data folder's role; a folder that was never given one is standalone. */
export function readRole(db: Database): RoleRecord {
  const row = prepared<[], RoleRecord>(db, 'SELECT role, set_at AS setAt, set_by AS setBy FROM workstation WHERE id = 1').get();
  return row ?? { role: 'standalone', setAt: null, setBy: null };
}

/** Records the role. The checks that a role fits the folder's contents belong to the caller (core/workstation). */
export function writeRole(db: Database, role: WorkstationRole, at: string, by: string): void {
  db.prepare(
    'INSERT INTO workstation (id, role, set_at, set_by) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET role = excluded.role, set_at = excluded.set_at, set_by = excluded.set_by',
  ).run(role, at, by);
}
