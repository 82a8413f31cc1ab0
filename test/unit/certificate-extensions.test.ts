import { describe, expect, it } from 'vitest';
import { extensionViews } from '../../src/main/core/inventory/certificate-view.ts';
import { certificateExtensionDers } from '../../src/main/core/pki/der-fields.ts';
import { CertificateBytes, CertificateExtension, EXTENSION_OIDS } from '../../src/main/core/pki/certificate-bytes.ts';
import { lintCertificate } from '../../src/main/core/pki/lint.ts';
import { nameDer } from '../../src/main/core/pki/names.ts';
import { decodePemOrBase64 } from '../../src/main/core/pki/pem.ts';
import { readSans } from '../../src/main/core/pki/sans.ts';
import { x509 } from '../../src/main/core/pki/x509.ts';
import { opensslSelfSigned } from '../support/openssl.ts';
import { files, withIssuingCa } from '../support/pki.ts';

/** What @peculiar/x509 itself decodes, as type, criticality and value bytes. */
const shape = (extensions: readonly x509.Extension[]) =>
  extensions.map((e) => ({ type: e.type, critical: e.critical, value: Buffer.from(e.value).toString('hex'), kind: e.constructor.name }));

/** The views as every extension decoded afresh by @peculiar/x509 gives them (no reading from the bytes, no memo). */
const freshViews = (der: Uint8Array) =>
  extensionViews(new x509.X509Certificate(der).extensions.map((e) => new CertificateExtension(new Uint8Array(e.rawData), e)));

/** The SAN's names as @peculiar/x509 decodes them. */
const freshSans = (der: Uint8Array) => readSans(new x509.X509Certificate(der).getExtension(x509.SubjectAlternativeNameExtension));

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
      'odd.cnf': ['[req]', 'distinguished_name=dn', '[dn]', '[dir_sect]', 'CN=directory name'].join('\n'),
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
    // SAN names certdesk does not write, which are decoded in full: an IP address, an otherName, a directory name.
    const odd = opensslSelfSigned(`${f.dir}/odd-sans.pem`, [
      '-subj',
      '/CN=odd-sans',
      '-days',
      '30',
      '-addext',
      'subjectAltName=DNS:a.example.test,IP:10.0.0.1,otherName:1.3.6.1.4.1.311.20.2.3;UTF8:upn@example.test,dirName:dir_sect,email:x@example.test',
      '-config',
      f['odd.cnf']!,
    ]);
    expect(odd.status, odd.output).toBe(0);
    ders.push(decodePemOrBase64(odd.stdout, ['CERTIFICATE'], 'pem'));
    expect(freshSans(ders.at(-1)!)).toEqual([
      { type: 'dns', value: 'a.example.test' },
      { type: 'email', value: 'x@example.test' },
    ]);
    const authorities = t.service.authorities
      .list()
      .map((ca) => new x509.X509Certificate(decodePemOrBase64(ca.pem, ['CERTIFICATE'], 'pem')));
    const now = new Date();

    // The leaves' own SKI and SAN are read from their bytes, and the odd SAN is not (it is decoded in full).
    const entry = (der: Uint8Array, oid: string) => new CertificateBytes(der).extensionEntries().find((e) => e.oid === oid);
    for (const leaf of ders.slice(0, 4)) {
      const peculiar = new x509.X509Certificate(leaf).getExtension(x509.SubjectKeyIdentifierExtension);
      expect(entry(leaf, EXTENSION_OIDS.subjectKeyIdentifier)?.keyId).toBe(peculiar?.keyId);
    }
    for (const leaf of ders.slice(1, 4)) expect(entry(leaf, EXTENSION_OIDS.subjectAltName)?.asciiNames).toBeDefined();
    expect(entry(ders.at(-1)!, EXTENSION_OIDS.subjectAltName)?.asciiNames).toBeUndefined();

    // A key type issuance knows first-hand is taken for exactly those SPKI bytes, and only for them.
    const leaf = new CertificateBytes(ders[0]!);
    const keyLine = async (key: { spki: Uint8Array; keyType: 'rsa-3072' }) =>
      (await lintCertificate(leaf, { authorities, now, key })).checks.find((c) => c.id === 'key')?.message;
    expect(await keyLine({ spki: leaf.spki, keyType: 'rsa-3072' })).toBe('Key rsa-3072');
    expect(await keyLine({ spki: new CertificateBytes(ders[1]!).spki, keyType: 'rsa-3072' })).toBe('Key ec-p256');
    expect((await lintCertificate(leaf, { authorities, now })).checks.find((c) => c.id === 'key')?.message).toBe('Key ec-p256');

    // A certificate no known CA issued names its issuer in the chain's line.
    const unknown = await lintCertificate(new CertificateBytes(ders.at(-1)!), { authorities, now });
    expect(unknown.checks.find((c) => c.id === 'chain')).toMatchObject({
      ok: false,
      message: 'No known CA issued it (issuer CN=odd-sans)',
    });

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
        expect(extensionViews(cert.extensionEntries())).toEqual(freshViews(der));
        expect(cert.sans()).toEqual(freshSans(der));
      }
    }
  });

  it('read from their bytes, are what @peculiar/x509 decodes for random SANs and key identifiers', async () => {
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    // Printable ASCII, with the characters that need care elsewhere (commas, quotes, backslashes, colons).
    const ascii = (n: number) => Array.from({ length: n }, () => String.fromCharCode(0x20 + Math.floor(Math.random() * 95))).join('');
    const kinds = ['dns', 'url', 'email', 'ip'] as const;
    let read = 0;
    let decoded = 0;
    for (let k = 0; k < 300; k++) {
      const names = Array.from({ length: Math.floor(Math.random() * 5) }, () => {
        const type = kinds[Math.floor(Math.random() * (k % 3 === 0 ? 4 : 3))]!;
        return type === 'ip'
          ? { type, value: `10.0.${k % 256}.${Math.floor(Math.random() * 256)}` }
          : { type, value: ascii(1 + Math.floor(Math.random() * 40)) };
      });
      const keyId = Buffer.from(crypto.getRandomValues(new Uint8Array(1 + Math.floor(Math.random() * 32)))).toString('hex');
      const cert = await x509.X509CertificateGenerator.createSelfSigned({
        name: 'CN=random',
        keys,
        notBefore: new Date('2026-01-01T00:00:00Z'),
        notAfter: new Date('2027-01-01T00:00:00Z'),
        signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
        extensions: [
          new x509.SubjectKeyIdentifierExtension(keyId),
          ...(names.length ? [new x509.SubjectAlternativeNameExtension(names, k % 2 === 0)] : []),
        ],
      });
      const der = new Uint8Array(cert.rawData);
      const walked = new CertificateBytes(der);
      expect(extensionViews(walked.extensionEntries())).toEqual(freshViews(der));
      expect(walked.sans()).toEqual(freshSans(der));
      expect(walked.extensionEntries()[0]?.keyId).toBe(keyId);
      const san = walked.extensionEntries()[1];
      if (san?.asciiNames) read++;
      else if (san) decoded++;
    }
    // Both ways were taken: names certdesk writes from the bytes, IP addresses decoded in full.
    expect(read).toBeGreaterThan(50);
    expect(decoded).toBeGreaterThan(20);
  });
});
