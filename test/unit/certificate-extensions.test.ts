import { describe, expect, it } from 'vitest';
import { extensionViews } from '../../src/main/core/inventory/certificate-view.ts';
import { certificateExtensionDers } from '../../src/main/core/pki/der-fields.ts';
import { CertificateBytes } from '../../src/main/core/pki/certificate-bytes.ts';
import { lintCertificate } from '../../src/main/core/pki/lint.ts';
import { nameDer } from '../../src/main/core/pki/names.ts';
import { decodePemOrBase64 } from '../../src/main/core/pki/pem.ts';
import { x509 } from '../../src/main/core/pki/x509.ts';
import { opensslSelfSigned } from '../support/openssl.ts';
import { files, withIssuingCa } from '../support/pki.ts';

/** What @peculiar/x509 itself decodes, as type, criticality and value bytes. */
const shape = (extensions: readonly x509.Extension[]) =>
  extensions.map((e) => ({ type: e.type, critical: e.critical, value: Buffer.from(e.value).toString('hex'), kind: e.constructor.name }));

/** The views as they were made before the memo: from `cert.extensions`, decoded afresh. */
const freshViews = (der: Uint8Array) => {
  return extensionViews(new x509.X509Certificate(der).extensions);
};

describe("a certificate's extensions and fields, read from its DER", () => {
  it("are @peculiar/x509's own, for leaves, CAs with URLs and openssl-made certificates, and so is their lint", async () => {
    const t = await withIssuingCa();
    await t.service.setAuthorityUrls({
      ca: 'Test Issuing',
      crlUrl: 'http://pki.example.test/issuing.crl',
      ocspUrl: 'http://ocsp.example.test',
      caIssuersUrl: 'http://pki.example.test/issuing.crt',
    });
    const ders: Uint8Array[] = [];
    for (const [cn, sans] of [
      ['plain', []],
      ['dns', [{ type: 'dns', value: 'a.example.test' }]],
      [
        'mixed',
        [
          { type: 'uri', value: 'spiffe://example.test/w' },
          { type: 'email', value: 'ops@example.test' },
        ],
      ],
      ['', [{ type: 'dns', value: 'only-san.example.test' }]],
    ] as const) {
      const issued = await t.service.issue({
        ca: 'Test Issuing',
        ...(cn ? { subject: { commonName: cn } } : {}),
        sans: [...sans],
        source: { kind: 'generated' },
      });
      ders.push(decodePemOrBase64(issued.pem, ['CERTIFICATE'], 'pem'));
    }
    for (const ca of t.service.authorities.list()) ders.push(decodePemOrBase64(ca.pem, ['CERTIFICATE'], 'pem'));
    // Extensions certdesk never writes: policies, name constraints, a private one.
    const f = files({
      'ext.cnf': [
        '[req]',
        'distinguished_name=dn',
        '[dn]',
        '[v3]',
        'basicConstraints=critical,CA:TRUE,pathlen:1',
        'keyUsage=critical,keyCertSign,cRLSign',
        'certificatePolicies=1.2.3.4',
        'nameConstraints=critical,permitted;DNS:.example.test',
        '1.3.6.1.4.1.99999.1=ASN1:UTF8String:private',
      ].join('\n'),
    });
    const made = opensslSelfSigned(`${f.dir}/k.pem`, ['-subj', '/CN=odd', '-days', '30', '-config', f['ext.cnf']!, '-extensions', 'v3']);
    expect(made.status, made.output).toBe(0);
    ders.push(decodePemOrBase64(made.stdout, ['CERTIFICATE'], 'pem'));
    // Past 2049 the validity is a GeneralizedTime, and a subject may hold an escaped comma.
    const late = opensslSelfSigned(`${f.dir}/late.pem`, [
      '-subj',
      '/CN=late/O=Example, Inc./C=DE',
      '-days',
      '15000',
      '-addext',
      'extendedKeyUsage=clientAuth',
    ]);
    expect(late.status, late.output).toBe(0);
    ders.push(decodePemOrBase64(late.stdout, ['CERTIFICATE'], 'pem'));
    expect(new x509.X509Certificate(ders.at(-1)!).notAfter.getUTCFullYear()).toBeGreaterThan(2049);
    const authorities = t.service.authorities
      .list()
      .map((ca) => new x509.X509Certificate(decodePemOrBase64(ca.pem, ['CERTIFICATE'], 'pem')));
    const now = new Date();

    for (const der of ders) {
      const expected = shape(new x509.X509Certificate(der).extensions);
      expect(expected.length).toBeGreaterThan(0);
      // Walked from the bytes, not the fallback to cert.extensions.
      expect(certificateExtensionDers(der)).toHaveLength(expected.length);
      // Twice: once decoded, once from the memo, on a new parse each time as an issuance has.
      // The fields lint and the detail read, as @peculiar/x509 decodes them, and the same lint.
      const parsed = new x509.X509Certificate(der);
      const walked = new CertificateBytes(der);
      expect(walked.notBefore.toISOString()).toBe(parsed.notBefore.toISOString());
      expect(walked.notAfter.toISOString()).toBe(parsed.notAfter.toISOString());
      expect(Buffer.from(walked.spki).equals(Buffer.from(parsed.publicKey.rawData))).toBe(true);
      expect(Buffer.from(walked.subjectDer).equals(Buffer.from(nameDer(parsed.subjectName)))).toBe(true);
      expect(Buffer.from(walked.issuerDer).equals(Buffer.from(nameDer(parsed.issuerName)))).toBe(true);
      expect(walked.subjectName.toString()).toBe(parsed.subject);
      expect(walked.issuerName.toString()).toBe(parsed.issuer);
      expect(await lintCertificate(walked, { authorities, now })).toEqual(await lintCertificate(parsed, { authorities, now }));
      for (let round = 0; round < 2; round++) {
        const cert = new CertificateBytes(der);
        expect(shape(cert.extensions())).toEqual(expected);
        expect(extensionViews(cert.extensions())).toEqual(freshViews(der));
      }
    }
  });
});
