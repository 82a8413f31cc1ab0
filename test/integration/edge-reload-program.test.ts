/**
 * Issue 10, leftover L5: a preset named its program (`docker`, `nginx`, `systemctl`) and the runner
 * looked it up on PATH at every run, so a changed PATH, or a program planted in an earlier PATH
 * folder, changed what a background rotation ran. The program is now found once, when the preset is
 * chosen, stored in the approved record (under its MAC and the keychain's record of the current
 * approval), and run from exactly there. Stand-in programs append one line per run to a log.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { CoreContext } from '../../src/main/core/context.ts';
import { republishIfChanged } from '../../src/main/core/edge/publish-edge.ts';
import type { ActionRow } from '../../src/main/core/edge/reload-actions.ts';
import { edgeSettings } from '../support/edge-settings.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

type Db = {
  prepare(sql: string): { get(...args: unknown[]): unknown; all(...args: unknown[]): unknown[]; run(...args: unknown[]): unknown };
};
const count = (db: Db, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const presetRow = (db: Db) => db.prepare("SELECT * FROM edge_reload_actions WHERE kind = 'preset'").get() as ActionRow;
const lines = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);

/** A stand-in `docker` in a folder of its own that logs each run; returns the folder, the program and its log. */
function standIn(): { bin: string; program: string; log: string } {
  const bin = tempDir();
  const log = join(bin, 'runs');
  const program = join(bin, 'docker');
  writeFileSync(program, `#!/bin/sh\necho "$*" >> '${log}'\n`, { mode: 0o755 });
  return { bin, program, log };
}

/** PATH for the rest of this test: these folders first, then the original. */
function setPath(...dirs: string[]): void {
  const before = process.env.PATH;
  process.env.PATH = [...dirs, before ?? ''].join(delimiter);
  onTestFinished(() => {
    process.env.PATH = before;
  });
}

async function publishedWithDocker() {
  const t = await withIssuingCa({ keychain: true });
  const ctx = (t.service as unknown as { ctx: CoreContext }).ctx;
  const db = t.service.db as unknown as Db;
  const dir = join(tempDir(), 'bundle');
  const chosen = standIn();
  setPath(chosen.bin);
  const publish = () =>
    t.service.publishEdge({
      ca: 'Test Issuing',
      dir,
      settings: edgeSettings({ bundleDir: dir }),
      reload: { preset: 'docker', container: 'edge' },
    });
  const first = await publish();
  expect(first.reload).toMatchObject({ argv: [['docker', 'exec', 'edge', 'nginx', '-s', 'reload']], program: chosen.program, status: 0 });
  expect(presetRow(db).program).toBe(chosen.program);
  expect(lines(chosen.log)).toEqual(['exec edge nginx -s reload']);
  const replay = () => republishIfChanged(ctx, t.service.crls, t.issuingId);
  return { t, db, dir, chosen, publish, replay };
}

describe('edge reload presets: the program path is chosen once', () => {
  it('replays the absolute path found when the preset was chosen; a program planted earlier on PATH later never runs', async () => {
    const s = await publishedWithDocker();
    const planted = standIn();
    setPath(planted.bin, s.chosen.bin);
    await s.t.service.generateCrl({ ca: 'Test Issuing' });
    const replayed = await s.replay();
    expect(replayed).toMatchObject({ published: true, result: { reload: { program: s.chosen.program, status: 0 } } });
    expect(lines(s.chosen.log)).toHaveLength(2);
    expect(existsSync(planted.log)).toBe(false);
  });

  it('refuses with RELOAD_PROGRAM_MISSING when the approved program is gone, and does not search PATH for another', async () => {
    const s = await publishedWithDocker();
    const planted = standIn();
    setPath(planted.bin);
    rmSync(s.chosen.program);
    await s.t.service.generateCrl({ ca: 'Test Issuing' });
    const crlBefore = readFileSync(join(s.dir, 'crl.pem'), 'utf8');
    const before = { publications: count(s.db, 'edge_publications'), row: presetRow(s.db), audit: count(s.db, 'audit_log') };
    const refused = s.replay();
    await expect(refused).rejects.toMatchObject({ code: 'RELOAD_PROGRAM_MISSING', field: 'reload.preset' });
    await expect(refused).rejects.toThrow(new RegExp(`${s.chosen.program}.*PATH is not searched.*Nothing was run or written`));
    expect(existsSync(planted.log)).toBe(false);
    expect(readFileSync(join(s.dir, 'crl.pem'), 'utf8')).toBe(crlBefore);
    expect({ publications: count(s.db, 'edge_publications'), row: presetRow(s.db), audit: count(s.db, 'audit_log') }).toEqual(before);
  });

  it('choosing the preset again approves where the program is now; restoring the older row by SQL is refused', async () => {
    const s = await publishedWithDocker();
    const older = presetRow(s.db);
    const moved = standIn();
    setPath(moved.bin, s.chosen.bin);
    expect((await s.publish()).reload).toMatchObject({ program: moved.program, status: 0 });
    expect(presetRow(s.db)).toMatchObject({ id: older.id, program: moved.program });

    // The file writer puts the older approval (the older program path) back, MAC and all.
    s.db
      .prepare('UPDATE edge_reload_actions SET program = ?, approved_at = ?, approved_mac = ? WHERE id = ?')
      .run(older.program, older.approved_at, older.approved_mac, older.id);
    await s.t.service.generateCrl({ ca: 'Test Issuing' });
    const before = { publications: count(s.db, 'edge_publications'), audit: count(s.db, 'audit_log') };
    await expect(s.replay()).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED' });
    await expect(s.replay()).rejects.toThrow(/older approval restored/);
    expect(lines(s.chosen.log)).toHaveLength(1);
    expect(lines(moved.log)).toHaveLength(1);
    expect({ publications: count(s.db, 'edge_publications'), audit: count(s.db, 'audit_log') }).toEqual(before);
  });

  it('a preset approved before program paths were stored is refused at replay, saying so; choosing it again approves it', async () => {
    const s = await publishedWithDocker();
    // What migration 0150 leaves of a preset approved by the previous version: no program.
    s.db.prepare("UPDATE edge_reload_actions SET program = NULL WHERE kind = 'preset'").run();
    await s.t.service.generateCrl({ ca: 'Test Issuing' });
    const before = count(s.db, 'edge_publications');
    const refused = s.replay();
    await expect(refused).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED', field: 'reload' });
    await expect(refused).rejects.toThrow(/older certdesk, which looked its program up on PATH at every run.*publish once with a preset/);
    expect(count(s.db, 'edge_publications')).toBe(before);
    expect(lines(s.chosen.log)).toHaveLength(1);
    await s.publish();
    expect(presetRow(s.db).program).toBe(s.chosen.program);
    await s.t.service.generateCrl({ ca: 'Test Issuing' });
    await expect(s.replay()).resolves.toMatchObject({ published: true });
    expect(lines(s.chosen.log)).toHaveLength(3);
  });

  it('refuses a preset whose program is in no absolute PATH folder when chosen, with nothing written', async () => {
    const t = await withIssuingCa({ keychain: true });
    const db = t.service.db as unknown as Db;
    const dir = join(tempDir(), 'bundle');
    const before = process.env.PATH;
    // Only an empty folder, and relative entries, which depend on the working folder and are skipped.
    process.env.PATH = [tempDir(), '.', '', 'bin'].join(delimiter);
    onTestFinished(() => {
      process.env.PATH = before;
    });
    const refused = t.service.publishEdge({
      ca: 'Test Issuing',
      dir,
      settings: edgeSettings({ bundleDir: dir }),
      reload: { preset: 'systemctl' },
    });
    await expect(refused).rejects.toMatchObject({ code: 'RELOAD_PROGRAM_MISSING', field: 'reload.preset' });
    expect(existsSync(dir)).toBe(false);
    expect(count(db, 'edge_reload_actions')).toBe(0);
    expect(count(db, 'edge_publications')).toBe(0);
  });
});
