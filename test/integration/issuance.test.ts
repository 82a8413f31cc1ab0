import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { x509 } from '../../src/main/core/pki/x509.ts';
import { CA_KEY_TYPES } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { files, KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';

function verifyClientChain(chainPem: string, leafPem: string) {
  const certs = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
  const f = files({ 'leaf.pem': leafPem, 'issuing.pem': certs[1] ?? '', 'root.pem': certs[2] ?? '' });
  return openssl([
    'verify',
    '-x509_strict',
    '-purpose',
    'sslclient',
    '-CAfile',
    f['root.pem']!,
    '-untrusted',
    f['issuing.pem']!,
    f['leaf.pem']!,
  ]);
}

describe('issuing client certificates (openssl verifies each)', () => {
  it.each(CA_KEY_TYPES)('under a %s CA hierarchy, generated-key certificates pass -x509_strict -purpose sslclient', async (caKey) => {
    const t = await withIssuingCa({ keyType: caKey });
    for (const keyType of ['ec-p256', 'rsa-2048'] as const) {
      const cert = await t.service.issue({
        ca: 'Test Issuing',
        subject: { commonName: `client-${keyType}` },
        source: { kind: 'generated', keyType },
      });
      const v = verifyClientChain(cert.chainPem, cert.pem);
      expect(v.output, v.output).toContain('leaf.pem: OK');
      expect(cert.lint.ok).toBe(true);
      expect(cert.keyStorage).toBe('sealed');
    }
  });

  it('puts exactly the profile extensions in, as RFC 5280 wants them', async () => {
    const t = await withIssuingCa();
    const cert = await t.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'app-client-prod', organization: 'YourOrg', country: 'US' },
      sans: [
        { type: 'dns', value: 'client.example.com' },
        { type: 'uri', value: 'spiffe://example.org/app' },
        { type: 'email', value: 'ops@example.com' },
      ],
      source: { kind: 'generated' },
    });
    const text = openssl(['x509', '-noout', '-text'], cert.pem).stdout;
    expect(text).toContain('Version: 3 (0x2)');
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: \s+TLS Web Client Authentication\n/);
    expect(text).toContain('X509v3 Subject Key Identifier');
    expect(text).toContain('X509v3 Authority Key Identifier');
    expect(text).toMatch(/DNS:client\.example\.com, URI:spiffe:\/\/example\.org\/app, email:ops@example\.com/);
    const parsed = new x509.X509Certificate(cert.pem);
    expect(parsed.serialNumber).toMatch(/^[0-7][0-9a-f]{31}$/i);
    expect((parsed.notAfter.getTime() - parsed.notBefore.getTime()) / 86_400_000).toBeCloseTo(90, 2);
    expect(cert.subject).toBe('CN=app-client-prod,O=YourOrg,C=US');
    expect(cert.subjectLines).toBe('C=US\nO=YourOrg\nCN=app-client-prod');
    expect(new X509Certificate(cert.pem).subject).toBe(cert.subjectLines);
  });

  it('matches `openssl x509 -outform DER | openssl dgst -sha256` on the thumbprint, and its x5t#S256 form', async () => {
    const t = await withIssuingCa();
    const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'thumb' }, source: { kind: 'generated' } });
    const f = files({ 'c.pem': cert.pem });
    const pipe = spawnSync('sh', ['-c', `openssl x509 -in '${f['c.pem']}' -outform DER | openssl dgst -sha256 -r`], { encoding: 'utf8' });
    expect(pipe.stdout.split(' ')[0]).toBe(cert.sha256Hex);
    expect(Buffer.from(cert.sha256Base64url, 'base64url').toString('hex')).toBe(cert.sha256Hex);
    expect(cert.sha256Base64url).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each(['rsa-2048', 'rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384'] as const)(
    'signs an openssl-made %s CSR; the key never enters certdesk',
    async (keyType) => {
      const t = await withIssuingCa();
      const { csr, keyPath } = opensslCsr([...KEY_ARGS[keyType]], '/C=US/O=YourOrg/CN=csr-client');
      const cert = await t.service.issue({ ca: 'Test Issuing', source: { kind: 'csr', csr, useCsrSubject: true } });
      expect(cert.keyStorage).toBe('csr-only');
      expect(cert.keyType).toBe(keyType);
      expect(cert.subject).toBe('CN=csr-client,O=YourOrg,C=US');
      const v = verifyClientChain(cert.chainPem, cert.pem);
      expect(v.output).toContain('leaf.pem: OK');
      // The certificate carries the client's own public key.
      const f = files({ 'c.pem': cert.pem });
      expect(openssl(['x509', '-in', f['c.pem']!, '-noout', '-pubkey']).stdout).toBe(openssl(['pkey', '-in', keyPath, '-pubout']).stdout);
      expect(t.service.db.prepare('SELECT count(*) AS n FROM keys').get()).toEqual({ n: 2 }); // the two CA keys only
    },
  );

  it('lets the operator override the CSR subject, and keeps the CSR SANs', async () => {
    const t = await withIssuingCa();
    const { csr } = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=from-csr', ['-addext', 'subjectAltName=DNS:from-csr.example.com']);
    const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'from-operator' }, source: { kind: 'csr', csr } });
    expect(cert.commonName).toBe('from-operator');
    expect(cert.sans).toEqual([{ type: 'dns', value: 'from-csr.example.com' }]);
  });

  it('a server profile is data too: serverAuth and DNS names', async () => {
    const t = await withIssuingCa();
    const cert = await t.service.issue({
      ca: 'Test Issuing',
      profile: 'mtls-server',
      subject: { commonName: 'edge.example.com' },
      sans: [{ type: 'dns', value: 'edge.example.com' }],
      source: { kind: 'generated' },
    });
    const f = files({
      'chain.pem': cert.chainPem
        .split(/(?=-----BEGIN)/)
        .slice(1)
        .join(''),
      'leaf.pem': cert.pem,
    });
    const certs = cert.chainPem.split(/(?=-----BEGIN)/);
    const g = files({ 'root.pem': certs[2]!, 'issuing.pem': certs[1]! });
    expect(
      openssl([
        'verify',
        '-x509_strict',
        '-purpose',
        'sslserver',
        '-CAfile',
        g['root.pem']!,
        '-untrusted',
        g['issuing.pem']!,
        f['leaf.pem']!,
      ]).output,
    ).toContain('OK');
    expect(openssl(['x509', '-noout', '-ext', 'extendedKeyUsage'], cert.pem).stdout).toContain('TLS Web Server Authentication');
    await expect(
      t.service.issue({
        ca: 'Test Issuing',
        profile: 'mtls-server',
        subject: { commonName: 'x' },
        sans: [{ type: 'uri', value: 'spiffe://a/b' }],
        source: { kind: 'generated' },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION', field: 'sans.0.type' });
  });
});

describe('certificate detail', () => {
  it('decodes the extensions the way openssl prints them', async () => {
    const t = await withIssuingCa();
    const cert = await t.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'ext' },
      sans: [
        { type: 'dns', value: 'ext.example.com' },
        { type: 'uri', value: 'spiffe://x/y' },
      ],
      source: { kind: 'generated' },
    });
    const byName = Object.fromEntries(cert.extensions.map((e) => [e.name, e]));
    expect(byName['Basic constraints']).toMatchObject({ critical: true, value: 'CA:FALSE' });
    expect(byName['Key usage']).toMatchObject({ critical: true, value: 'digitalSignature' });
    expect(byName['Extended key usage']).toMatchObject({ critical: false, value: 'clientAuth' });
    expect(byName['Subject alternative name']?.value).toBe('DNS:ext.example.com, URI:spiffe://x/y');
    const ski = openssl(['x509', '-noout', '-ext', 'subjectKeyIdentifier'], cert.pem).stdout.split('\n')[1]?.trim();
    expect(byName['Subject key identifier']?.value).toBe(ski);
  });
});
