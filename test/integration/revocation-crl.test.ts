import { describe, expect, it } from 'vitest';
import { openssl } from '../support/openssl.ts';
import { files, withIssuingCa } from '../support/pki.ts';

describe('renew, revoke and CRLs', () => {
  it('revokes, then the CRL verifies with openssl and makes -crl_check fail for that certificate only', async () => {
    const t = await withIssuingCa();
    const good = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'good' }, source: { kind: 'generated' } });
    const bad = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'bad' }, source: { kind: 'generated' } });
    const revoked = await t.service.revoke({ cert: bad.id, reason: 'keyCompromise' });
    expect(revoked.status).toBe('revoked');
    expect(revoked.revocationReason).toBe('keyCompromise');
    const issuingCrl = await t.service.generateCrl({ ca: 'Test Issuing' });
    const rootCrl = await t.service.generateCrl({ ca: 'Test Root' });
    expect(issuingCrl.pem.startsWith('-----BEGIN X509 CRL-----')).toBe(true);
    expect(issuingCrl).toMatchObject({ crlNumber: 1, revokedCount: 1 });
    const [, issuingPem, rootPem] = good.chainPem.split(/(?=-----BEGIN)/);
    const f = files({
      'cas.pem': `${issuingPem}${rootPem}`,
      'crl.pem': issuingCrl.pem,
      'crls.pem': `${issuingCrl.pem}${rootCrl.pem}`,
      'good.pem': good.pem,
      'bad.pem': bad.pem,
    });
    const crlCheck = openssl(['crl', '-in', f['crl.pem']!, '-CAfile', f['cas.pem']!, '-noout', '-text']);
    expect(crlCheck.output).toContain('verify OK');
    expect(crlCheck.output).toMatch(/X509v3 CRL Number: \s+1/);
    expect(crlCheck.output).toContain('Key Compromise');
    expect(crlCheck.output.toLowerCase()).toContain(bad.serialHex);
    const badVerify = openssl(['verify', '-crl_check_all', '-CAfile', f['cas.pem']!, '-CRLfile', f['crls.pem']!, f['bad.pem']!]);
    expect(badVerify.status).not.toBe(0);
    expect(badVerify.output).toContain('certificate revoked');
    const goodVerify = openssl(['verify', '-crl_check_all', '-CAfile', f['cas.pem']!, '-CRLfile', f['crls.pem']!, f['good.pem']!]);
    expect(goodVerify.output).toContain('good.pem: OK');
    // Numbers only go up.
    expect((await t.service.generateCrl({ ca: 'Test Issuing' })).crlNumber).toBe(2);
  });

  it('refuses to revoke twice, and to renew a revoked certificate, changing nothing', async () => {
    const t = await withIssuingCa();
    const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'once' }, source: { kind: 'generated' } });
    await t.service.revoke({ cert: cert.serialHex });
    const audit = t.service.listAudit({}).total;
    await expect(t.service.revoke({ cert: cert.id })).rejects.toMatchObject({ code: 'ALREADY_REVOKED', field: 'cert' });
    await expect(t.service.renew({ cert: cert.id })).rejects.toMatchObject({ code: 'CERT_REVOKED', field: 'cert' });
    expect(t.service.listAudit({}).total).toBe(audit);
    expect(t.service.listCertificates({}).total).toBe(1);
  });

  it('renews with a new key by default, or the same key when asked, keeping subject and SANs and linking lineage', async () => {
    const t = await withIssuingCa();
    const first = await t.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'renew-me', organization: 'YourOrg' },
      sans: [{ type: 'dns', value: 'renew.example.com' }],
      source: { kind: 'generated' },
    });
    const rekeyed = await t.service.renew({ cert: first.id });
    const pub = (pem: string) => openssl(['x509', '-noout', '-pubkey'], pem).stdout;
    expect(pub(rekeyed.pem)).not.toBe(pub(first.pem));
    expect(rekeyed.subject).toBe(first.subject);
    expect(rekeyed.sans).toEqual(first.sans);
    expect(rekeyed.replacesId).toBe(first.id);
    expect((await t.service.getCertificate({ cert: first.id })).replacedById).toBe(rekeyed.id);
    expect((await t.service.getCertificate({ cert: first.id })).status).toBe('superseded');
    const sameKey = await t.service.renew({ cert: rekeyed.id, sameKey: true });
    expect(pub(sameKey.pem)).toBe(pub(rekeyed.pem));
    // A re-issued certificate has a new thumbprint even with the same key (RFC 8705 binds the certificate).
    expect(sameKey.sha256Hex).not.toBe(rekeyed.sha256Hex);
  });

  it('a CSR-only certificate renews only with the same key', async () => {
    const t = await withIssuingCa();
    const { opensslCsr, KEY_ARGS } = await import('../support/pki.ts');
    const { csr } = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=csr-renew');
    const cert = await t.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr, useCsrSubject: true } });
    await expect(t.service.renew({ cert: cert.id })).rejects.toMatchObject({ code: 'NO_PRIVATE_KEY', field: 'sameKey' });
    const renewed = await t.service.renew({ cert: cert.id, sameKey: true });
    expect(renewed.keyStorage).toBe('csr-only');
  });

  it('derives status from time: expired after notAfter, filters by status and expiry window', async () => {
    let now = Date.UTC(2026, 10, 25, 12);
    const clock = { now: () => new Date(now) };
    const t = await withIssuingCa({ clock });
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'short' }, days: 10, source: { kind: 'generated' } });
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'long' }, days: 90, source: { kind: 'generated' } });
    expect(t.service.listCertificates({ expiringWithinDays: 30 }).items.map((c) => c.commonName)).toEqual(['short']);
    now += 11 * 86_400_000;
    expect(t.service.listCertificates({ status: 'expired' }).items.map((c) => c.commonName)).toEqual(['short']);
    expect(t.service.listCertificates({ status: 'active' }).items.map((c) => c.commonName)).toEqual(['long']);
    expect(t.service.listCertificates({ search: 'LON' }).total).toBe(1);
    expect(t.service.listCertificates({ issuer: 'Test Issuing' }).total).toBe(2);
  });
});
