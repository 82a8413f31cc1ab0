/**
 * Issue 13: during an issuing-CA rollover the edge trusts the old and the new issuing CA together.
 * Real nginx with the bundle for a set: certificates of either CA pass, a revoked one of either is
 * refused (nginx checks the CRL of every CA in the chain), and a certificate of a third issuing CA
 * under the same root is refused, since its CA is not in the set (and so has no CRL in the bundle).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import type { Result } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { edgeRig } from '../support/edge-rig.ts';
import { count } from '../support/offline-pair.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';

describe('an edge that trusts a set of issuing CAs, in front of real nginx', () => {
  it('admits both CAs of the set, refuses a revoked certificate of either, and a CA outside the set', async () => {
    const t = await withIssuingCa();
    await t.service.createAuthority({ name: 'Next Issuing', parent: t.rootId, keyType: 'ec-p256' });
    await t.service.createAuthority({ name: 'Other Issuing', parent: t.rootId, keyType: 'ec-p256' });
    const client = async (ca: string, cn: string) => {
      const made = opensslCsr([...KEY_ARGS['ec-p256']], `/CN=${cn}`);
      const cert = await t.service.issue({ ca, source: { kind: 'csr', csr: made.csr, useCsrSubject: true } });
      // The leaf and its issuing CA, as a client sends them: nginx must not take the intermediate on the client's word.
      const [leaf, intermediate] = cert.chainPem.split(/(?=-----BEGIN)/);
      return { id: cert.id, cert: `${leaf}${intermediate}`, key: readFileSync(made.keyPath, 'utf8') };
    };
    const oldGood = await client('Test Issuing', 'old-good');
    const oldLost = await client('Test Issuing', 'old-lost');
    const newGood = await client('Next Issuing', 'new-good');
    const newLost = await client('Next Issuing', 'new-lost');
    const stranger = await client('Other Issuing', 'outside-the-set');

    const rig = await edgeRig();
    const publish = () =>
      t.service.publishEdge({ ca: ['Test Issuing', 'Next Issuing'], dir: rig.settings.bundleDir, settings: rig.settings });
    const published = await publish();
    expect(published.authorities).toEqual(['Test Issuing', 'Test Root', 'Next Issuing']);
    expect(Object.keys(published.crlNumbers).sort()).toEqual(['Next Issuing', 'Test Issuing', 'Test Root']);
    const crlFile = join(rig.settings.bundleDir, 'crl.pem');
    expect(readFileSync(crlFile, 'utf8').match(/BEGIN X509 CRL/g)).toHaveLength(3);
    // openssl, as the independent reader, finds the bundle's three CAs and a verifying CRL for each.
    const bundle = join(rig.settings.bundleDir, 'ca-bundle.pem');
    for (const pem of readFileSync(crlFile, 'utf8').split(/(?=-----BEGIN)/))
      expect(openssl(['crl', '-noout', '-CAfile', bundle], pem).output).toContain('verify OK');
    const [history] = t.service.edgeHistory({ limit: 1 });
    expect(history!.authorityIds).toEqual([t.issuingId, t.service.authorities.get('Next Issuing').id]);

    const nginx = await rig.start();
    const call = rig.token;
    for (const c of [oldGood, oldLost, newGood, newLost]) expect(await call(c), nginx.errorLog()).toMatchObject({ status: 200 });
    expect(await call(stranger)).toMatchObject({ status: 400 });
    // Refused for want of its CA's CRL: nginx checks a CRL for every CA in the chain, and the bundle has none for it.
    expect(nginx.errorLog()).toContain('unable to get certificate CRL');

    await t.service.revoke({ cert: oldLost.id, reason: 'keyCompromise' });
    await t.service.revoke({ cert: newLost.id, reason: 'keyCompromise' });
    await publish();
    await nginx.reload();
    expect(await call(oldGood)).toMatchObject({ status: 200 });
    expect(await call(newGood)).toMatchObject({ status: 200 });
    expect(await call(oldLost)).toMatchObject({ status: 400 });
    expect(await call(newLost)).toMatchObject({ status: 400 });
    expect(await call(stranger)).toMatchObject({ status: 400 });
  });

  it('refuses a CA named twice, an empty set and an unknown CA by name, with nothing written, approved or recorded', async () => {
    const t = await withIssuingCa();
    const rig = await edgeRig();
    const before = () => ({
      publications: count(t.service, 'edge_publications'),
      audit: count(t.service, 'audit_log'),
      config: count(t.service, 'edge_config'),
    });
    const start = before();
    await expect(
      t.service.publishEdge({ ca: ['Test Issuing', t.issuingId], dir: rig.settings.bundleDir, settings: rig.settings }),
    ).rejects.toMatchObject({ code: 'VALIDATION', field: 'ca', message: expect.stringContaining('"Test Issuing" is chosen twice') });
    await expect(t.service.publishEdge({ ca: ['Nowhere'], dir: rig.settings.bundleDir, settings: rig.settings })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(t.service.publishEdge({ ca: [], dir: rig.settings.bundleDir, settings: rig.settings })).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'ca',
    });
    // At the channel (web mode, the renderer): the schema refuses before anything is read.
    const handlers = createHandlers(t.service);
    for (const ca of [[], ['Test Issuing', 'Test Issuing'], Array.from({ length: 9 }, (_, i) => `ca${i}`)]) {
      const result = (await dispatch(handlers, 'edge:publish', { ca, settings: rig.settings }, () => {})) as Result<unknown>;
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'ca' } });
    }
    expect(existsSync(rig.settings.bundleDir)).toBe(false);
    expect(before()).toEqual(start);
  });
});
