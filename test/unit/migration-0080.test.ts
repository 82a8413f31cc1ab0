import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate, schemaVersion } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { tempDir } from '../support/temp.ts';

describe('migration 0080 (production consents of rotation jobs)', () => {
  it('upgrades a version-70 database with an open job, which gets no consent, and admits only a JSON array', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 70)).toBe(70);
    raw.pragma('foreign_keys = OFF');
    raw
      .prepare(
        "INSERT INTO rotation_jobs (id, certificate_id, state, step, same_key, verify, overlap_seconds, created_at, updated_at) VALUES ('r1', 'cert_1', 'waiting', 5, 0, 1, 60, 'x', 'x')",
      )
      .run();
    raw.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT state, step, production_consents FROM rotation_jobs').get()).toEqual({
      state: 'waiting',
      // Old step 5 (verify) is step 6 since migration 0240 put `deliver` at step 2.
      step: 6,
      production_consents: '[]',
    });
    const set = db.prepare("UPDATE rotation_jobs SET production_consents = ? WHERE id = 'r1'");
    set.run('[{"tenantId":"t","tenantName":"Prod","givenAt":"x","by":"typed-name"}]');
    expect(() => set.run('not json')).toThrow(/CHECK constraint failed/);
    expect(() => set.run('{"tenantId":"t"}')).toThrow(/CHECK constraint failed/);
    db.close();
  });
});
