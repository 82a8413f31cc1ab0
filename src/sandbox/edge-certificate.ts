/**
 * The edge's own TLS server certificate: self-signed, made once per sandbox and kept in its folder,
 * for localhost, 127.0.0.1, the tenant domain, the demo custom domain, and their `mtls.` aliases. Clients trust it by its PEM (`edgeServerCaPem`).
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { writeFileAtomic } from './state.ts';
import { demoCustomDomain } from './tenant-admin.ts';

const crypto = webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0];
x509.cryptoProvider.set(crypto);

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

function pem(label: string, der: ArrayBuffer): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export async function edgeServerCertificate(dir: string, domain: string): Promise<ServerCertificate> {
  const folder = join(dir, 'edge');
  const certFile = join(folder, 'server.pem');
  const keyFile = join(folder, 'server-key.pem');
  if (existsSync(certFile) && existsSync(keyFile))
    return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '7'),
    name: `CN=mtls.${domain}, O=certdesk sandbox edge`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 10 * 365 * 24 * 3600 * 1000),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'dns', value: `mtls.${domain}` },
        { type: 'dns', value: domain },
        // A demo sandbox's custom domain, and its mTLS alias.
        { type: 'dns', value: demoCustomDomain(domain) },
        { type: 'dns', value: `mtls.${demoCustomDomain(domain)}` },
      ]),
    ],
  });
  const keyPem = pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const certPem = cert.toString('pem') + '\n';
  writeFileAtomic(keyFile, keyPem);
  writeFileAtomic(certFile, certPem, 0o644);
  return { certPem, keyPem };
}
