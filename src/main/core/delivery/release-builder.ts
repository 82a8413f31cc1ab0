/**
 * One release's bytes, as every target writes them: the leaf, the issuing chain without the root,
 * the leaf plus that chain, and the key in the target's format (PKCS#8 PEM, encrypted PKCS#8 PEM or
 * PKCS#12, the last two under the target's vault-held passphrase). A certificate whose key certdesk
 * does not hold (CSR mode, imported) gets the public files only.
 */
import { X509Certificate, createHash } from 'node:crypto';
import type { KeyFormat, TargetFileNames } from '../../../shared/contract/index.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';
import { buildPkcs12 } from '../pki/pkcs12.ts';
import { certificateToPem, decodePemOrBase64, toPemBytes } from '../pki/pem.ts';
import { encryptPkcs8Pem } from '../pki/private-key-formats.ts';
import type { Crypto } from '../pki/webcrypto.ts';
import { releaseId, type Release, type ReleaseFile } from './release.ts';

export interface ReleaseSource {
  cert: CertificateRow;
  /** Issuing CA first, up to the root (Inventory.chainPems). */
  chainPems: string[];
  /** The key, when certdesk holds it; zeroed by the caller. */
  pkcs8: Uint8Array | null;
  keyFormat: KeyFormat;
  passphrase: string | null;
  fileNames: TargetFileNames;
  keyMode: number;
  publicMode: number;
  at: Date;
  crypto: Crypto;
}

/** A self-signed certificate is a root: workloads and edges carry their own, so chain.pem leaves it out. */
function isRoot(pem: string): boolean {
  const cert = new X509Certificate(pem);
  return cert.subject === cert.issuer && cert.checkIssued(cert) && cert.verify(cert.publicKey);
}

export function issuingChain(chainPems: readonly string[]): string[] {
  return chainPems.filter((pem) => !isRoot(pem));
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function buildRelease(source: ReleaseSource): Promise<Release> {
  const { cert, fileNames } = source;
  const leaf = certificateToPem(cert.certDer);
  const chain = issuingChain(source.chainPems).join('');
  const files: ReleaseFile[] = [
    { role: 'cert', name: fileNames.cert, bytes: Buffer.from(leaf), mode: source.publicMode },
    { role: 'chain', name: fileNames.chain, bytes: Buffer.from(chain), mode: source.publicMode },
    { role: 'fullchain', name: fileNames.fullchain, bytes: Buffer.from(leaf + chain), mode: source.publicMode },
  ];
  if (source.pkcs8) {
    if (source.keyFormat === 'pem')
      files.push({ role: 'key', name: fileNames.key, bytes: toPemBytes(source.pkcs8, 'PRIVATE KEY'), mode: source.keyMode });
    else if (source.keyFormat === 'encrypted')
      files.push({
        role: 'key',
        name: fileNames.key,
        bytes: Buffer.from(encryptPkcs8Pem(source.pkcs8, requirePassphrase(source))),
        mode: source.keyMode,
      });
    else
      files.push({
        role: 'p12',
        name: fileNames.p12,
        bytes: await buildPkcs12({
          certificate: cert.certDer,
          chain: issuingChain(source.chainPems).map((pem) => decodePemOrBase64(pem, ['CERTIFICATE'], 'chain')),
          pkcs8: source.pkcs8,
          passphrase: requirePassphrase(source),
          friendlyName: cert.commonName ?? cert.serialHex,
          crypto: source.crypto,
        }),
        mode: source.keyMode,
      });
  }
  return {
    manifest: {
      format: 'certdesk-release/1',
      releaseId: releaseId(cert.serialHex, source.at),
      certificateId: cert.id,
      serialHex: cert.serialHex,
      sha256: cert.sha256Hex,
      notAfter: cert.notAfter,
      writtenAt: source.at.toISOString(),
      files: Object.fromEntries(files.map((f) => [f.name, sha256(f.bytes)])),
    },
    files,
  };
}

function requirePassphrase(source: ReleaseSource): string {
  if (source.passphrase === null) throw new Error('a target with an encrypted key format has no passphrase');
  return source.passphrase;
}
