/**
 * The core checks a custom argv itself, not only the hosts' input schemas: a caller that reaches
 * `approveCustomReload` without them (a new host, a script using the service) still cannot approve
 * an argv holding invisible format characters (Unicode Cf), which would make the approval dialog and
 * the audit log show another command than the one that runs. Refused with nothing stored or audited.
 */
import { describe, expect, it } from 'vitest';
import { withIssuingCa } from '../support/pki.ts';

type Db = { prepare(sql: string): { get(...args: unknown[]): unknown; all(...args: unknown[]): unknown[] } };
const snapshot = (db: Db) => ({
  actions: db.prepare('SELECT * FROM edge_reload_actions ORDER BY id').all(),
  audit: (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n,
});

describe('approveCustomReload checks the argv in the core', () => {
  it.each([
    ['a right-to-left override', ['touch', '/tmp/\u202Egpj.exe']],
    ['a zero-width space in the program', ['rm\u200B', '-rf', '/srv/edge']],
    ['a byte order mark', ['\uFEFFnginx', '-s', 'reload']],
    ['a first-strong isolate', ['nginx', '-s', '\u2068reload\u2069']],
  ])('refuses %s, naming the field, with nothing stored', async (_what, argv) => {
    const t = await withIssuingCa();
    const db = t.service.db as unknown as Db;
    await t.service.approveCustomReload(['true'], 'cli');
    const before = snapshot(db);
    const refused = t.service.approveCustomReload(argv, 'cli');
    await expect(refused).rejects.toMatchObject({ code: 'VALIDATION', field: 'argv' });
    await expect(refused).rejects.toThrow(/invisible format character.*Nothing was stored/);
    expect(snapshot(db)).toEqual(before);
    expect(t.service.edgeReloadConfig(true).custom).toMatchObject({ argv: ['true'], approved: true });
  });

  it('refuses control characters and an empty program the same way', async () => {
    const t = await withIssuingCa();
    const db = t.service.db as unknown as Db;
    const before = snapshot(db);
    for (const argv of [['nginx', '-s', 'reload\nrm -rf /'], ['', 'x'], []])
      await expect(t.service.approveCustomReload(argv, 'cli')).rejects.toMatchObject({ code: 'VALIDATION', field: 'argv' });
    expect(snapshot(db)).toEqual(before);
    expect(t.service.edgeReloadConfig(true).custom).toBeNull();
  });
});
