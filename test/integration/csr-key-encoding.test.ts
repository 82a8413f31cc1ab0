/**
 * A certificate signed from a CSR carries the requester's key as WebCrypto writes it, whatever encoding
 * the CSR used: a compressed EC point (which Go and Java refuse in a certificate) is written
 * uncompressed, and an RSASSA-PSS key as rsaEncryption, as certdesk always did (issue 14's CSR fast
 * path takes OpenSSL's SPKI only where it is these same bytes).
 */
import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePemOrBase64 } from '../../src/main/core/pki/pem.ts';
import { x509 } from '../../src/main/core/pki/x509.ts';
import { openssl } from '../support/openssl.ts';
import { KEY_ARGS, withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

/** A CSR for a key made by `keyArgs`, its public point first converted by `openssl ec` with `convert` when given. */
function csrFor(keyArgs: readonly string[], convert?: string[]): string {
  const dir = tempDir();
  const key = join(dir, 'k.pem');
  const made = openssl(['genpkey', ...keyArgs, '-out', key]);
  expect(made.status, made.output).toBe(0);
  if (convert) expect(openssl(['ec', '-in', key, ...convert, '-out', key]).status).toBe(0);
  const req = openssl(['req', '-new', '-key', key, '-subj', '/CN=encoding']);
  expect(req.status, req.output).toBe(0);
  return req.stdout;
}

describe('the key of a certificate signed from a CSR', () => {
  it('is written as WebCrypto writes it: uncompressed EC points, RSA-PSS as rsaEncryption', async () => {
    const t = await withIssuingCa();
    const cases = [
      { name: 'P-256', csr: csrFor(KEY_ARGS['ec-p256']) },
      { name: 'P-256, compressed point', csr: csrFor(KEY_ARGS['ec-p256'], ['-conv_form', 'compressed']) },
      { name: 'P-384', csr: csrFor(KEY_ARGS['ec-p384']) },
      { name: 'P-384, compressed point', csr: csrFor(KEY_ARGS['ec-p384'], ['-conv_form', 'compressed']) },
      { name: 'RSA-2048', csr: csrFor(KEY_ARGS['rsa-2048']) },
      { name: 'RSASSA-PSS', csr: csrFor(['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048']) },
    ];
    let n = 0;
    for (const { name, csr } of cases) {
      const request = new x509.Pkcs10CertificateRequest(csr);
      const expected = new Uint8Array(await webcrypto.subtle.exportKey('spki', await request.publicKey.export(webcrypto)));
      const issued = await t.service.issue({
        ca: 'Test Issuing',
        subject: { commonName: `encoding-${n++}` },
        source: { kind: 'csr', csr },
      });
      const cert = new x509.X509Certificate(decodePemOrBase64(issued.pem, ['CERTIFICATE'], 'pem'));
      expect(Buffer.from(cert.publicKey.rawData).toString('hex'), name).toBe(Buffer.from(expected).toString('hex'));
      // Read back by openssl, the key has the form and algorithm WebCrypto gave it.
      const text = openssl(['x509', '-noout', '-text'], issued.pem).stdout;
      if (name.startsWith('P-')) expect(text, name).toMatch(/pub:\s+04:/);
      if (name.startsWith('RSA')) expect(text, name).toMatch(/Public Key Algorithm: rsaEncryption/);
    }
  });
});
