import { recordFromCertificate } from '../../src/main/core/inventory/certificate-record.ts';
import { x509 } from '../../src/main/core/pki/x509.ts';
import type { CertificateRecord } from '../../src/main/core/store/certificate-repository.ts';

/** The inventory row of a certificate imported for tracking only (no CA, key or profile in certdesk). */
export function trackedRecord(pem: string, createdAt: string): CertificateRecord {
  return recordFromCertificate(new x509.X509Certificate(pem), {
    authorityId: null,
    profile: null,
    keyType: 'ec-p256',
    keyStorage: 'imported',
    keyId: null,
    replacesId: null,
    createdAt,
  });
}
