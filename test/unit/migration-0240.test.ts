import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { migrate, schemaVersion } from '../../src/main/core/store/migrate.ts';
import { MIGRATIONS } from '../../src/main/core/store/migrations/index.ts';
import { RotationRepository } from '../../src/main/core/store/rotation-repository.ts';
import { tempDir } from '../support/temp.ts';

/** The steps as the first release numbered them (before `deliver` came in as step 2). */
const OLD_STEPS = ['issue-successor', 'publish-edge', 'add-credential', 'bind-both', 'verify', 'remove-old', 'supersede'];

describe('migration 0240 (the deliver step renumbers stored rotation steps)', () => {
  it('keeps every old job at the same named step, journal included, and admits step 8', () => {
    const file = join(tempDir(), 'a.sqlite3');
    const raw = new BetterSqlite3(file);
    expect(migrate(raw, MIGRATIONS, 130)).toBe(130);
    raw.pragma('foreign_keys = OFF');
    const job = raw.prepare(
      "INSERT INTO rotation_jobs (id, certificate_id, state, step, same_key, verify, overlap_seconds, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 1, 60, 'x', 'x')",
    );
    const entry = raw.prepare("INSERT INTO rotation_journal (job_id, seq, step, phase, at, detail) VALUES (?, ?, ?, ?, 'x', ?)");
    // A job after each old step (0 = none yet, 7 = done), each with a journal of its completed steps and the next one begun.
    for (let step = 0; step <= 7; step++) {
      const id = `r${step}`;
      job.run(id, `cert_${step}`, step === 7 ? 'done' : step === 5 ? 'waiting' : 'running', step);
      let seq = 0;
      for (let s = 1; s <= step; s++) {
        entry.run(id, ++seq, s, 'begin', OLD_STEPS[s - 1]!);
        entry.run(id, ++seq, s, 'end', `did ${OLD_STEPS[s - 1]}`);
      }
      if (step < 7) entry.run(id, seq + 1, step + 1, 'begin', OLD_STEPS[step]!);
    }
    raw.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    const repo = new RotationRepository(db);
    const newNumber = (old: number) => (old >= 2 ? old + 1 : old);
    for (let step = 0; step <= 7; step++) {
      const after = repo.get(`r${step}`)!;
      expect(after, `old step ${step}`).toMatchObject({
        step: newNumber(step),
        quietSeconds: 900,
        forceCutoff: false,
        inboxTargetId: null,
      });
      // Each journal row names the step it named before.
      for (const e of repo.journal(`r${step}`)) expect(e.detail.replace(/^did /, '')).toBe(e.name);
    }
    expect(repo.get('r7')).toMatchObject({ step: 8, state: 'done' });
    expect(repo.get('r1')!.step).toBe(1); // issued, not yet delivered: the resumed job delivers next

    // The new bounds, the new columns, the indexes and the cascade are all there.
    db.pragma('foreign_keys = OFF');
    db.prepare("UPDATE rotation_jobs SET step = 8, force_cutoff = 1, quiet_seconds = 60 WHERE id = 'r0'").run();
    expect(() => db.prepare("UPDATE rotation_jobs SET step = 9 WHERE id = 'r0'").run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("UPDATE rotation_jobs SET force_cutoff = 2 WHERE id = 'r0'").run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("INSERT INTO rotation_journal VALUES ('r0', 99, 9, 'end', 'x', 'x')").run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("UPDATE rotation_jobs SET certificate_id = 'cert_1' WHERE id = 'r2'").run()).toThrow(
      /UNIQUE constraint failed/,
    );
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rotation_jobs' AND name NOT LIKE 'sqlite_%'")
      .all();
    expect(indexes.map((i) => (i as { name: string }).name).sort()).toEqual(['rotation_jobs_batch', 'rotation_jobs_open']);
    const fk = db.prepare('PRAGMA foreign_key_list(rotation_journal)').all() as { table: string; on_delete: string }[];
    expect(fk).toEqual([expect.objectContaining({ table: 'rotation_jobs', on_delete: 'CASCADE' })]);
    db.close();
  });

  it('leaves foreign keys enforced on the connection that ran the rebuild', () => {
    const db = openDatabase(join(tempDir(), 'b.sqlite3'));
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() =>
      db
        .prepare(
          "INSERT INTO rotation_jobs (id, certificate_id, state, step, same_key, verify, overlap_seconds, created_at, updated_at) VALUES ('x', 'no-such-cert', 'running', 0, 0, 1, 0, 'x', 'x')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY constraint failed/);
    db.close();
  });
});
