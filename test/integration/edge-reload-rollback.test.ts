/**
 * Issue 10, leftover L3: an approval's MAC proves certdesk approved that row once, not that it is
 * still the latest approval. Whoever can write the SQLite file could restore an older row (an argv
 * the operator replaced or withdrew since) and its MAC would still verify. The keychain now records
 * each action's current approval (reload-ledger.ts). These restore the older row by SQL, as that
 * attacker would, against the real Secret Service, and prove publish and the rotation's background
 * replay refuse it with nothing run (the marker file its argv would create stays absent) and nothing written.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../src/main/core/context.ts';
import { republishIfChanged } from '../../src/main/core/edge/publish-edge.ts';
import type { ActionRow } from '../../src/main/core/edge/reload-actions.ts';
import { reloadApprovalsAccount } from '../../src/main/core/secrets/audit-key.ts';
import { edgeSettings } from '../support/edge-settings.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

type Db = {
  prepare(sql: string): { get(...args: unknown[]): unknown; all(...args: unknown[]): unknown[]; run(...args: unknown[]): unknown };
};
const count = (db: Db, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const customRow = (db: Db) => db.prepare("SELECT * FROM edge_reload_actions WHERE kind = 'custom'").get() as ActionRow;
const actions = (db: Db) => db.prepare('SELECT * FROM edge_reload_actions ORDER BY id').all();

/** What a file writer does with a copy of the database: puts every column of the old row back. */
function restore(db: Db, row: ActionRow): void {
  db.prepare(
    'UPDATE edge_reload_actions SET argv = ?, program = ?, approved_sha256 = ?, approved_mac = ?, approved_at = ?, approved_by = ?, legacy_command = ? WHERE id = ?',
  ).run(row.argv, row.program, row.approved_sha256, row.approved_mac, row.approved_at, row.approved_by, row.legacy_command, row.id);
}

/** A service on the real keychain whose custom argv A (`touch MARKER`) was approved and published once; the marker is then removed. */
async function approvedOnce() {
  const t = await withIssuingCa({ keychain: true });
  const ctx = (t.service as unknown as { ctx: CoreContext }).ctx;
  const work = tempDir();
  const dir = join(work, 'bundle');
  const marker = join(work, 'a-ran');
  const publish = () =>
    t.service.publishEdge({ ca: 'Test Issuing', dir, settings: edgeSettings({ bundleDir: dir }), reload: { preset: 'custom' } });
  await t.service.approveCustomReload(['touch', marker], 'cli');
  expect((await publish()).reload).toMatchObject({ argv: [['touch', marker]], status: 0 });
  expect(existsSync(marker)).toBe(true);
  rmSync(marker);
  const rowA = customRow(t.service.db as unknown as Db);
  return { t, ctx, dir, marker, publish, rowA, work };
}

/** Publish and the background replay both refuse the restored row: no marker, no publication, no new bundle, no row changed. */
async function expectRefused(s: Awaited<ReturnType<typeof approvedOnce>>, reason: RegExp): Promise<void> {
  const db = s.t.service.db as unknown as Db;
  const crlBefore = readFileSync(join(s.dir, 'crl.pem'), 'utf8');
  const before = { publications: count(db, 'edge_publications'), actions: actions(db) };
  const refused = s.publish();
  await expect(refused).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED', field: 'reload' });
  await expect(refused).rejects.toThrow(reason);
  await expect(refused).rejects.toThrow(/Nothing was run or written.*certdesk edge reload set/);
  expect({ publications: count(db, 'edge_publications'), actions: actions(db) }).toEqual(before);

  // A new CRL makes the edge bundle out of date: the rotation's replay would publish it, and refuses first.
  await s.t.service.generateCrl({ ca: 'Test Issuing' });
  const beforeReplay = { publications: count(db, 'edge_publications'), actions: actions(db), audit: count(db, 'audit_log') };
  await expect(republishIfChanged(s.ctx, s.t.service.crls, s.t.issuingId)).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED' });
  expect(existsSync(s.marker)).toBe(false);
  expect(readFileSync(join(s.dir, 'crl.pem'), 'utf8')).toBe(crlBefore);
  expect({ publications: count(db, 'edge_publications'), actions: actions(db), audit: count(db, 'audit_log') }).toEqual(beforeReplay);
}

describe('edge reload: only the latest approval runs', () => {
  it('approve A, approve B, restore A by SQL: refused at publish and at replay, also after a restart; B still runs', async () => {
    const s = await approvedOnce();
    const markerB = join(s.work, 'b-ran');
    await s.t.service.approveCustomReload(['touch', markerB], 'cli');
    const rowB = customRow(s.t.service.db as unknown as Db);
    expect(rowB.id).toBe(s.rowA.id);
    // The keychain records B's MAC for this action, and nothing else.
    const item = await s.t.secretStore.get(reloadApprovalsAccount(s.t.service.vault.storeId()));
    expect(JSON.parse(Buffer.from(item!).toString('utf8'))).toMatchObject({ approvals: { [String(rowB.id)]: rowB.approved_mac } });

    restore(s.t.service.db as unknown as Db, s.rowA);
    await s.t.service.reloadApprovalReady();
    expect(s.t.service.edgeReloadConfig(true).custom).toMatchObject({
      argv: ['touch', s.marker],
      approved: false,
      reason: expect.stringMatching(/older approval restored/),
    });
    await expectRefused(s, /older approval restored from a copy of the database/);

    // A new process reads the record from the keychain, not from memory: still refused.
    s.t.service.close();
    await s.t.service.audit.settle();
    s.t.reopen();
    s.ctx = (s.t.service as unknown as { ctx: CoreContext }).ctx;
    await expectRefused(s, /older approval restored/);

    // The operator approves again: that argv, and only it, runs.
    await s.t.service.approveCustomReload(['touch', markerB], 'cli');
    expect((await s.publish()).reload).toMatchObject({ argv: [['touch', markerB]], status: 0 });
    expect(existsSync(markerB)).toBe(true);
    expect(existsSync(s.marker)).toBe(false);
  });

  it('approve A, clear, restore A by SQL: the withdrawal is recorded too, so A stays refused', async () => {
    const s = await approvedOnce();
    await s.t.service.clearCustomReload();
    const item = await s.t.secretStore.get(reloadApprovalsAccount(s.t.service.vault.storeId()));
    expect(JSON.parse(Buffer.from(item!).toString('utf8')).approvals).toEqual({});

    restore(s.t.service.db as unknown as Db, s.rowA);
    await s.t.service.reloadApprovalReady();
    expect(s.t.service.edgeReloadConfig(true).custom).toMatchObject({
      approved: false,
      reason: expect.stringMatching(/not an approval the keychain records as current/),
    });
    await expectRefused(s, /withdrawn or replaced and then restored/);
  });
});
