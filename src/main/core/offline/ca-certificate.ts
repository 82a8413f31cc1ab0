import { CA_KEY_TYPES, type CaCertificateItem, type CaKeyType, type TransferItem } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { newId } from '../ids.ts';
import { keyTypeOf } from '../pki/key-types.ts';
import { nameDer, sameDn } from '../pki/names.ts';
import { decodePemOrBase64, toArrayBuffer } from '../pki/pem.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import { x509 } from '../pki/x509.ts';
import { AuthorityRepository, type AuthorityRecord } from '../store/authority-repository.ts';
import type { ItemApplier, ItemReview } from '../transfer/ports.ts';
import type { OfflineParts } from './parts.ts';

interface Checked {
  cert: x509.X509Certificate;
  der: Uint8Array;
  sha256Hex: string;
  /** Already held: applying changes nothing. */
  held: AuthorityRecord | undefined;
  parent: AuthorityRecord | undefined;
  /** Not self-signed, and no CA held here signed it (yet): a review leaves that to apply time. */
  parentMissing: boolean;
  keyType: CaKeyType;
}

/**
 * A CA certificate from the signer, certificate only: a CA (basicConstraints CA:true), self-signed
 * for a root, else signed by a CA already held here (send the root first).
 */
async function check(parts: OfflineParts, item: CaCertificateItem, forApply: boolean): Promise<Checked> {
  const { ctx } = parts;
  const der = decodePemOrBase64(item.certificatePem, ['CERTIFICATE'], 'certificatePem');
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(toArrayBuffer(der));
  } catch (cause) {
    throw new CertdeskError('PEM_INVALID', 'certificatePem is not an X.509 certificate.', { field: 'certificatePem', cause });
  }
  const sha256Hex = thumbprints(der).sha256Hex;
  const repo = new AuthorityRepository(ctx.db);
  const held = repo.list().find((a) => a.sha256Hex === sha256Hex);
  if (!cert.getExtension(x509.BasicConstraintsExtension)?.ca)
    throw new CertdeskError('VALIDATION', 'certificatePem is not a CA certificate (no basicConstraints CA:true).', {
      field: 'certificatePem',
    });
  const keyType = keyTypeOf((await cert.publicKey.export(ctx.crypto)).algorithm as never);
  if (!(CA_KEY_TYPES as readonly string[]).includes(keyType))
    throw new CertdeskError('KEY_TYPE_UNSUPPORTED', `A CA key of type ${keyType} is not one certdesk uses.`, { field: 'certificatePem' });
  let parent: AuthorityRecord | undefined;
  const selfSigned = await cert.isSelfSigned(ctx.crypto);
  if (!selfSigned) {
    for (const candidate of repo.list()) {
      const caCert = new x509.X509Certificate(candidate.certDer);
      if (
        sameDn(nameDer(caCert.subjectName), nameDer(cert.issuerName)) &&
        (await cert.verify({ publicKey: caCert.publicKey, signatureOnly: true }, ctx.crypto).catch(() => false))
      )
        parent = candidate;
    }
    if (!parent && forApply)
      throw new CertdeskError('CHAIN_UNTRUSTED', `No CA held here signed this CA (issuer ${cert.issuer}); send its root first.`, {
        field: 'certificatePem',
      });
  }
  return { cert, der, sha256Hex, held, parent, parentMissing: !selfSigned && !parent, keyType: keyType as CaKeyType };
}

/** The publisher's import of a CA certificate: an authority with no key (the signer keeps it). Already held: nothing changes. */
export function caCertificateApplier(parts: OfflineParts): ItemApplier<CaCertificateItem> {
  return {
    kind: 'ca-certificate',
    async review(item): Promise<ItemReview> {
      try {
        // Its parent may come earlier in the same bundle (the signer sends roots first): whether it
        // is held is checked when the item is applied, in the bundle's order.
        const c = await check(parts, item, false);
        return {
          effect: c.held
            ? `Nothing: the CA certificate "${c.held.name}" is already held`
            : `Add the ${c.parent || c.parentMissing ? 'issuing' : 'root'} CA certificate ${c.cert.subject} (certificate only, no key)`,
          details: {
            subject: c.cert.subject,
            issuer: c.cert.issuer,
            sha256: c.sha256Hex,
            validity: `${c.cert.notBefore.toISOString()} to ${c.cert.notAfter.toISOString()}`,
            parent: c.parent?.name ?? (c.parentMissing ? `${c.cert.issuer}: not held yet; it must be applied first` : '(self-signed root)'),
          },
          problem: null,
        };
      } catch (error) {
        if (!(error instanceof CertdeskError)) throw error;
        return { effect: 'Add a CA certificate', details: {}, problem: { code: error.code, reason: error.message } };
      }
    },
    async apply(item, origin): Promise<TransferItem[]> {
      const { ctx } = parts;
      const c = await check(parts, item, true);
      if (c.held) return [];
      const repo = new AuthorityRepository(ctx.db);
      const cn = (c.cert.subjectName.getField('CN')[0] ?? c.cert.subject).trim().slice(0, 48);
      // A name is this workstation's label; the certificate is the identity. Two CAs may share a CN.
      const name = repo.find(cn) ? `${cn} (${c.sha256Hex.slice(0, 8)})` : cn;
      const record: AuthorityRecord = {
        id: newId('ca'),
        name,
        kind: c.parent ? 'issuing' : 'root',
        parentId: c.parent?.id ?? null,
        keyId: null,
        keyType: c.keyType,
        subject: c.cert.subject,
        serialHex: c.cert.serialNumber.toLowerCase(),
        notBefore: c.cert.notBefore.toISOString(),
        notAfter: c.cert.notAfter.toISOString(),
        sha256Hex: c.sha256Hex,
        certDer: c.der,
        createdAt: ctx.clock.now().toISOString(),
      };
      ctx.db
        .transaction(() => {
          repo.insert(record);
          ctx.audit.append('offline.receive-ca', record.id, {
            name,
            kind: record.kind,
            sha256: c.sha256Hex,
            importId: origin.importId,
            itemId: origin.itemId,
          });
        })
        .immediate();
      return [];
    },
  };
}
