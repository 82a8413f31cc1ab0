import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/main/core/clock.ts';
import { x509 } from '../../src/main/core/pki/x509.ts';
import { CA_KEY_TYPES } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('root and issuing CAs', () => {
  it.each(CA_KEY_TYPES)('%s: a root and an issuing CA that openssl verify -x509_strict accepts', async (keyType) => {
    const t = openTestService();
    const root = await t.service.createAuthority({ name: `Root ${keyType}`, organization: 'Acme, Inc.', country: 'US', keyType });
    const issuing = await t.service.createAuthority({ name: `Issuing ${keyType}`, parent: root.id, keyType });
    const dir = tempDir();
    writeFileSync(join(dir, 'root.pem'), root.pem);
    writeFileSync(join(dir, 'issuing.pem'), issuing.pem);
    const verify = openssl(['verify', '-x509_strict', '-CAfile', join(dir, 'root.pem'), join(dir, 'issuing.pem')]);
    expect(verify.output).toContain('issuing.pem: OK');
    expect(verify.status).toBe(0);
    // Root verifies against itself, also strictly.
    expect(openssl(['verify', '-x509_strict', '-CAfile', join(dir, 'root.pem'), join(dir, 'root.pem')]).status).toBe(0);
    expect(root.keyType).toBe(keyType);
  });

  it('sets the CA extensions, validity and names exactly', async () => {
    const t = openTestService({ clock: fixedClock(NOW) });
    const root = await t.service.createAuthority({ name: 'Acme Root CA', organization: 'Acme', country: 'US', years: 20 });
    const issuing = await t.service.createAuthority({ name: 'Acme Issuing CA', parent: 'acme root ca' });
    const r = new x509.X509Certificate(root.pem);
    const i = new x509.X509Certificate(issuing.pem);
    expect(r.notBefore.toISOString()).toBe('2026-11-25T11:59:00.000Z');
    expect(r.notAfter.toISOString()).toBe('2046-11-25T12:00:00.000Z');
    expect(i.notAfter.toISOString()).toBe('2031-11-25T12:00:00.000Z');
    const rBasic = r.getExtension(x509.BasicConstraintsExtension);
    expect(rBasic?.ca).toBe(true);
    expect(rBasic?.critical).toBe(true);
    expect(rBasic?.pathLength).toBeUndefined();
    const iBasic = i.getExtension(x509.BasicConstraintsExtension);
    expect(iBasic?.pathLength).toBe(0);
    expect(issuing.pathLength).toBe(0);
    const ku = i.getExtension(x509.KeyUsagesExtension);
    expect(ku?.critical).toBe(true);
    expect(ku?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    const aki = i.getExtension(x509.AuthorityKeyIdentifierExtension);
    const rootSki = r.getExtension(x509.SubjectKeyIdentifierExtension);
    expect(aki?.keyId).toBe(rootSki?.keyId);
    expect(root.subject).toBe('CN=Acme Root CA,O=Acme,C=US');
    expect(root.subjectLines).toBe('C=US\nO=Acme\nCN=Acme Root CA');
    expect(issuing.issuer).toBe(root.subject);
    expect(issuing.parentId).toBe(root.id);
    expect(root.serialHex).toMatch(/^[0-7][0-9a-f]{31}$/);
    const node = new X509Certificate(root.pem);
    expect(node.fingerprint256.replaceAll(':', '').toLowerCase()).toBe(root.sha256Hex);
  });

  it('caps a default validity to the parent, and refuses an explicit one that outlives it', async () => {
    const t = openTestService({ clock: fixedClock(NOW) });
    const root = await t.service.createAuthority({ name: 'Short Root', years: 3 });
    const issuing = await t.service.createAuthority({ name: 'Issuing', parent: root.id });
    expect(issuing.notAfter).toBe(root.notAfter);
    await expect(t.service.createAuthority({ name: 'Issuing 2', parent: root.id, years: 4 })).rejects.toMatchObject({
      code: 'VALIDITY_OUT_OF_RANGE',
      field: 'years',
    });
  });

  it('reports progress for the slow steps', async () => {
    const t = openTestService();
    await t.service.createAuthority({ name: 'Root', progressId: 'p1' });
    const progress = t.events.filter((e) => e.type === 'progress');
    expect(progress.map((e) => [e.progressId, e.step, e.total])).toEqual([
      ['p1', 1, 4],
      ['p1', 2, 4],
      ['p1', 3, 4],
      ['p1', 4, 4],
    ]);
    expect(progress[0]?.label).toMatch(/Generating the ECDSA P-256 key/);
  });
});
