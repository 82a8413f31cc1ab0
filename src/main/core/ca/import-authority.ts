import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { CaKeyType, ImportCaInput } from '../../../shared/contract/index.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { CertdeskError } from '../errors.ts';
import { newId } from '../ids.ts';
import { nameDer, requireOpensslReadable, sameDn } from '../pki/names.ts';
import { bufferView, decodePemOrBase64, toArrayBuffer } from '../pki/pem.ts';
import { parsePrivateKeyOffThread } from '../pki/private-key-decrypt.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import { defaultCrypto, x509 } from '../pki/x509.ts';
import type { Crypto } from '../pki/webcrypto.ts';
import type { KeyVault } from '../secrets/key-vault.ts';
import type { AuthorityRecord, AuthorityRepository } from '../store/authority-repository.ts';
import type { Database } from '../store/database.ts';
import type { KeyRepository } from '../store/key-repository.ts';

/** The fields as the import form labels them, with the call's field name for the CLI and API. */
export const CERT_LABEL = 'CA certificate (certPem)';
export const KEY_LABEL = 'Private key (keyPem)';

export interface ImportDeps {
  db: Database;
  vault: KeyVault;
  clock: Clock;
  audit: AuditLog | undefined;
  repo: AuthorityRepository;
  keys: KeyRepository;
  crypto?: Crypto;
}

/**
 * Imports an existing CA (certificate plus its key in PKCS#8, PKCS#1 or SEC1, encrypted or not).
 * The key must match the certificate; a non-root must be signed by an authority already here.
 */
export async function importAuthority(deps: ImportDeps, input: ImportCaInput): Promise<AuthorityRecord> {
  const crypto = deps.crypto ?? defaultCrypto;
  const der = decodePemOrBase64(input.certPem, ['CERTIFICATE'], 'certPem', CERT_LABEL);
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(toArrayBuffer(der));
  } catch (cause) {
    throw new CertdeskError('PEM_INVALID', `${CERT_LABEL}: this is not an X.509 certificate.`, { field: 'certPem', cause });
  }
  requireOpensslReadable(der, `The ${CERT_LABEL}`, 'certPem');
  if (!cert.getExtension(x509.BasicConstraintsExtension)?.ca) {
    throw new CertdeskError(
      'VALIDATION',
      `${CERT_LABEL}: this is not a CA certificate (no basicConstraints CA:true). Import leaf certificates into the inventory instead.`,
      { field: 'certPem' },
    );
  }
  const key = await (async () => {
    try {
      return await parsePrivateKeyOffThread(input.keyPem, input.keyPassphrase);
    } catch (error) {
      if (error instanceof CertdeskError && error.field === 'key')
        throw new CertdeskError(error.code, `${KEY_LABEL}: ${error.message}`, { field: 'keyPem', cause: error });
      throw error;
    }
  })();
  const keySpki = createPublicKey(createPrivateKey({ key: bufferView(key.pkcs8), format: 'der', type: 'pkcs8' })).export({
    type: 'spki',
    format: 'der',
  });
  if (!Buffer.from(cert.publicKey.rawData).equals(keySpki)) {
    throw new CertdeskError(
      'VALIDATION',
      `${KEY_LABEL}: this is not the key of the CA certificate (their public keys differ). Choose the matching key file.`,
      { field: 'keyPem' },
    );
  }
  const selfSigned = await cert.isSelfSigned(crypto);
  let parent: AuthorityRecord | undefined;
  if (!selfSigned) {
    for (const candidate of deps.repo.list()) {
      const caCert = new x509.X509Certificate(candidate.certDer);
      if (
        sameDn(nameDer(caCert.subjectName), nameDer(cert.issuerName)) &&
        (await cert.verify({ publicKey: caCert.publicKey, signatureOnly: true }, crypto).catch(() => false))
      )
        parent = candidate;
    }
    if (!parent)
      throw new CertdeskError('NOT_FOUND', `No authority here signed this CA (issuer ${cert.issuer}). Import its root first.`, {
        field: 'certPem',
      });
  }
  const sha256Hex = thumbprints(der).sha256Hex;
  if (deps.repo.list().some((a) => a.sha256Hex === sha256Hex))
    throw new CertdeskError('CONFLICT', 'This CA is already imported.', { field: 'certPem' });
  const name = (input.name ?? cert.subjectName.getField('CN')[0] ?? cert.subject).trim().slice(0, 64);
  if (deps.repo.find(name))
    throw new CertdeskError('CONFLICT', `An authority named "${name}" already exists; give the import another name.`, { field: 'name' });

  const keyId = newId('key');
  const sealed = await deps.vault.sealKey(keyId, key.pkcs8);
  key.pkcs8.fill(0);
  const createdAt = deps.clock.now().toISOString();
  const record: AuthorityRecord = {
    id: newId('ca'),
    name,
    kind: selfSigned ? 'root' : 'issuing',
    parentId: parent?.id ?? null,
    keyId,
    keyType: key.keyType as CaKeyType,
    subject: cert.subject,
    serialHex: cert.serialNumber.toLowerCase(),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    sha256Hex,
    certDer: der,
    createdAt,
  };
  deps.db
    .transaction(() => {
      deps.keys.insert({
        id: keyId,
        keyType: key.keyType,
        publicKeySha256: thumbprints(new Uint8Array(keySpki)).sha256Hex,
        sealed,
        createdAt,
      });
      deps.repo.insert(record);
      deps.audit?.append('ca.import', record.id, { name, kind: record.kind, sha256: sha256Hex });
    })
    .immediate();
  return record;
}
