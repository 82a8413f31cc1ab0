import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { x509 } from '../../src/main/core/pki/x509.ts';
import { certificateToPem, decodePemOrBase64, toArrayBuffer, toPem } from '../../src/main/core/pki/pem.ts';
import { withIssuingCa } from '../support/pki.ts';

/** What certdesk wrote before its own encoder: @peculiar's PemConverter and a final newline. */
const converterPem = (der: Uint8Array, label: string) => `${x509.PemConverter.encode(toArrayBuffer(der), label)}\n`;

describe('PEM encoding', () => {
  it("writes every length byte for byte as @peculiar's PemConverter did, from a view into a larger buffer too", () => {
    const labels = ['CERTIFICATE', 'X509 CRL', 'CERTIFICATE REQUEST', 'PUBLIC KEY'];
    const lengths = [0, 1, 2, 3, 47, 48, 49, 95, 96, 97, ...Array.from({ length: 200 }, () => randomBytes(2).readUInt16BE() % 3000)];
    for (const [i, length] of lengths.entries()) {
      const backing = randomBytes(length + 16);
      const der = new Uint8Array(backing.buffer, backing.byteOffset + 7, length);
      const label = labels[i % labels.length]!;
      expect(toPem(der, label), `${length} bytes as ${label}`).toBe(converterPem(der, label));
    }
  });

  it('gives PEM that openssl reads back to the same certificate, in lines of 64 with a final newline', async () => {
    const t = await withIssuingCa();
    const issued = await t.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'pem-encoding' },
      source: { kind: 'generated', keyType: 'ec-p256' },
    });
    const der = decodePemOrBase64(issued.pem, ['CERTIFICATE'], 'pem');
    const pem = certificateToPem(der);
    expect(pem).toBe(issued.pem);
    const lines = pem.split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.slice(-2)).toEqual(['-----END CERTIFICATE-----', '']);
    const body = lines.slice(1, -2);
    expect(body.slice(0, -1).every((line) => line.length === 64)).toBe(true);
    expect(body.at(-1)!.length).toBeGreaterThan(0);
    expect(body.at(-1)!.length).toBeLessThanOrEqual(64);
    // openssl, the independent reader: its DER of the PEM is the bytes encoded.
    const read = spawnSync('openssl', ['x509', '-outform', 'DER'], { input: pem });
    expect(read.status, read.stderr.toString()).toBe(0);
    expect(new Uint8Array(read.stdout)).toEqual(der);
  });
});
