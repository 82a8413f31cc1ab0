import { describe, expect, it } from 'vitest';
import { extensionViews } from '../../src/main/core/inventory/certificate-view.ts';
import { certificateExtensionDers } from '../../src/main/core/pki/der-fields.ts';
import { certificateExtensions } from '../../src/main/core/pki/extensions.ts';
import { decodePemOrBase64 } from '../../src/main/core/pki/pem.ts';
import { x509 } from '../../src/main/core/pki/x509.ts';
import { openssl } from '../support/openssl.ts';
import { files, withIssuingCa } from '../support/pki.ts';

/** What @peculiar/x509 itself decodes, as type, criticality and value bytes. */
const shape = (extensions: readonly x509.Extension[]) =>
  extensions.map((e) => ({ type: e.type, critical: e.critical, value: Buffer.from(e.value).toString('hex'), kind: e.constructor.name }));

/** The views as they were made before the memo: from `cert.extensions`, decoded afresh. */
const freshViews = (der: Uint8Array) => {
  const cert = new x509.X509Certificate(der);
  return extensionViews(cert, cert.extensions);
};

describe("a certificate's extensions, decoded once per process for their bytes", () => {
  it("are @peculiar/x509's own, for leaves, CAs with URLs and an openssl-made certificate", async () => {
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
    const made = openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${f.dir}/k.pem`,
      '-subj',
      '/CN=odd',
      '-days',
      '30',
      '-config',
      f['ext.cnf']!,
      '-extensions',
      'v3',
    ]);
    expect(made.status, made.output).toBe(0);
    ders.push(decodePemOrBase64(made.stdout, ['CERTIFICATE'], 'pem'));

    for (const der of ders) {
      const expected = shape(new x509.X509Certificate(der).extensions);
      expect(expected.length).toBeGreaterThan(0);
      // Walked from the bytes, not the fallback to cert.extensions.
      expect(certificateExtensionDers(der)).toHaveLength(expected.length);
      // Twice: once decoded, once from the memo, on a new parse each time as an issuance has.
      for (let round = 0; round < 2; round++) {
        const cert = new x509.X509Certificate(der);
        expect(shape(certificateExtensions(cert))).toEqual(expected);
        expect(extensionViews(cert)).toEqual(freshViews(der));
      }
    }
  });
});
