/**
 * `certdesk edge reload set -- ARGV…` is the operator's own, explicit choice of a custom reload:
 * stored as an argv, run without a shell, audited whole (argv, exit status, duration, timeout).
 */
import { inProcessCliStore } from '../support/cli-store.ts';
import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The CLI in-process (the same parsing and dispatch as the binary), on a real SQLite store. */
const store = () => inProcessCliStore();

describe('certdesk edge reload', () => {
  it('stores the argv typed after --, runs it on export, audits it whole, and refuses it once edited in the database', async () => {
    const { dir, run, human } = await store();
    const marker = join(dir, 'reloaded');
    const script = `touch '${marker}'; echo reloaded`;
    const set = await run('edge', 'reload', 'set', '--', '/bin/sh', '-c', script);
    expect(set.code, set.stderr).toBe(0);
    expect(set.json).toMatchObject({ custom: { argv: ['/bin/sh', '-c', script], approved: true, approvedBy: 'cli', legacyCommand: null } });
    expect((await run('edge', 'reload', 'show')).json).toEqual(set.json);
    expect(existsSync(marker)).toBe(false);

    const out = join(dir, 'bundle');
    const base = ['edge', 'export', '--out', out, '--ca', 'CLI Issuing', '--server-name', 'auth.example.com'];
    const rest = [
      '--upstream',
      'https://tenant.example',
      '--server-cert',
      '/etc/edge/server.pem',
      '--server-key',
      '/etc/edge/server.key',
      '--cname-api-key-file',
      '/etc/edge/secret/cname.conf',
    ];
    const exported = await run(...base, ...rest, '--reload', 'custom');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.json).toMatchObject({
      reload: { argv: [['/bin/sh', '-c', script]], status: 0, timedOut: false, output: 'reloaded\n' },
    });
    expect(existsSync(marker)).toBe(true);

    const db = new BetterSqlite3(join(dir, 'certdesk.sqlite3'));
    const audit = (action: string) =>
      (db.prepare('SELECT details FROM audit_log WHERE action = ? ORDER BY seq').all(action) as { details: string }[]).map(
        (row) => JSON.parse(row.details) as Record<string, unknown>,
      );
    expect(audit('edge.reload.approve')).toEqual([expect.objectContaining({ argv: ['/bin/sh', '-c', script], approvedBy: 'cli' })]);
    const [publish] = audit('edge.publish');
    expect(publish?.reload).toMatchObject({ argv: [['/bin/sh', '-c', script]], status: 0, timedOut: false });
    expect(typeof (publish?.reload as { durationMs: unknown }).durationMs).toBe('number');

    // Edited behind certdesk's back: shown as not approved, refused by name, nothing run or published.
    const second = join(dir, 'second');
    db.prepare("UPDATE edge_reload_actions SET argv = ? WHERE kind = 'custom'").run(JSON.stringify([['touch', second]]));
    const publications = () => (db.prepare('SELECT count(*) AS n FROM edge_publications').get() as { n: number }).n;
    const before = publications();
    const shown = await human('edge', 'reload', 'show');
    expect(shown.stdout).toContain('NOT APPROVED');
    const refused = await run(...base, ...rest, '--reload', 'custom');
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ error: { code: 'RELOAD_NOT_APPROVED', field: 'reload' } });
    expect(existsSync(second)).toBe(false);
    expect(publications()).toBe(before);

    // Cleared: nothing left to run.
    expect((await run('edge', 'reload', 'clear')).json).toEqual({ custom: null, canApprove: true });
    db.close();
    expect((await run('audit', 'verify')).json).toMatchObject({ ok: true });
  });

  it('refuses an argv carrying bidi or zero-width characters, which would make the approval read as another command', async () => {
    const { dir, run } = await store();
    const db = new BetterSqlite3(join(dir, 'certdesk.sqlite3'));
    const rows = () =>
      db
        .prepare("SELECT (SELECT count(*) FROM edge_reload_actions) r, (SELECT count(*) FROM audit_log WHERE action LIKE 'edge.reload%') a")
        .get();
    const before = rows();
    const marker = join(dir, 'spoofed');
    // Shown right to left after U+202E, "touch MARKER" reads as a harmless reload; the others hide inside the name.
    for (const code of [0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0xfeff]) {
      const argv = ['touch', `${String.fromCodePoint(code)}${marker}`];
      const refused = await run('edge', 'reload', 'set', '--', ...argv);
      expect(refused.code, code.toString(16)).toBe(1);
      expect(refused.json, code.toString(16)).toMatchObject({ error: { code: 'VALIDATION', field: 'argv.1' } });
      expect((refused.json as { error: { message: string } }).error.message).toContain('invisible format characters');
    }
    expect(rows()).toEqual(before);
    expect((await run('edge', 'reload', 'show')).json).toEqual({ custom: null, canApprove: true });
    expect(existsSync(marker)).toBe(false);
    db.close();
  });
});
