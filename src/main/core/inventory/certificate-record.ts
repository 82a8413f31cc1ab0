import type { KeyStorage, KeyType, SanEntry } from '../../../shared/contract/index.ts';
import { newId } from '../ids.ts';
import { requireOpensslReadable, subjectForms } from '../pki/names.ts';
import { readSans } from '../pki/sans.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import { x509 } from '../pki/x509.ts';
import type { CertificateRecord } from '../store/certificate-repository.ts';

/** Everything the inventory stores about a certificate from outside, derived once from its DER (which OpenSSL must read). */
export function recordFromCertificate(
  cert: x509.X509Certificate,
  fields: {
    authorityId: string | null;
    profile: string | null;
    keyType: KeyType;
    keyStorage: KeyStorage;
    keyId: string | null;
    replacesId: string | null;
    createdAt: string;
  },
): CertificateRecord {
  const der = new Uint8Array(cert.rawData);
  requireOpensslReadable(der, 'The certificate', 'pem');
  const names = subjectForms(der);
  const sans: SanEntry[] = readSans(cert.getExtension(x509.SubjectAlternativeNameExtension));
  return {
    id: newId('cert'),
    ...fields,
    serialHex: cert.serialNumber.toLowerCase(),
    commonName: cert.subjectName.getField('CN')[0] ?? null,
    subject: names.rfc4514,
    subjectLines: names.lines,
    issuer: names.issuerRfc4514,
    sans,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    ...thumbprints(der),
    revokedAt: null,
    revocationReason: null,
    certDer: der,
  };
}

/**
 * The record of a certificate certdesk just built: what it put in is known, so nothing is decoded
 * again but the two DN texts (as Node prints them: see subjectForms). Times are kept to the second,
 * as the certificate has them.
 */
export function recordFromIssued(
  der: Uint8Array,
  known: { serialHex: string; commonName: string | null; sans: SanEntry[]; notBefore: Date; notAfter: Date },
  fields: Parameters<typeof recordFromCertificate>[1],
): CertificateRecord {
  const names = subjectForms(der);
  const second = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString();
  return {
    id: newId('cert'),
    ...fields,
    serialHex: known.serialHex,
    commonName: known.commonName,
    subject: names.rfc4514,
    subjectLines: names.lines,
    issuer: names.issuerRfc4514,
    sans: known.sans,
    notBefore: second(known.notBefore),
    notAfter: second(known.notAfter),
    ...thumbprints(der),
    revokedAt: null,
    revocationReason: null,
    certDer: der,
  };
}
