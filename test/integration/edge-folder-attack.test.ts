/**
 * Issue 10 leftovers, M1: `edge:publish` took `dir` and every setting from the caller, so whoever held
 * the web-mode token (or the renderer) could overwrite bundle files in any folder the user can write,
 * and point the edge's upstream at themselves. The folder and the settings are now the operator's,
 * sealed with a keyed MAC. These replay the attack through the real web host and a tampered database:
 * every one is refused with nothing changed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { republishIfChanged } from '../../src/main/core/edge/publish-edge.ts';
import { recordMac } from '../../src/main/core/edge/approval-mac.ts';
import { createHandlers } from '../../src/main/host/dispatch.ts';
import { edgeSettings } from '../support/edge-settings.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';
import { edgeCounts, webRpc } from '../support/web-rpc.ts';

describe("edge folder and settings: the operator's, not the caller's", () => {
  it('refuses a caller-chosen folder and unapproved settings over the web host, with no file written and no row added', async () => {
    const t = await withIssuingCa();
    const rpc = await webRpc(createHandlers(t.service));
    const victim = tempDir(); // stands for ~/.ssh, a web root, another nginx's conf.d
    const settings = edgeSettings();
    const before = edgeCounts(t.service.db);

    const chosen = await rpc('edge:publish', { ca: 'Test Issuing', dir: victim, settings });
    expect(chosen).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'dir' } });
    expect(chosen.error?.message).toContain('configured edge folder');

    // No folder configured yet: web mode cannot pick one, and says what the operator runs.
    const unset = await rpc('edge:publish', { ca: 'Test Issuing', settings });
    expect(unset).toMatchObject({ ok: false, error: { code: 'EDGE_FOLDER_NOT_SET', field: 'dir' } });
    expect(unset.error?.message).toContain('certdesk edge folder set DIR');
    expect(await rpc('edge:folder-set', { dir: victim })).toMatchObject({
      ok: false,
      error: { code: 'EDGE_FOLDER_NOT_SET', field: 'dir' },
    });
    expect(await rpc('edge:settings-approve', { settings: edgeSettings({ upstream: 'https://attacker.example' }) })).toMatchObject({
      ok: false,
      error: { code: 'EDGE_SETTINGS_NOT_APPROVED', field: 'settings' },
    });
    // Plain http off this machine is refused by its own rule, naming the field.
    const cleartext = await rpc('edge:preview', { ca: 'Test Issuing', settings: edgeSettings({ upstream: 'http://attacker.example' }) });
    expect(cleartext).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'upstream' } });

    expect(readdirSync(victim)).toEqual([]);
    expect(edgeCounts(t.service.db)).toEqual(before);
    expect(await rpc('edge:config-show', {})).toMatchObject({
      ok: true,
      value: { folder: null, settings: null, canChooseFolder: false, canApprove: false },
    });
  });

  it('publishes to the configured folder with the approved settings only; another upstream is refused by name', async () => {
    const t = await withIssuingCa();
    const rpc = await webRpc(createHandlers(t.service));
    const folder = join(tempDir(), 'edge');
    const settings = edgeSettings();
    // The operator, on this machine (what `certdesk edge folder set` and `certdesk edge settings set` call).
    await t.service.setEdgeFolder(folder, 'cli');
    await t.service.approveEdgeSettings(settings, 'cli', 'Test Issuing');
    const before = edgeCounts(t.service.db);

    for (const [field, value] of [
      ['upstream', 'https://attacker.example'],
      ['cnameApiKeyInclude', '/etc/edge/other/cname.conf'],
      ['serverCertificatePath', '/etc/edge/evil.pem'],
    ] as const) {
      const redirected = await rpc('edge:publish', { ca: 'Test Issuing', settings: { ...settings, [field]: value } });
      expect(redirected).toMatchObject({ ok: false, error: { code: 'EDGE_SETTINGS_NOT_APPROVED', field } });
      expect(redirected.error?.message).toContain('certdesk edge settings set');
    }
    expect(existsSync(folder)).toBe(false);
    expect(edgeCounts(t.service.db)).toEqual(before);

    const published = await rpc('edge:publish', { ca: 'Test Issuing', settings });
    expect(published).toMatchObject({ ok: true });
    expect(readdirSync(folder).sort()).toEqual(['README.md', 'ca-bundle.pem', 'certdesk-edge.conf', 'crl.pem']);
    expect(readFileSync(join(folder, 'certdesk-edge.conf'), 'utf8')).toContain('proxy_pass https://tenant.example;');
  });

  it('refuses a folder or upstream edited in SQLite, with the MAC recomputed under another key, at publish and at a rotation replay', async () => {
    const t = await withIssuingCa();
    const rpc = await webRpc(createHandlers(t.service));
    const folder = join(tempDir(), 'edge');
    const settings = edgeSettings();
    await t.service.publishEdge({ ca: 'Test Issuing', dir: folder, settings });
    // What a caller reads back is what it may send again: a setting left out is absent, not null.
    const shown = (await rpc('edge:config-show', {})) as { ok: true; value: { settings: Record<string, unknown> } };
    expect(shown.value.settings).not.toHaveProperty('accessLog');
    expect(shown.value.settings.upstream).toBe(settings.upstream);
    const victim = tempDir();
    const evil = { ...JSON.parse((t.service.db.prepare('SELECT settings FROM edge_config').get() as { settings: string }).settings) };
    evil.upstream = 'https://attacker.example';
    // Stored settings spell a setting left out as null (accessLog); a caller sends it absent.
    for (const [key, value] of Object.entries(evil)) if (value === null) delete evil[key];
    const row = t.service.db.prepare('SELECT * FROM edge_config').get() as Record<string, string>;
    const forged = {
      v: 1,
      folder: victim,
      folderSetAt: row.folder_set_at,
      folderSetBy: 'cli',
      settings: JSON.stringify(evil),
      settingsApprovedAt: row.settings_approved_at,
      settingsApprovedBy: 'cli',
    };
    t.service.db
      .prepare('UPDATE edge_config SET folder = ?, settings = ?, approved_mac = ?')
      .run(victim, JSON.stringify(evil), recordMac(randomBytes(32), 'certdesk-edge-config-approval', forged));
    // The last publication, too, as a restored database would have it.
    t.service.db
      .prepare('UPDATE edge_publications SET dir = ?, settings = ?, bundle_sha256 = ?')
      .run(victim, JSON.stringify(evil), 'stale');
    const before = edgeCounts(t.service.db);
    const filesBefore = readdirSync(folder).sort();

    const web = await rpc('edge:publish', { ca: 'Test Issuing', settings: evil });
    expect(web).toMatchObject({ ok: false, error: { code: 'EDGE_SETTINGS_NOT_APPROVED' } });
    expect(web.error?.message).toContain('no longer match what the operator approved');
    await expect(republishIfChanged(t.service.edgeContext(), t.service.crls, t.issuingId)).rejects.toMatchObject({
      code: 'EDGE_SETTINGS_NOT_APPROVED',
    });
    expect(await rpc('edge:config-show', {})).toMatchObject({ ok: true, value: { approved: false } });

    expect(readdirSync(victim)).toEqual([]);
    expect(readdirSync(folder).sort()).toEqual(filesBefore);
    expect(edgeCounts(t.service.db)).toEqual(before);
  });

  it('refuses a rotation replay of a publication whose folder was moved in SQLite while the approval still holds', async () => {
    const t = await withIssuingCa();
    const folder = join(tempDir(), 'edge');
    await t.service.publishEdge({ ca: 'Test Issuing', dir: folder, settings: edgeSettings() });
    const victim = join(tempDir(), 'other');
    mkdirSync(victim);
    t.service.db.prepare('UPDATE edge_publications SET dir = ?, bundle_sha256 = ?').run(victim, 'stale');
    const before = edgeCounts(t.service.db);
    await expect(republishIfChanged(t.service.edgeContext(), t.service.crls, t.issuingId)).rejects.toMatchObject({
      code: 'EDGE_SETTINGS_NOT_APPROVED',
      field: 'dir',
    });
    expect(readdirSync(victim)).toEqual([]);
    expect(edgeCounts(t.service.db)).toEqual(before);
  });
});
