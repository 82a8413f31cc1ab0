/**
 * Issue 12/13 security review: web mode (the renderer, the web token) could publish the edge with any set
 * of issuing CAs, so a CA that arrived from a paired peer or an import reached nginx silently. The set is
 * now part of the operator's MAC-sealed edge approval. Real nginx decides who gets in; every refusal
 * proves nothing changed (bundle bytes and mtimes, publications, audit entries).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approvalSubkey, recordMac } from '../../src/main/core/edge/approval-mac.ts';
import { republishIfChanged } from '../../src/main/core/edge/publish-edge.ts';
import type { CaApprovalRequest } from '../../src/main/core/edge/ca-approval-text.ts';
import type { EdgeOperator } from '../../src/main/core/edge/edge-operator.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { edgeRig } from '../support/edge-rig.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';
import { edgeCounts, webRpc } from '../support/web-rpc.ts';

type T = Awaited<ReturnType<typeof withIssuingCa>>;

/** Every bundle file's bytes and mtime: a refusal leaves all of them as they were. */
function bundleState(dir: string): Record<string, { body: string; mtimeMs: number }> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, { body: readFileSync(join(dir, name), 'utf8'), mtimeMs: statSync(join(dir, name)).mtimeMs }]),
  );
}

async function clientOf(t: T, ca: string, cn: string) {
  const made = opensslCsr([...KEY_ARGS['ec-p256']], `/CN=${cn}`);
  const cert = await t.service.issue({ ca, source: { kind: 'csr', csr: made.csr, useCsrSubject: true } });
  const [leaf, intermediate] = cert.chainPem.split(/(?=-----BEGIN)/);
  return { id: cert.id, cert: `${leaf}${intermediate}`, key: readFileSync(made.keyPath, 'utf8') };
}

async function setup() {
  const t = await withIssuingCa();
  // Stands for a CA that arrived later (a paired signer's bundle, certdesk ca import): certdesk holds it, nginx must not trust it unasked.
  const arrived = await t.service.createAuthority({ name: 'Arrived Issuing', parent: t.rootId, keyType: 'ec-p256' });
  const rig = await edgeRig();
  const rpc = await webRpc(createHandlers(t.service));
  const shaOf = (id: string) => t.service.authorities.get(id, 'ca').sha256Hex;
  return { t, arrived, rig, rpc, shaOf, bundle: rig.settings.bundleDir };
}

describe('the issuing CAs of the edge are part of the operator approval', () => {
  it('refuses a CA added from the web host with nothing changed; the approved set republishes, a narrower one too', async () => {
    const { t, arrived, rig, rpc, shaOf, bundle } = await setup();
    const good = await clientOf(t, 'Test Issuing', 'approved-client');
    const stranger = await clientOf(t, 'Arrived Issuing', 'arrived-client');
    // The operator's publication (the CLI's edge export) approves its set with the folder and settings.
    await t.service.publishEdge({ ca: 'Test Issuing', dir: bundle, settings: rig.settings });
    const nginx = await rig.start();
    const call = rig.token;
    expect(await call(good), nginx.errorLog()).toMatchObject({ status: 200 });
    expect(await call(stranger)).toMatchObject({ status: 400 });
    expect(await rpc('edge:config-show', {})).toMatchObject({
      ok: true,
      value: {
        approvedCas: {
          source: 'approved',
          approvedBy: 'cli',
          authorities: [{ name: 'Test Issuing', id: t.issuingId, sha256: shaOf(t.issuingId) }],
        },
      },
    });

    const files = bundleState(bundle);
    const counts = edgeCounts(t.service.db);
    for (const ca of [['Test Issuing', 'Arrived Issuing'], 'Arrived Issuing', [arrived.id, t.issuingId]]) {
      const added = await rpc('edge:publish', { ca, settings: rig.settings, reload: { preset: 'nginx' } });
      expect(added).toMatchObject({ ok: false, error: { code: 'EDGE_CAS_NOT_APPROVED', field: 'ca' } });
      expect(added.error?.message).toContain(`"Arrived Issuing" (SHA-256 ${shaOf(arrived.id).slice(0, 16)}…) is not among the issuing CAs`);
      expect(added.error?.message).toContain('certdesk edge settings set … --ca NAME');
      expect(added.error?.message).toContain('approval dialog of the desktop app');
    }
    // Swapping the approved CA for the arrived one names both.
    const swapped = await rpc('edge:publish', { ca: 'Arrived Issuing', settings: rig.settings });
    expect(swapped.error?.message).toContain('the set would also drop "Test Issuing"');
    expect(bundleState(bundle)).toEqual(files);
    expect(edgeCounts(t.service.db)).toEqual(counts);
    await nginx.reload();
    expect(await call(stranger)).toMatchObject({ status: 400 });

    // The common case: the approved set again from the page (a new CRL after a revocation), no approval asked.
    await t.service.revoke({ cert: good.id, reason: 'keyCompromise' });
    expect(await rpc('edge:publish', { ca: 'Test Issuing', settings: rig.settings })).toMatchObject({ ok: true });
    await nginx.reload();
    expect(await call(good)).toMatchObject({ status: 400 });

    // The operator approves the wider set (edge settings set … --ca A --ca B): then the page may publish it.
    await t.service.approveEdgeSettings(rig.settings, 'cli', ['Test Issuing', 'Arrived Issuing']);
    expect(await rpc('edge:publish', { ca: ['Test Issuing', 'Arrived Issuing'], settings: rig.settings })).toMatchObject({ ok: true });
    await nginx.reload();
    expect(await call(stranger)).toMatchObject({ status: 200 });

    // Narrowing (a CA retired) only removes trust: allowed from the page, and the approval stays as the operator left it.
    expect(await rpc('edge:publish', { ca: 'Test Issuing', settings: rig.settings })).toMatchObject({ ok: true });
    await nginx.reload();
    expect(await call(stranger)).toMatchObject({ status: 400 });
    const shown = (await rpc('edge:config-show', {})) as { value: { approvedCas: { authorities: Array<{ name: string }> } } };
    expect(shown.value.approvedCas.authorities.map((ca) => ca.name).sort()).toEqual(['Arrived Issuing', 'Test Issuing']);
    expect(t.service.listAudit({ kinds: ['edge.cas.approve'], offset: 0, limit: 10 }).total).toBe(2);
  });

  it('refuses every publication once the sealed CA set is edited or removed in SQLite, at the page and at a republish', async () => {
    const { t, arrived, rig, rpc, shaOf, bundle } = await setup();
    await t.service.publishEdge({ ca: 'Test Issuing', dir: bundle, settings: rig.settings });
    const sealed = (t.service.db.prepare("SELECT value FROM settings WHERE key = 'edge.approved_cas'").get() as { value: string }).value;
    const files = bundleState(bundle);
    const widened = JSON.parse(sealed) as { sha256s: string[] };
    widened.sha256s = [...widened.sha256s, shaOf(arrived.id)].sort();
    for (const tamper of [
      () => t.service.db.prepare("UPDATE settings SET value = ? WHERE key = 'edge.approved_cas'").run(JSON.stringify(widened)),
      () => t.service.db.prepare("DELETE FROM settings WHERE key = 'edge.approved_cas'").run(),
    ]) {
      tamper();
      // A new CRL makes the bundle stale, so the republish a rotation or a begun CRL makes would write.
      await t.service.generateCrl({ ca: 'Test Issuing' });
      const counts = edgeCounts(t.service.db);
      for (const ca of ['Test Issuing', ['Test Issuing', 'Arrived Issuing']]) {
        const refused = await rpc('edge:publish', { ca, settings: rig.settings });
        expect(refused).toMatchObject({ ok: false, error: { code: 'EDGE_SETTINGS_NOT_APPROVED' } });
        expect(refused.error?.message).toContain('folder, settings or issuing CAs no longer match what the operator approved');
      }
      await expect(republishIfChanged(t.service.edgeContext(), t.service.crls, t.issuingId)).rejects.toMatchObject({
        code: 'EDGE_SETTINGS_NOT_APPROVED',
      });
      expect(await rpc('edge:config-show', {})).toMatchObject({ ok: true, value: { approved: false, approvedCas: null } });
      expect(bundleState(bundle)).toEqual(files);
      expect(edgeCounts(t.service.db)).toEqual(counts);
      t.service.db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('edge.approved_cas', ?)").run(sealed);
    }
    // Put back byte for byte, the seal holds again.
    expect(await rpc('edge:publish', { ca: 'Test Issuing', settings: rig.settings })).toMatchObject({ ok: true });
  });

  it('keeps an edge approved before CA sets were sealed working: its last publication stands for the set', async () => {
    const { t, rig, rpc, bundle } = await setup();
    // No publication and no set: the page cannot pick the first CAs nginx trusts.
    await t.service.setEdgeFolder(bundle, 'cli');
    await t.service.approveEdgeSettings(rig.settings, 'cli');
    const empty = edgeCounts(t.service.db);
    const first = await rpc('edge:publish', { ca: 'Test Issuing', settings: rig.settings });
    expect(first).toMatchObject({ ok: false, error: { code: 'EDGE_CAS_NOT_APPROVED', field: 'ca' } });
    expect(first.error?.message).toContain('No issuing CAs are approved for the edge yet');
    expect(edgeCounts(t.service.db)).toEqual(empty);
    expect(() => readdirSync(bundle)).toThrow();

    // As an older certdesk left it: a publication, and a v1 row (no CA set) sealed under the same key.
    await t.service.publishEdge({ ca: 'Test Issuing', dir: bundle, settings: rig.settings });
    const row = t.service.db.prepare('SELECT * FROM edge_config').get() as Record<string, string | null>;
    const key = approvalSubkey(t.service.edgeContext().audit, 'edge-config-approval');
    if (!('key' in key)) throw new Error(key.problem);
    const v1 = {
      v: 1,
      folder: row.folder,
      folderSetAt: row.folder_set_at,
      folderSetBy: row.folder_set_by,
      settings: row.settings,
      settingsApprovedAt: row.settings_approved_at,
      settingsApprovedBy: row.settings_approved_by,
    };
    t.service.db.prepare("DELETE FROM settings WHERE key = 'edge.approved_cas'").run();
    t.service.db.prepare('UPDATE edge_config SET approved_mac = ?').run(recordMac(key.key, 'certdesk-edge-config-approval', v1));
    expect(await rpc('edge:config-show', {})).toMatchObject({
      ok: true,
      value: { approved: true, approvedCas: { source: 'last-publication', approvedBy: null, authorities: [{ name: 'Test Issuing' }] } },
    });
    expect(await rpc('edge:publish', { ca: 'Test Issuing', settings: rig.settings })).toMatchObject({ ok: true });
    const files = bundleState(bundle);
    const counts = edgeCounts(t.service.db);
    const added = await rpc('edge:publish', { ca: ['Test Issuing', 'Arrived Issuing'], settings: rig.settings });
    expect(added).toMatchObject({ ok: false, error: { code: 'EDGE_CAS_NOT_APPROVED', field: 'ca' } });
    expect(bundleState(bundle)).toEqual(files);
    expect(edgeCounts(t.service.db)).toEqual(counts);
    // A rotation's publish-edge step reuses the last publication's set.
    await t.service.generateCrl({ ca: 'Test Issuing' });
    expect(await republishIfChanged(t.service.edgeContext(), t.service.crls, t.issuingId)).toMatchObject({ published: true });
  });

  it('the desktop app asks in its dialog before a CA is added, and a Cancel changes nothing', async () => {
    const { t, arrived, rig, shaOf, bundle } = await setup();
    await t.service.publishEdge({ ca: 'Test Issuing', dir: bundle, settings: rig.settings }, 'electron-dialog');
    const asked: CaApprovalRequest[] = [];
    let answer = false;
    // Stands in for main's native dialogs only: the answer the operator clicks.
    const operator: EdgeOperator = {
      via: 'electron-dialog',
      typesFolder: false,
      chooseFolder: () => Promise.resolve(null),
      confirmSettings: () => Promise.resolve(false),
      confirmCas: (request) => {
        asked.push(request);
        return Promise.resolve(answer);
      },
    };
    const handlers = createHandlers(t.service, { edgeOperator: operator });
    const publish = (ca: string | string[]) => dispatch(handlers, 'edge:publish', { ca, settings: rig.settings }, () => {});

    // The approved set again: no dialog.
    expect(await publish('Test Issuing')).toMatchObject({ ok: true });
    expect(asked).toEqual([]);
    const files = bundleState(bundle);
    const counts = edgeCounts(t.service.db);
    expect(await publish(['Test Issuing', 'Arrived Issuing'])).toMatchObject({
      ok: false,
      error: { code: 'EDGE_CAS_NOT_APPROVED', field: 'ca', message: expect.stringContaining('not approved in the dialog') },
    });
    expect(asked).toEqual([
      {
        folder: bundle,
        authorities: [
          { name: 'Test Issuing', sha256: shaOf(t.issuingId), change: 'kept' },
          { name: 'Arrived Issuing', sha256: shaOf(arrived.id), change: 'added' },
        ],
      },
    ]);
    expect(bundleState(bundle)).toEqual(files);
    expect(edgeCounts(t.service.db)).toEqual(counts);

    answer = true;
    expect(await publish(['Test Issuing', 'Arrived Issuing'])).toMatchObject({ ok: true });
    expect(await dispatch(handlers, 'edge:config-show', {})).toMatchObject({
      ok: true,
      value: { approvedCas: { source: 'approved', approvedBy: 'electron-dialog' } },
    });
    expect(readFileSync(join(bundle, 'ca-bundle.pem'), 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
  });
});
