import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildName, toRfc4514 } from '../../src/main/core/pki/names.ts';
import { defaultCrypto, x509 } from '../../src/main/core/pki/x509.ts';

async function selfSigned(name: x509.Name): Promise<X509Certificate> {
  const keys = await defaultCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name,
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    notBefore: new Date(Date.UTC(2026, 0, 1)),
    notAfter: new Date(Date.UTC(2027, 0, 1)),
  });
  return new X509Certificate(Buffer.from(cert.rawData));
}

describe('names', () => {
  it('orders C, O, OU, CN in the certificate and prints both forms', async () => {
    const cert = await selfSigned(
      buildName({ commonName: 'app-client-prod', organization: 'YourOrg', organizationalUnit: 'Payments', country: 'US' }),
    );
    expect(cert.subject).toBe('C=US\nO=YourOrg\nOU=Payments\nCN=app-client-prod');
    expect(toRfc4514(cert.subject)).toBe('CN=app-client-prod,OU=Payments,O=YourOrg,C=US');
  });

  it('keeps special characters as data, never as DN syntax', async () => {
    const cert = await selfSigned(buildName({ commonName: '#a, b+c "q" <x>;', organization: 'Acme, Inc.' }));
    // One O and one CN: the comma and plus inside the values did not split them.
    expect(cert.subject.split('\n')).toHaveLength(2);
    expect(toRfc4514(cert.subject)).toBe('CN=\\#a\\, b\\+c \\"q\\" \\<x\\>\\;,O=Acme\\, Inc.');
  });

  it('encodes the country as PrintableString and other values as UTF8String', async () => {
    const cert = await selfSigned(buildName({ commonName: 'Zürich Client', country: 'CH' }));
    const parsed = new x509.X509Certificate(cert.raw);
    expect(parsed.subjectName.getField('CN')).toEqual(['Zürich Client']);
    const der = Buffer.from(cert.raw);
    // PrintableString tag 0x13 followed by length 2 and "CH".
    expect(der.includes(Buffer.from([0x13, 0x02, 0x43, 0x48]))).toBe(true);
    expect(der.includes(Buffer.concat([Buffer.from([0x0c, Buffer.byteLength('Zürich Client')]), Buffer.from('Zürich Client')]))).toBe(true);
  });
});
