/**
 * Leaf issuance (issue 3, fast path issue 14) in a realistic store (one root, one issuing CA), each
 * row against the irreducible crypto of what it does, measured in the same run:
 * - managed P-256: keygen + one signature + PKCS#8 export;
 * - from a CSR: verifying the CSR's own signature + one signature.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { CertdeskService } from '../src/main/core/service.ts';
import { MemorySecretStore } from '../src/main/core/secrets/secret-store.ts';
import { x509 } from '../src/main/core/pki/x509.ts';

type Rate = (run: () => Promise<unknown> | unknown, minMs?: number) => Promise<number>;

export interface IssuanceBench {
  rawKeygenSign: number;
  issueManaged: number;
  rawVerifySign: number;
  signCsr: number;
}

export async function issuanceBench(rate: Rate, rawKeygenSign: number): Promise<IssuanceBench & { service: CertdeskService; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-'));
  // Checkpoints on a worker thread, as the app's long-lived hosts open the store.
  const service = CertdeskService.open({ dataDir: dir, secretStore: new MemorySecretStore(), mode: 'cli', walCheckpoints: true });
  await service.createAuthority({ name: 'Bench Root' });
  await service.createAuthority({ name: 'Bench Issuing 0', parent: 'Bench Root' });
  let n = 0;
  const issueManaged = await rate(() =>
    service.issue({ ca: 'Bench Issuing 0', subject: { commonName: `bench-${n++}` }, source: { kind: 'generated', keyType: 'ec-p256' } }),
  );

  const csrKeys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=bench-csr',
    keys: csrKeys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  });
  const csrPem = csr.toString('pem');
  // The CSR's own signature, as WebCrypto verifies it (r‖s), over its own CertificationRequestInfo.
  const info = firstElement(new Uint8Array(csr.rawData));
  const signature = new x509.AsnEcSignatureFormatter().toWebSignature({ name: 'ECDSA', namedCurve: 'P-256' } as never, csr.signature);
  if (!signature || !(await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, csrKeys.publicKey, signature, info)))
    throw new Error('bench: the CSR baseline does not verify its own signature');
  const tbs = new Uint8Array(400);
  const rawVerifySign = await rate(async () => {
    await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, csrKeys.publicKey, signature, info);
    await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, csrKeys.privateKey, tbs);
  });
  // The operator gives each certificate its subject (a CSR's own is used only when confirmed), so each is a new DN.
  const signCsr = await rate(() =>
    service.issue({ ca: 'Bench Issuing 0', subject: { commonName: `bench-csr-${n++}` }, source: { kind: 'csr', csr: csrPem } }),
  );
  return { rawKeygenSign, issueManaged, rawVerifySign, signCsr, service, dir };
}

export async function closeIssuanceBench(b: { service: CertdeskService; dir: string }): Promise<void> {
  b.service.close();
  // The checkpoint worker's connection closes before its folder goes.
  await b.service.walCheckpoints?.stop();
  rmSync(b.dir, { recursive: true, force: true });
}

/** The first element inside a DER SEQUENCE (a CSR's CertificationRequestInfo, the bytes its signature covers). */
function firstElement(der: Uint8Array): Uint8Array {
  const headerLength = (at: number) => {
    const len = der[at + 1]!;
    return len & 0x80 ? 2 + (len & 0x7f) : 2;
  };
  const valueLength = (at: number) => {
    const len = der[at + 1]!;
    if (!(len & 0x80)) return len;
    let n = 0;
    for (let k = 0; k < (len & 0x7f); k++) n = n * 256 + der[at + 2 + k]!;
    return n;
  };
  const start = headerLength(0);
  return der.subarray(start, start + headerLength(start) + valueLength(start));
}
