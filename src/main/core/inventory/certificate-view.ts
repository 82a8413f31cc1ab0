import type { CertificateDetail, CertificateSummary, ExtensionView, LineageLink, LintResult } from '../../../shared/contract/index.ts';
import { leafRenewalPolicy, renewAt } from '../schedule/renewal-policy.ts';
import { certificateToPem } from '../pki/pem.ts';
import { CertificateBytes, type CertificateExtension } from '../pki/certificate-bytes.ts';
import { x509 } from '../pki/x509.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';

const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.19': 'Basic constraints',
  '2.5.29.15': 'Key usage',
  '2.5.29.37': 'Extended key usage',
  '2.5.29.14': 'Subject key identifier',
  '2.5.29.35': 'Authority key identifier',
  '2.5.29.17': 'Subject alternative name',
  '2.5.29.31': 'CRL distribution points',
  '1.3.6.1.5.5.7.1.1': 'Authority information access',
  '2.5.29.32': 'Certificate policies',
};

/** `onCrl`: whether the latest CRL of the row's CA lists it (only asked for a revoked row). */
export function toSummary(row: CertificateRow, issuerName: string, onCrl: boolean | null = null): CertificateSummary {
  return {
    id: row.id,
    commonName: row.commonName,
    subject: row.subject,
    authorityId: row.authorityId,
    issuerName,
    serialHex: row.serialHex,
    status: row.status,
    notBefore: row.notBefore,
    notAfter: row.notAfter,
    keyType: row.keyType,
    keyStorage: row.keyStorage,
    profile: row.profile,
    sha256Hex: row.sha256Hex,
    lastSeenAtEdge: row.lastSeenAtEdge,
    renewAt: renewAt(new Date(row.notBefore), new Date(row.notAfter), leafRenewalPolicy(row.profile)).toISOString(),
    onCrl: row.revokedAt === null ? null : onCrl === true,
  };
}

export function lineageLink(row: CertificateRow | undefined): LineageLink | null {
  return row ? { id: row.id, serialHex: row.serialHex, subject: row.subject } : null;
}

/** What the detail view adds to the row: its CA's name and chain, its lint, its CRL state and its lineage. */
export interface DetailParts {
  issuerName: string;
  chainPems: string[];
  lint: LintResult;
  onCrl: boolean | null;
  replaces: LineageLink | null;
  replacedBy: LineageLink | null;
}

const EKU_NAMES: Record<string, string> = { '1.3.6.1.5.5.7.3.2': 'clientAuth', '1.3.6.1.5.5.7.3.1': 'serverAuth' };
const KU_NAMES: Array<[number, string]> = [
  [x509.KeyUsageFlags.digitalSignature, 'digitalSignature'],
  [x509.KeyUsageFlags.nonRepudiation, 'nonRepudiation'],
  [x509.KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [x509.KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [x509.KeyUsageFlags.keyAgreement, 'keyAgreement'],
  [x509.KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [x509.KeyUsageFlags.cRLSign, 'cRLSign'],
];
const colonHex = (hex: string) => hex.toUpperCase().match(/../g)?.join(':') ?? hex;

/** One extension's value the way operators read it in `openssl x509 -text`. */
function extensionValue(ext: x509.Extension): string {
  if (ext instanceof x509.BasicConstraintsExtension)
    return `CA:${ext.ca ? 'TRUE' : 'FALSE'}${ext.pathLength !== undefined ? `, pathlen:${ext.pathLength}` : ''}`;
  if (ext instanceof x509.KeyUsagesExtension)
    return KU_NAMES.filter(([flag]) => ext.usages & flag)
      .map(([, name]) => name)
      .join(', ');
  if (ext instanceof x509.ExtendedKeyUsageExtension) return ext.usages.map((u) => EKU_NAMES[String(u)] ?? String(u)).join(', ');
  if (ext instanceof x509.SubjectKeyIdentifierExtension) return colonHex(ext.keyId);
  if (ext instanceof x509.AuthorityKeyIdentifierExtension) return ext.keyId ? `keyid:${colonHex(ext.keyId)}` : 'issuer and serial';
  if (ext instanceof x509.SubjectAlternativeNameExtension) return ext.names.items.map((n) => `${sanLabel(n.type)}:${n.value}`).join(', ');
  try {
    return ext
      .toString('text')
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .filter(Boolean)
      .join('; ');
  } catch {
    return Buffer.from(ext.value).toString('hex');
  }
}

/** Each extension as a short human-readable value: a leaf's own SKI and SAN from their bytes, the rest decoded. */
export function extensionViews(extensions: readonly CertificateExtension[]): ExtensionView[] {
  return extensions.map((ext) => {
    const name = EXTENSION_NAMES[ext.oid] ?? ext.oid;
    if (ext.keyId !== undefined) return { oid: ext.oid, name, critical: ext.critical, value: colonHex(ext.keyId) };
    if (ext.asciiNames !== undefined)
      return {
        oid: ext.oid,
        name,
        critical: ext.critical,
        value: ext.asciiNames.map((n) => `${sanLabel(n.type)}:${n.value}`).join(', '),
      };
    const decoded = ext.decoded;
    let view = views.get(decoded);
    if (!view) views.set(decoded, (view = { oid: decoded.type, name, critical: decoded.critical, value: extensionValue(decoded) }));
    return { ...view };
  });
}

/** A SAN name's label in a view (`DNS:`, `URI:`, `EMAIL:`), whether @peculiar/x509 typed it (`url`) or the bytes were read (`uri`). */
function sanLabel(type: string): string {
  return type === 'url' || type === 'uri' ? 'URI' : type.toUpperCase();
}

/** Each decoded extension's view, made once: the decoded objects are shared (see certificateExtensions). */
const views = new WeakMap<x509.Extension, ExtensionView>();

export function toDetail(
  row: CertificateRow,
  parts: DetailParts,
  cert: CertificateBytes = new CertificateBytes(row.certDer),
): CertificateDetail {
  const { issuerName, chainPems, lint } = parts;
  const pem = certificateToPem(row.certDer);
  return {
    ...toSummary(row, issuerName, parts.onCrl),
    subjectLines: row.subjectLines,
    issuer: row.issuer,
    sans: row.sans,
    sha256Base64url: row.sha256Base64url,
    sha1Hex: row.sha1Hex,
    replacesId: row.replacesId,
    replacedById: row.replacedById,
    replaces: parts.replaces,
    replacedBy: parts.replacedBy,
    revokedAt: row.revokedAt,
    revocationReason: row.revocationReason,
    extensions: extensionViews(cert.extensionEntries()),
    pem,
    chainPem: [pem, ...chainPems].join(''),
    lint,
    createdAt: row.createdAt,
  };
}
