import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import { parseCsr } from '../../src/main/core/pki/csr.ts';
import { tlv } from '../../src/main/core/pki/der.ts';
import { signedPartDer } from '../../src/main/core/pki/der-fields.ts';
import { decodePemOrBase64, toPem } from '../../src/main/core/pki/pem.ts';
import { join } from 'node:path';
import { openssl } from '../support/openssl.ts';
import { KEY_ARGS, opensslCsr } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

const OID = { ecdsaSha256: '1.2.840.10045.4.3.2', ecdsaSha384: '1.2.840.10045.4.3.3', rsaSha256: '1.2.840.113549.1.1.11' };

/** The same CSR, its signature algorithm relabelled (the signature bytes and what they cover unchanged). */
function relabel(pem: string, algorithm: string, rsaNullParameters = false): string {
  const der = decodePemOrBase64(pem, ['CERTIFICATE REQUEST'], 'csr');
  const info = signedPartDer(der);
  const oldAlgorithm = signedPartDer(tlv(0x30, der.subarray(info.byteOffset - der.byteOffset + info.byteLength)));
  const signature = der.subarray(info.byteOffset - der.byteOffset + info.byteLength + oldAlgorithm.byteLength);
  const newAlgorithm = new AlgorithmIdentifier({
    algorithm,
    ...(rsaNullParameters ? { parameters: Uint8Array.of(0x05, 0x00).buffer } : {}),
  });
  return toPem(tlv(0x30, info, new Uint8Array(AsnConvert.serialize(newAlgorithm)), signature), 'CERTIFICATE REQUEST');
}

async function refusal(pem: string) {
  return parseCsr(pem).then(
    () => {
      throw new Error('the CSR was accepted');
    },
    (error: { code: string; field?: string; message: string }) => ({ code: error.code, field: error.field, message: error.message }),
  );
}

describe("a CSR's own signature", () => {
  it.each([
    ['ec-p256', 'ecdsa-with-SHA256', []],
    ['ec-p384', 'ecdsa-with-SHA384', ['-sha384']],
    ['rsa-2048', 'sha256WithRSAEncryption', []],
  ] as const)('verifies an openssl-made %s CSR and names its key and algorithm', async (keyType, algorithm, extra) => {
    const parsed = await parseCsr(opensslCsr([...KEY_ARGS[keyType]], `/CN=${keyType}`, [...extra]).csr);
    expect(parsed.keyType).toBe(keyType);
    expect(parsed.signatureAlgorithm).toBe(algorithm);
  });

  it('verifies an RSASSA-PSS signature through the general path', async () => {
    const { csr } = opensslCsr([...KEY_ARGS['rsa-2048']], '/CN=pss', ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32']);
    const parsed = await parseCsr(csr);
    expect(parsed.keyType).toBe('rsa-2048');
    expect(parsed.signatureAlgorithm).toBe('RSASSA-PSS (SHA-256)');
  });

  it('refuses a CSR changed after signing', async () => {
    const { csr } = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=orig-client');
    const der = decodePemOrBase64(csr, ['CERTIFICATE REQUEST'], 'csr');
    const at = Buffer.from(der).indexOf('orig-client');
    expect(at).toBeGreaterThan(0);
    const altered = Uint8Array.from(der);
    altered[at] = 'e'.charCodeAt(0); // "erig-client": same length, another subject
    expect(await refusal(toPem(altered, 'CERTIFICATE REQUEST'))).toMatchObject({ code: 'CSR_SIGNATURE_INVALID', field: 'csr' });
  });

  it('refuses a signature under another hash than the one the CSR names', async () => {
    const { csr } = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=hash-swap');
    expect((await parseCsr(relabel(csr, OID.ecdsaSha256))).keyType).toBe('ec-p256'); // the relabelling itself keeps a CSR good
    expect(await refusal(relabel(csr, OID.ecdsaSha384))).toMatchObject({ code: 'CSR_SIGNATURE_INVALID', field: 'csr' });
  });

  it("refuses an ECDSA signature labelled as RSA: the key's kind must be the algorithm's", async () => {
    const { csr } = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=kind-swap');
    expect(await refusal(relabel(csr, OID.rsaSha256, true))).toMatchObject({ code: 'CSR_SIGNATURE_INVALID', field: 'csr' });
  });

  it('refuses an EC key that spells out its curve instead of naming it (RFC 5480), by name', async () => {
    const dir = tempDir();
    const key = join(dir, 'explicit.key');
    expect(openssl(['ecparam', '-name', 'prime256v1', '-param_enc', 'explicit', '-genkey', '-noout', '-out', key]).status).toBe(0);
    const csr = openssl(['req', '-new', '-key', key, '-subj', '/CN=explicit']).stdout;
    expect(csr).toContain('BEGIN CERTIFICATE REQUEST');
    expect(await refusal(csr)).toMatchObject({ code: 'KEY_TYPE_UNSUPPORTED', field: 'csr', message: expect.stringMatching(/named curve/) });
  });

  it('still accepts what the general path accepts: a CSR with bytes after it is verified there', async () => {
    const { csr } = opensslCsr([...KEY_ARGS['ec-p256']], '/CN=trailing');
    const der = decodePemOrBase64(csr, ['CERTIFICATE REQUEST'], 'csr');
    const padded = toPem(Uint8Array.from([...der, 0, 0]), 'CERTIFICATE REQUEST');
    expect((await parseCsr(padded)).keyType).toBe('ec-p256');
  });

  it('names an unsupported curve and a weak RSA key', async () => {
    const k1 = opensslCsr(['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1'], '/CN=k1').csr;
    expect(await refusal(k1)).toMatchObject({ code: 'KEY_TYPE_UNSUPPORTED', field: 'csr', message: expect.stringMatching(/secp256k1/) });
    expect(await refusal(opensslCsr([...KEY_ARGS['ec-p521']], '/CN=p521').csr)).toMatchObject({
      code: 'KEY_TYPE_UNSUPPORTED',
      message: expect.stringMatching(/P-521/),
    });
    expect(await refusal(opensslCsr([...KEY_ARGS['rsa-1024']], '/CN=weak').csr)).toMatchObject({ code: 'KEY_TOO_WEAK', field: 'csr' });
  });
});
