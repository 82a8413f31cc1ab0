/**
 * Issue 10, finding 1: `edge:publish` used to take a shell line, run it with `sh -c`, store it and
 * replay it from rotations. Whoever could call a channel ran any command. These replay the attack
 * against the real web host and a tampered database: every one is refused with nothing changed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { osActor } from '../../src/main/core/audit/actor.ts';
import { republishIfChanged } from '../../src/main/core/edge/publish-edge.ts';
import type { CoreContext } from '../../src/main/core/context.ts';
import { createHandlers } from '../../src/main/host/dispatch.ts';
import { startWebHost } from '../../src/main/web/host.ts';
import type { EdgeSettings } from '../../src/shared/contract/index.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';
import { edgeSettings } from '../support/edge-settings.ts';

function settingsFor(bundleDir: string): EdgeSettings {
  return edgeSettings({ bundleDir });
}

/** The real web host over HTTP, with its token, as the renderer (or anything holding the token) calls it. */
async function webHost(handlers: ReturnType<typeof createHandlers>) {
  const staticDir = tempDir();
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>certdesk</title>');
  const host = await startWebHost({ handlers, staticDir, log: () => {} });
  onTestFinished(() => host.close());
  return (channel: string, input: unknown) =>
    new Promise<{ ok: boolean; value?: unknown; error?: { code: string; field?: string; message: string } }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: `/rpc/${encodeURIComponent(channel)}`,
          headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve(JSON.parse(body)));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(input));
    });
}

const count = (t: { service: { db: { prepare(sql: string): { get(): unknown } } } }, table: string) =>
  (t.service.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('edge reload: no command from a channel', () => {
  it('refuses a shell payload, a crafted container and a custom argv over the web host, with nothing run, written or stored', async () => {
    const t = await withIssuingCa();
    const work = tempDir();
    const marker = join(work, 'pwned');
    const dir = join(work, 'bundle');
    const rpc = await webHost(createHandlers(t.service));
    const before = { publications: count(t, 'edge_publications'), actions: count(t, 'edge_reload_actions'), audit: count(t, 'audit_log') };

    const shell = await rpc('edge:publish', {
      ca: 'Test Issuing',
      dir,
      settings: settingsFor(dir),
      reloadCommand: `touch ${marker}; touch ${marker}-2`,
    });
    expect(shell).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'reloadCommand' } });
    expect(shell.error?.message).toContain('reload.preset');

    const container = await rpc('edge:publish', {
      ca: 'Test Issuing',
      dir,
      settings: settingsFor(dir),
      reload: { preset: 'docker', container: `edge; touch ${marker}` },
    });
    expect(container).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'reload.container' } });

    const smuggled = await rpc('edge:publish', {
      ca: 'Test Issuing',
      dir,
      settings: settingsFor(dir),
      reload: { preset: 'nginx', argv: ['touch', marker] },
    });
    expect(smuggled).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    // The web host cannot ask the operator: a custom argv is never stored from here.
    const set = await rpc('edge:reload-set', { argv: ['touch', marker] });
    expect(set).toMatchObject({ ok: false, error: { code: 'RELOAD_APPROVAL_UNAVAILABLE', field: 'argv' } });
    // No dir: the web host may not name one (refused by name, edge-folder-attack.test.ts).
    const custom = await rpc('edge:publish', { ca: 'Test Issuing', settings: settingsFor(dir), reload: { preset: 'custom' } });
    expect(custom).toMatchObject({ ok: false, error: { code: 'RELOAD_NOT_APPROVED', field: 'reload' } });
    expect(await rpc('edge:reload-show', {})).toEqual({ ok: true, value: { custom: null, canApprove: false } });

    expect(existsSync(marker)).toBe(false);
    expect(existsSync(`${marker}-2`)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect({ publications: count(t, 'edge_publications'), actions: count(t, 'edge_reload_actions'), audit: count(t, 'audit_log') }).toEqual(
      before,
    );
  });

  it('lets the web host withdraw a custom argv (it only takes a permission away), audited under the OS actor each time', async () => {
    const t = await withIssuingCa();
    const rpc = await webHost(createHandlers(t.service));
    await t.service.approveCustomReload(['true'], 'cli');
    const lastAudit = () =>
      t.service.db.prepare('SELECT actor, action, details FROM audit_log ORDER BY seq DESC LIMIT 1').get() as {
        actor: string;
        action: string;
        details: string;
      };
    const before = count(t, 'audit_log');

    expect(await rpc('edge:reload-clear', {})).toEqual({ ok: true, value: { custom: null, canApprove: false } });
    expect(count(t, 'audit_log')).toBe(before + 1);
    expect(lastAudit()).toMatchObject({ actor: osActor(), action: 'edge.reload.clear' });
    expect(JSON.parse(lastAudit().details)).toEqual({ argv: ['true'], withdrawn: true });

    // Nothing left to withdraw: still a record of who asked.
    expect(await rpc('edge:reload-clear', {})).toEqual({ ok: true, value: { custom: null, canApprove: false } });
    expect(count(t, 'audit_log')).toBe(before + 2);
    expect(lastAudit()).toMatchObject({ actor: osActor(), action: 'edge.reload.clear' });
    expect(JSON.parse(lastAudit().details)).toEqual({ argv: [], withdrawn: false });
  });

  it('refuses a custom argv edited in SQLite, at publish and at a rotation replay, until it is approved again', async () => {
    const t = await withIssuingCa();
    const ctx = (t.service as unknown as { ctx: CoreContext }).ctx;
    const work = tempDir();
    const dir = join(work, 'bundle');
    const marker = join(work, 'pwned');
    const approvedMarker = join(work, 'reloaded');
    await t.service.approveCustomReload(['true'], 'cli');
    const first = await t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settingsFor(dir), reload: { preset: 'custom' } });
    expect(first.reload).toMatchObject({ argv: [['true']], status: 0, timedOut: false });

    // Someone with the database file swaps the argv for their own.
    t.service.db.prepare("UPDATE edge_reload_actions SET argv = ? WHERE kind = 'custom'").run(JSON.stringify([['touch', marker]]));
    expect(t.service.edgeReloadConfig(true).custom).toMatchObject({ argv: ['touch', marker], approved: false });
    const crlBefore = readFileSync(join(dir, 'crl.pem'), 'utf8');
    const before = { publications: count(t, 'edge_publications'), audit: count(t, 'audit_log') };

    await expect(
      t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settingsFor(dir), reload: { preset: 'custom' } }),
    ).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED', field: 'reload' });
    // A new CRL makes the bundle out of date: the rotation's replay would publish, and is refused first.
    await t.service.generateCrl({ ca: 'Test Issuing' });
    const after = { publications: count(t, 'edge_publications'), audit: count(t, 'audit_log') };
    await expect(republishIfChanged(ctx, t.service.crls, t.issuingId)).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED' });
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(join(dir, 'crl.pem'), 'utf8')).toBe(crlBefore);
    expect(before.publications).toBe(1);
    expect({ publications: count(t, 'edge_publications'), audit: count(t, 'audit_log') }).toEqual(after);

    // Approved again by the operator, the replay runs the new argv and publishes.
    await t.service.approveCustomReload(['touch', approvedMarker], 'cli');
    const replay = await republishIfChanged(ctx, t.service.crls, t.issuingId);
    expect(replay).toMatchObject({ published: true, result: { reload: { argv: [['touch', approvedMarker]], status: 0 } } });
    expect(existsSync(approvedMarker)).toBe(true);
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(join(dir, 'crl.pem'), 'utf8')).not.toBe(crlBefore);
  });

  it('runs an argv as it is, without a shell, and kills one that outlives its timeout', async () => {
    const t = await withIssuingCa();
    const ctx = (t.service as unknown as { ctx: CoreContext }).ctx;
    const work = tempDir();
    const marker = join(work, 'pwned');
    await t.service.approveCustomReload(['echo', `a; touch ${marker}`, '$(id)'], 'cli');
    const dir = join(work, 'bundle');
    const echoed = await t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settingsFor(dir), reload: { preset: 'custom' } });
    expect(echoed.reload).toMatchObject({ status: 0, output: `a; touch ${marker} $(id)\n` });
    expect(existsSync(marker)).toBe(false);

    await t.service.approveCustomReload(['sleep', '30'], 'cli');
    const { publishEdge } = await import('../../src/main/core/edge/publish-edge.ts');
    const slow = await publishEdge(
      ctx,
      t.service.crls,
      { ca: 'Test Issuing', dir, settings: settingsFor(dir), reload: { preset: 'custom' } },
      {
        reload: { timeoutMs: 300 },
      },
    );
    expect(slow.reload).toMatchObject({ argv: [['sleep', '30']], timedOut: true, status: -1 });
    expect(t.service.edgeHistory({ limit: 1 })[0]).toMatchObject({ reloadArgv: [['sleep', '30']], reloadTimedOut: true, reloadStatus: -1 });
  });
});
