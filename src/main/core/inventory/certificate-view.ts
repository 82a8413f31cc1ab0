import type { CertificateDetail, CertificateSummary, ExtensionView, LintResult } from '../../../shared/contract.ts';
import { certificateToPem } from '../pki/pem.ts';
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

export function toSummary(row: CertificateRow, issuerName: string): CertificateSummary {
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
  };
}

/** Decoded extensions, each as a short human-readable value. */
export function extensionViews(cert: x509.X509Certificate): ExtensionView[] {
  return cert.extensions.map((ext) => {
    let value: string;
    try {
      const text = ext.toString('text');
      value = text.split('\n').slice(1).map((l) => l.trim()).filter(Boolean).join('; ') || text;
    } catch {
      value = Buffer.from(ext.value).toString('hex');
    }
    return { oid: ext.type, name: EXTENSION_NAMES[ext.type] ?? ext.type, critical: ext.critical, value };
  });
}

export function toDetail(row: CertificateRow, issuerName: string, chainPems: string[], lint: LintResult): CertificateDetail {
  const cert = new x509.X509Certificate(row.certDer);
  const pem = certificateToPem(row.certDer);
  return {
    ...toSummary(row, issuerName),
    subjectLines: row.subjectLines,
    issuer: row.issuer,
    sans: row.sans,
    sha256Base64url: row.sha256Base64url,
    sha1Hex: row.sha1Hex,
    replacesId: row.replacesId,
    replacedById: row.replacedById,
    revokedAt: row.revokedAt,
    revocationReason: row.revocationReason,
    extensions: extensionViews(cert),
    pem,
    chainPem: [pem, ...chainPems].join(''),
    lint,
    createdAt: row.createdAt,
  };
}
