/**
 * Issue 10, finding 1 (second half): the approval of a reload argv was a plain SHA-256 beside it,
 * which anyone able to write the SQLite file recomputes. It is now an HMAC under a subkey of the
 * audit key (OS keychain). These edit every unkeyed field in the database, as that attacker would,
 * and prove the edited argv is refused at publish and at the rotation's replay with nothing changed.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { CoreContext } from '../../src/main/core/context.ts';
import { republishIfChanged } from '../../src/main/core/edge/publish-edge.ts';
import { argvSha256 } from '../../src/main/core/edge/reload-actions.ts';
import { approvalMac } from '../../src/main/core/edge/reload-approval.ts';
import { auditKeyAccount } from '../../src/main/core/secrets/audit-key.ts';
import type { EdgeSettings } from '../../src/shared/contract/index.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';
import { edgeSettings } from '../support/edge-settings.ts';

const settings = (bundleDir: string): EdgeSettings => edgeSettings({ bundleDir });

type Db = {
  prepare(sql: string): { get(...args: unknown[]): unknown; all(...args: unknown[]): unknown[]; run(...args: unknown[]): unknown };
};
const count = (db: Db, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
/** A stand-in `docker` first on PATH, so the docker preset never reaches a real daemon: it appends one line per run. */
function fakeDocker(): string {
  const bin = tempDir();
  const runs = join(bin, 'runs');
  writeFileSync(join(bin, 'docker'), `#!/bin/sh\necho "$*" >> '${runs}'\n`, { mode: 0o755 });
  const before = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${before ?? ''}`;
  onTestFinished(() => {
    process.env.PATH = before;
  });
  return runs;
}
const runCount = (runs: string) => (existsSync(runs) ? readFileSync(runs, 'utf8').split('\n').filter(Boolean).length : 0);
const actions = (db: Db) => db.prepare('SELECT * FROM edge_reload_actions ORDER BY id').all();

describe('edge reload: the approval is a keyed MAC', () => {
  it('refuses a custom argv edited in SQLite with its plain hash, dates and MAC recomputed, until approved again', async () => {
    const t = await withIssuingCa();
    const ctx = (t.service as unknown as { ctx: CoreContext }).ctx;
    const db = t.service.db as unknown as Db;
    const work = tempDir();
    const dir = join(work, 'bundle');
    const marker = join(work, 'pwned');
    const approvedMarker = join(work, 'reloaded');
    await t.service.approveCustomReload(['true'], 'cli');
    const first = await t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settings(dir), reload: { preset: 'custom' } });
    expect(first.reload).toMatchObject({ argv: [['true']], status: 0 });

    // The file writer swaps the argv and recomputes everything it can: the plain hash, the approval's
    // date and author, and a MAC of the same record under a key of its own (it has not got the keychain's).
    const evil = [['touch', marker]];
    const row = db.prepare("SELECT * FROM edge_reload_actions WHERE kind = 'custom'").get() as Parameters<typeof approvalMac>[1];
    const forged = { ...row, argv: JSON.stringify(evil), approved_at: '2030-01-01T00:00:00.000Z', approved_by: 'cli' };
    db.prepare(
      "UPDATE edge_reload_actions SET argv = ?, approved_sha256 = ?, approved_at = ?, approved_by = ?, approved_mac = ? WHERE kind = 'custom'",
    ).run(forged.argv, argvSha256(evil), forged.approved_at, forged.approved_by, approvalMac(new Uint8Array(randomBytes(32)), forged));
    expect(t.service.edgeReloadConfig(true).custom).toMatchObject({ argv: ['touch', marker], approved: false });

    const crlBefore = readFileSync(join(dir, 'crl.pem'), 'utf8');
    const before = { publications: count(db, 'edge_publications'), actions: actions(db) };
    const refused = t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settings(dir), reload: { preset: 'custom' } });
    await expect(refused).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED', field: 'reload' });
    await expect(refused).rejects.toThrow(/changed outside certdesk.*certdesk edge reload set/);
    expect({ publications: count(db, 'edge_publications'), actions: actions(db) }).toEqual(before);

    // A new CRL makes the bundle out of date, so the rotation's background replay would publish: refused first.
    await t.service.generateCrl({ ca: 'Test Issuing' });
    const beforeReplay = { publications: count(db, 'edge_publications'), actions: actions(db), audit: count(db, 'audit_log') };
    await expect(republishIfChanged(ctx, t.service.crls, t.issuingId)).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED' });
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(join(dir, 'crl.pem'), 'utf8')).toBe(crlBefore);
    expect({ publications: count(db, 'edge_publications'), actions: actions(db), audit: count(db, 'audit_log') }).toEqual(beforeReplay);

    // The operator approves again (what `certdesk edge reload set` does): the replay runs that argv.
    await t.service.approveCustomReload(['touch', approvedMarker], 'cli');
    const replay = await republishIfChanged(ctx, t.service.crls, t.issuingId);
    expect(replay).toMatchObject({ published: true, result: { reload: { argv: [['touch', approvedMarker]], status: 0 } } });
    expect(existsSync(approvedMarker)).toBe(true);
    expect(existsSync(marker)).toBe(false);
    expect(count(db, 'edge_publications')).toBe(beforeReplay.publications + 1);
  });

  it('refuses an approval whose MAC is a plain keyless HMAC or is copied from another row', async () => {
    const t = await withIssuingCa();
    const db = t.service.db as unknown as Db;
    const work = tempDir();
    const dir = join(work, 'bundle');
    const marker = join(work, 'pwned');
    fakeDocker();
    await t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settings(dir), reload: { preset: 'docker', container: 'edge' } });
    await t.service.approveCustomReload(['touch', marker], 'cli');
    const preset = db.prepare("SELECT approved_mac FROM edge_reload_actions WHERE kind = 'preset'").get() as { approved_mac: string };

    // The preset's valid MAC moved onto the custom row: it covers another record, so it does not hold.
    db.prepare("UPDATE edge_reload_actions SET approved_mac = ? WHERE kind = 'custom'").run(preset.approved_mac);
    const before = { publications: count(db, 'edge_publications'), actions: actions(db) };
    await expect(
      t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settings(dir), reload: { preset: 'custom' } }),
    ).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED' });
    // An HMAC keyed with the argv's own hash: anything computable from the file alone is refused.
    const custom = db.prepare("SELECT * FROM edge_reload_actions WHERE kind = 'custom'").get() as { approved_sha256: string };
    db.prepare("UPDATE edge_reload_actions SET approved_mac = ? WHERE kind = 'custom'").run(
      createHmac('sha256', custom.approved_sha256).update('x').digest('hex'),
    );
    await expect(
      t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settings(dir), reload: { preset: 'custom' } }),
    ).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED' });
    expect(existsSync(marker)).toBe(false);
    expect({ publications: count(db, 'edge_publications'), actions: actions(db).length }).toEqual({
      publications: before.publications,
      actions: before.actions.length,
    });
  });

  it('refuses every approved argv, and any new approval, while the audit key is missing from the keychain', async () => {
    const t = await withIssuingCa();
    const work = tempDir();
    const dir = join(work, 'bundle');
    const marker = join(work, 'reloaded');
    await t.service.approveCustomReload(['touch', marker], 'cli');
    const storeId = t.service.vault.storeId();
    t.service.close();
    await t.service.audit.settle();
    await t.secretStore.delete(auditKeyAccount(storeId));
    const service = t.reopen();
    const db = service.db as unknown as Db;
    const before = { publications: count(db, 'edge_publications'), actions: actions(db) };

    const refused = service.publishEdge({ ca: 'Test Issuing', dir, settings: settings(dir), reload: { preset: 'custom' } });
    await expect(refused).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED', field: 'reload' });
    await expect(refused).rejects.toThrow(/audit-key:.*certdesk edge reload set/);
    await expect(
      service.publishEdge({ ca: 'Test Issuing', dir, settings: settings(dir), reload: { preset: 'docker', container: 'edge' } }),
    ).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED' });
    await expect(service.approveCustomReload(['touch', marker], 'cli')).rejects.toMatchObject({
      code: 'RELOAD_NOT_APPROVED',
      field: 'argv',
    });
    expect(service.edgeReloadConfig(true).custom).toMatchObject({ approved: false });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect({ publications: count(db, 'edge_publications'), actions: actions(db) }).toEqual(before);
  });

  it('treats a row approved before keyed approvals (plain hash only) as not approved; a preset is re-approved by choosing it', async () => {
    const t = await withIssuingCa();
    const ctx = (t.service as unknown as { ctx: CoreContext }).ctx;
    const db = t.service.db as unknown as Db;
    const work = tempDir();
    const dir = join(work, 'bundle');
    const marker = join(work, 'old');
    const runs = fakeDocker();
    await t.service.approveCustomReload(['touch', marker], 'cli');
    // What migration 0130 leaves of an approval made by the previous version: the hash, no MAC.
    db.prepare("UPDATE edge_reload_actions SET approved_mac = NULL WHERE kind = 'custom'").run();
    expect(t.service.edgeReloadConfig(true).custom).toMatchObject({ approved: false });
    const before = { publications: count(db, 'edge_publications'), actions: actions(db) };
    const refused = t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settings(dir), reload: { preset: 'custom' } });
    await expect(refused).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED', field: 'reload' });
    await expect(refused).rejects.toThrow(/older certdesk.*certdesk edge reload set/);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect({ publications: count(db, 'edge_publications'), actions: actions(db) }).toEqual(before);

    // A preset's old approval: the replay is refused; publishing with the preset again seals it.
    const presetRow = () => db.prepare("SELECT * FROM edge_reload_actions WHERE kind = 'preset'").get() as { id: number } | undefined;
    await expect(
      t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settings(dir), reload: { preset: 'docker', container: 'edge' } }),
    ).resolves.toBeDefined();
    const id = presetRow()!.id;
    db.prepare('UPDATE edge_reload_actions SET approved_mac = NULL WHERE id = ?').run(id);
    await t.service.generateCrl({ ca: 'Test Issuing' });
    const beforeReplay = count(db, 'edge_publications');
    expect(runCount(runs)).toBe(1);
    await expect(republishIfChanged(ctx, t.service.crls, t.issuingId)).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED' });
    expect(count(db, 'edge_publications')).toBe(beforeReplay);
    expect(runCount(runs)).toBe(1);
    await t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settings(dir), reload: { preset: 'docker', container: 'edge' } });
    expect(
      (db.prepare('SELECT approved_mac FROM edge_reload_actions WHERE id = ?').get(id) as { approved_mac: string | null }).approved_mac,
    ).toMatch(/^[0-9a-f]{64}$/);
    expect(runCount(runs)).toBe(2);
    await t.service.generateCrl({ ca: 'Test Issuing' });
    const replay = await republishIfChanged(ctx, t.service.crls, t.issuingId);
    expect(replay).toMatchObject({
      published: true,
      result: { reload: { argv: [['docker', 'exec', 'edge', 'nginx', '-s', 'reload']], status: 0 } },
    });
    expect(runCount(runs)).toBe(3);
  });
});
