// Issue 13, "Inventory and issuing": what the operator is shown is true, and what they typed is
// either used as typed or refused by name, never changed; a refusal leaves every table as it was.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import type { CertificateDetail, CsrView, Result } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';

type Service = Awaited<ReturnType<typeof withIssuingCa>>;

/** Rows in every table an issuance, import or revocation writes to. */
function snapshot(t: Service) {
  return t.service.db
    .prepare(
      `SELECT (SELECT count(*) FROM certificates) c, (SELECT count(*) FROM keys) k, (SELECT count(*) FROM audit_log) a,
              (SELECT count(*) FROM crls) r, (SELECT count(*) FROM certificates WHERE revoked_at IS NOT NULL) revoked`,
    )
    .get();
}

function tamperSignature(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0xff;
  return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}

describe('the CSR preview', () => {
  it('shows subject, key type and size, SANs and the verified signature, and names the field as the operator sees it', async () => {
    const t = await withIssuingCa();
    const handlers = createHandlers(t.service);
    const { csr } = opensslCsr([...KEY_ARGS['rsa-3072']], '/O=YourOrg/CN=preview-me', [
      '-addext',
      'subjectAltName=DNS:preview.example.com',
    ]);
    const before = snapshot(t);

    const preview = (await dispatch(handlers, 'certs:inspect-csr', { csr })) as Result<CsrView>;
    expect(preview).toEqual({
      ok: true,
      value: {
        subject: 'CN=preview-me,O=YourOrg',
        subjectFields: { commonName: 'preview-me', organization: 'YourOrg' },
        otherAttributes: [],
        sans: [{ type: 'dns', value: 'preview.example.com' }],
        keyType: 'rsa-3072',
        signatureAlgorithm: 'sha256WithRSAEncryption',
      },
    });
    // openssl reads the same request the same way.
    const text = openssl(['req', '-noout', '-text'], csr).stdout;
    expect(text).toContain('Public-Key: (3072 bit)');
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');

    const ec = opensslCsr([...KEY_ARGS['ec-p384']], '/CN=ec-preview').csr;
    expect(await dispatch(handlers, 'certs:inspect-csr', { csr: ec })).toMatchObject({
      ok: true,
      value: { keyType: 'ec-p384', signatureAlgorithm: 'ecdsa-with-SHA256' },
    });

    // A request whose signature fails is refused, never previewed.
    const tampered = await dispatch(handlers, 'certs:inspect-csr', { csr: tamperSignature(csr) });
    expect(tampered).toMatchObject({ ok: false, error: { code: 'CSR_SIGNATURE_INVALID', field: 'csr' } });

    // The field keeps its machine name; the message names it as the form shows it.
    for (const bad of ['not a request at all!', '-----BEGIN CERTIFICATE REQUEST-----\nMII!!\n-----END CERTIFICATE REQUEST-----', '']) {
      const refused = await dispatch(handlers, 'certs:inspect-csr', { csr: bad });
      expect(refused.ok, bad).toBe(false);
      if (refused.ok) continue;
      expect(refused.error.field, bad).toBe('csr');
      expect(refused.error.message, bad).toMatch(/certificate request \(CSR\)/i);
      expect(refused.error.message, bad).not.toMatch(/^csr\b|\bin csr\b/);
    }
    const signRefused = await dispatch(handlers, 'certs:issue', {
      ca: 'Test Issuing',
      subject: { commonName: 'x' },
      source: { kind: 'csr', csr: 'garbage' },
    });
    expect(signRefused).toMatchObject({ ok: false, error: { code: 'PEM_INVALID', field: 'csr' } });
    if (!signRefused.ok) expect(signRefused.error.message).toMatch(/^The certificate request \(CSR\)/);
    expect(snapshot(t)).toEqual(before);
  });

  it('calls out a private key pasted as a CSR or a certificate, and stores nothing', async () => {
    const t = await withIssuingCa();
    const handlers = createHandlers(t.service);
    const { csr, keyPath } = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=leaky');
    const key = readFileSync(keyPath, 'utf8');
    const rsaTraditional = openssl(['genrsa', '-traditional', '2048']).stdout;
    const before = snapshot(t);
    const auditBefore = t.service.listAudit({}).total;

    for (const pasted of [key, rsaTraditional, `${csr}${key}`]) {
      const attempts: Array<[string, unknown, string]> = [
        ['certs:inspect-csr', { csr: pasted }, 'csr'],
        ['certs:issue', { ca: 'Test Issuing', subject: { commonName: 'leaky' }, source: { kind: 'csr', csr: pasted } }, 'csr'],
        ['certs:import', { pem: pasted }, 'pem'],
        ['certs:lint', { pem: pasted }, 'pem'],
      ];
      for (const [channel, input, field] of attempts) {
        const result = await dispatch(handlers, channel as never, input as never);
        expect(result, channel).toMatchObject({ ok: false, error: { code: 'PRIVATE_KEY_PASTED', field } });
        if (!result.ok) {
          expect(result.error.message).toContain('This is a private key — do not share it');
          // The key itself is never echoed back.
          expect(result.error.message).not.toContain(key.split('\n')[1]!.slice(0, 20));
        }
      }
    }
    expect(snapshot(t)).toEqual(before);
    expect(t.service.listAudit({}).total).toBe(auditBefore);
    const stored = t.service.db.prepare('SELECT count(*) AS n FROM certificates WHERE cert_der IS NULL OR length(cert_der) = 0').get();
    expect(stored).toEqual({ n: 0 });
  });
});

describe('no silent changes', () => {
  it('refuses validity -1, 0 and 1.5 days and the country "USA" by name, through the contract and in the core', async () => {
    const t = await withIssuingCa();
    const handlers = createHandlers(t.service);
    const before = snapshot(t);
    for (const days of [-1, 0, 1.5]) {
      const refused = await dispatch(handlers, 'certs:issue', {
        ca: 'Test Issuing',
        subject: { commonName: `days-${days}` },
        days,
        source: { kind: 'generated' },
      });
      expect(refused, String(days)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'days' } });
      // The core refuses on its own too, for a caller that is not the dispatch.
      await expect(
        t.service.issue({ ca: 'Test Issuing', subject: { commonName: `days-${days}` }, days, source: { kind: 'generated' } }),
      ).rejects.toMatchObject({ code: 'VALIDITY_OUT_OF_RANGE', field: 'days' });
    }
    for (const country of ['USA', 'us', 'U']) {
      const refused = await dispatch(handlers, 'certs:issue', {
        ca: 'Test Issuing',
        subject: { commonName: 'country', country },
        source: { kind: 'generated' },
      });
      expect(refused, country).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'subject.country' } });
      if (!refused.ok) expect(refused.error.message).toContain('two-letter ISO 3166');
      await expect(
        t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'country', country }, source: { kind: 'generated' } }),
      ).rejects.toMatchObject({ code: 'VALIDATION', field: 'subject.country' });
    }
    expect(snapshot(t)).toEqual(before);
    // What is valid goes in exactly as given.
    const fine = await t.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'fine', country: 'US' },
      days: 1,
      source: { kind: 'generated' },
    });
    expect(fine.subject).toBe('CN=fine,C=US');
    expect(Date.parse(fine.notAfter) - Date.parse(fine.notBefore)).toBeLessThanOrEqual(86_400_000 + 10 * 60_000);
  });
});

describe('revocation is true and permanent', () => {
  it('reads "on the next CRL" until a CRL lists the serial, then "listed"', async () => {
    const t = await withIssuingCa();
    const first = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'first' }, source: { kind: 'generated' } });
    const second = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'second' }, source: { kind: 'generated' } });
    expect(first.onCrl).toBeNull();

    const revoked = await t.service.revoke({ cert: first.id, reason: 'keyCompromise' });
    expect(revoked).toMatchObject({ status: 'revoked', onCrl: false });
    expect(t.service.listCertificates({ status: 'revoked' }).items.map((c) => [c.id, c.onCrl])).toEqual([[first.id, false]]);

    const crl = await t.service.generateCrl({ ca: 'Test Issuing' });
    expect((await t.service.getCertificate({ cert: first.id })).onCrl).toBe(true);
    // openssl agrees that this CRL lists the serial.
    expect(openssl(['crl', '-noout', '-text'], crl.pem).stdout.toLowerCase()).toContain(first.serialHex);

    // A later revocation is not on that CRL, whatever the clock says about seconds.
    await t.service.revoke({ cert: second.id });
    const listed = new Map(t.service.listCertificates({ status: 'revoked' }).items.map((c) => [c.id, c.onCrl]));
    expect(Object.fromEntries(listed)).toEqual({ [first.id]: true, [second.id]: false });
    await t.service.generateCrl({ ca: 'Test Issuing' });
    expect((await t.service.getCertificate({ cert: second.id })).onCrl).toBe(true);
  });

  it('refuses certificateHold by name (there is no release), revoking nothing', async () => {
    const t = await withIssuingCa();
    const handlers = createHandlers(t.service);
    const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'no-hold' }, source: { kind: 'generated' } });
    const before = snapshot(t);
    const refused = await dispatch(handlers, 'certs:revoke', { cert: cert.id, reason: 'certificateHold' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'REVOCATION_REASON_UNSUPPORTED', field: 'reason' } });
    if (!refused.ok) expect(refused.error.message).toContain('permanent');
    expect(snapshot(t)).toEqual(before);
    expect((await t.service.getCertificate({ cert: cert.id })).status).toBe('active');
  });
});

describe('what the inventory shows', () => {
  it('links lineage by serial and subject, and dates renewal by the profile, not a fixed count of days', async () => {
    const t = await withIssuingCa();
    const first = await t.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'lineage', organization: 'YourOrg' },
      source: { kind: 'generated' },
    });
    const renewed = await t.service.renew({ cert: first.id });
    expect(renewed.replaces).toEqual({ id: first.id, serialHex: first.serialHex, subject: 'CN=lineage,O=YourOrg' });
    expect(renewed.replacedBy).toBeNull();
    const original: CertificateDetail = await t.service.getCertificate({ cert: first.id });
    expect(original.replacedBy).toEqual({ id: renewed.id, serialHex: renewed.serialHex, subject: 'CN=lineage,O=YourOrg' });

    // auth0-mtls-client renews at two thirds of 90 days: day 60, so a fresh certificate is nowhere near due.
    const lifetime = Date.parse(renewed.notAfter) - Date.parse(renewed.notBefore);
    expect(Date.parse(renewed.renewAt) - Date.parse(renewed.notBefore)).toBeCloseTo(
      Math.min((lifetime * 2) / 3, lifetime - 30 * 86_400_000),
      -3,
    );
    const scheduled = t.service.schedule({}).find((item) => item.id === renewed.id);
    expect(scheduled?.renewAt).toBe(renewed.renewAt);
    expect(scheduled?.trackingOnly).toBe(false);
  });

  it('marks an imported certificate as tracking only in the schedule', async () => {
    const t = await withIssuingCa();
    const elsewhere = await withIssuingCa();
    const foreign = await elsewhere.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'foreign' },
      source: { kind: 'generated' },
    });
    const imported = await t.service.importCertificate({ pem: foreign.pem });
    expect(imported.keyStorage).toBe('imported');
    expect(t.service.schedule({}).find((item) => item.id === imported.id)?.trackingOnly).toBe(true);
  });
});
