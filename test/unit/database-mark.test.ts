// The database mark (store/database-mark.ts) that lets the DN check at an issuance's commit and the
// due check be skipped: equal only when nothing was written by anyone in between.
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseMark, unchangedSince } from '../../src/main/core/store/database-mark.ts';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { tempDir } from '../support/temp.ts';

describe('the database mark', () => {
  it('holds until this connection or another writes, and a mark taken in a transaction never holds', () => {
    const file = join(tempDir(), 'store.sqlite3');
    const db = openDatabase(file);
    const other = new BetterSqlite3(file);
    try {
      const write = (on: BetterSqlite3.Database, value: string) =>
        on
          .prepare("INSERT INTO settings (key, value) VALUES ('mark-test', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
          .run(value);

      let mark = databaseMark(db);
      db.prepare('SELECT count(*) FROM certificates').get();
      expect(unchangedSince(db, mark)).toBe(true);
      write(db, 'here');
      expect(unchangedSince(db, mark)).toBe(false);

      mark = databaseMark(db);
      write(other, 'elsewhere');
      expect(unchangedSince(db, mark)).toBe(false);

      // A write rolled back leaves both counters as a later mark reads them: only the flag tells.
      try {
        db.transaction(() => {
          write(db, 'rolled back');
          mark = databaseMark(db);
          throw new Error('roll back');
        }).immediate();
      } catch {
        // rolled back, as meant
      }
      expect(mark.inTransaction).toBe(true);
      expect(unchangedSince(db, mark)).toBe(false);
      expect(unchangedSince(db, { ...mark, inTransaction: false })).toBe(true); // what the flag guards against
    } finally {
      other.close();
      db.close();
    }
  });
});
