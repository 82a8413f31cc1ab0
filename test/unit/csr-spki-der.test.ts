/**
 * The CSR's key read from the request's own bytes (issue 14's CSR path): the same bytes @peculiar's parse
 * gives where the request is plain DER, nothing otherwise, and, for a named-curve key with its point
 * uncompressed, exactly the SubjectPublicKeyInfo WebCrypto writes.
 */
import { createPrivateKey, createPublicKey, sign, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsr } from '../../src/main/core/pki/csr.ts';
import { csrSpkiDer } from '../../src/main/core/pki/der-fields.ts';
import { tlv } from '../../src/main/core/pki/der.ts';
import { decodePemOrBase64, toPem } from '../../src/main/core/pki/pem.ts';
import { x509 } from '../../src/main/core/pki/x509.ts';
import { openssl } from '../support/openssl.ts';
import { KEY_ARGS } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

function opensslCsr(keyArgs: readonly string[], key = join(tempDir(), 'k.pem')): Uint8Array {
  expect(openssl(['genpkey', ...keyArgs, '-out', key]).status).toBe(0);
  const req = openssl(['req', '-new', '-key', key, '-subj', '/CN=spki']);
  expect(req.status, req.output).toBe(0);
  return decodePemOrBase64(req.stdout, ['CERTIFICATE REQUEST'], 'csr');
}

/** The request with its outer SEQUENCE's length in a longer form than DER allows (BER): the same request to a BER reader. */
function longFormOuterLength(der: Uint8Array): Uint8Array {
  const headerLength = der[1]! & 0x80 ? 2 + (der[1]! & 0x7f) : 2;
  const body = der.subarray(headerLength);
  return Uint8Array.from([
    0x30,
    0x84,
    (body.length >>> 24) & 0xff,
    (body.length >>> 16) & 0xff,
    (body.length >>> 8) & 0xff,
    body.length & 0xff,
    ...body,
  ]);
}

describe("a CSR's key, read from its own bytes", () => {
  it('is the bytes @peculiar reads, for EC and RSA keys; WebCrypto writes the same for an uncompressed named curve', async () => {
    for (const type of ['ec-p256', 'ec-p384', 'rsa-2048'] as const) {
      const der = opensslCsr(KEY_ARGS[type]);
      const request = new x509.Pkcs10CertificateRequest(Uint8Array.from(der).buffer);
      const spki = csrSpkiDer(der);
      expect(spki, type).not.toBeNull();
      expect(Buffer.from(spki!).equals(Buffer.from(request.publicKey.rawData)), type).toBe(true);
      const parsed = await parseCsr(toPem(der, 'CERTIFICATE REQUEST'));
      const written = new Uint8Array(await webcrypto.subtle.exportKey('spki', await request.publicKey.export(webcrypto)));
      expect(Buffer.from(parsed.spki!).toString('hex'), type).toBe(Buffer.from(written).toString('hex'));
    }
  });

  it('is not read from a request that is not plain DER, which is still read the general way', async () => {
    const der = opensslCsr(KEY_ARGS['ec-p256']);
    const ber = longFormOuterLength(der);
    expect(csrSpkiDer(ber)).toBeNull();
    expect(csrSpkiDer(Uint8Array.from([...der, 0x00]))).toBeNull();
    expect(csrSpkiDer(der.subarray(0, der.length - 1))).toBeNull();
    expect(csrSpkiDer(new Uint8Array([0x30, 0x00]))).toBeNull();
    // The signature covers the CertificationRequestInfo, which is unchanged: a BER reader accepts the request.
    const parsed = await parseCsr(toPem(ber, 'CERTIFICATE REQUEST'));
    expect(parsed.keyType).toBe('ec-p256');
    expect(Buffer.from(parsed.spki!).equals(Buffer.from(csrSpkiDer(der)!))).toBe(true);
  });

  it("certifies the key that signed: an RSA key whose BIT STRING claims an unused bit is read as the signer's", async () => {
    // A real RSA request; then its key's BIT STRING says 1 unused bit (OpenSSL reading those bytes clears the
    // exponent's last bit: 65537 becomes 65536), and the real key signs the request again so that it verifies.
    const keyFile = join(tempDir(), 'rsa.pem');
    const der = Uint8Array.from(opensslCsr(KEY_ARGS['rsa-2048'], keyFile));
    const spki = csrSpkiDer(der)!;
    // 30 82 01 22 | 30 0d 06 09 <rsaEncryption> 05 00 | 03 82 01 0f | the unused-bits octet
    const unusedBits = spki.byteOffset + 4 + 15 + 4;
    expect([der[unusedBits - 4], der[unusedBits]]).toEqual([0x03, 0x00]);
    der[unusedBits] = 0x01;
    const info = der.subarray(4, 4 + 4 + ((der[6]! << 8) | der[7]!));
    const signer = createPrivateKey(readFileSync(keyFile));
    const sha256WithRsa = tlv(0x30, Buffer.from('06092a864886f70d01010b0500', 'hex'));
    const resigned = tlv(0x30, info, sha256WithRsa, tlv(0x03, Uint8Array.of(0), sign('sha256', info, signer)));
    const signerSpki = createPublicKey(signer).export({ type: 'spki', format: 'der' });

    const parsed = await parseCsr(toPem(resigned, 'CERTIFICATE REQUEST'));
    // What goes into the certificate is the key whose signature was checked, not one nobody proved they hold.
    expect(Buffer.from(parsed.spki!).toString('hex')).toBe(signerSpki.toString('hex'));
  });
});
