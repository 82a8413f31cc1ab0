import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { readRole, writeRole } from '../../src/main/core/workstation/role.ts';
import { tempDir } from '../support/temp.ts';

describe('migration 0250 (workstation role)', () => {
  it('leaves an existing data folder standalone, keeps one row, and admits only the three roles', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 240)).toBe(240);
    raw.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(readRole(db)).toEqual({ role: 'standalone', setAt: null, setBy: null });

    writeRole(db, 'signer', '2026-12-05T10:00:00.000Z', 'op@host');
    writeRole(db, 'publisher', '2026-12-05T11:00:00.000Z', 'op@host');
    expect(readRole(db)).toEqual({ role: 'publisher', setAt: '2026-12-05T11:00:00.000Z', setBy: 'op@host' });
    expect(db.prepare('SELECT count(*) AS n FROM workstation').get()).toEqual({ n: 1 });

    expect(() => db.prepare("INSERT INTO workstation (id, role, set_at, set_by) VALUES (2, 'signer', 'x', 'y')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE workstation SET role = 'root' WHERE id = 1").run()).toThrow(/CHECK/);
    expect(readRole(db).role).toBe('publisher');
    db.close();
  });
});
