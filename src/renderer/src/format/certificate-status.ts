import type { CertificateStatus, CertificateSummary, KeyStorage } from '../../../shared/contract/index.ts';

export const STATUS_META: Record<CertificateStatus, { label: string; color: string; hint: string }> = {
  active: { label: 'Active', color: 'green', hint: 'Valid and in use.' },
  superseded: { label: 'Superseded', color: 'gray', hint: 'Replaced by a renewal; still valid until it expires or is revoked.' },
  // Whether a CRL lists it yet is the certificate's own fact (onCrl): see statusHint.
  revoked: { label: 'Revoked', color: 'red', hint: 'Revoked; relying parties must refuse it once a CRL lists it.' },
  expired: { label: 'Expired', color: 'orange', hint: 'Past its not-after date.' },
};

export const KEY_STORAGE_META: Record<KeyStorage, { label: string; hint: string }> = {
  sealed: { label: 'sealed', hint: 'certdesk generated the key and keeps it sealed; it can export it protected by a passphrase.' },
  'csr-only': { label: 'CSR only', hint: 'Signed from a CSR: the key never left the client and certdesk has no copy.' },
  imported: { label: 'imported', hint: 'Added for tracking only: certdesk has no key for it.' },
};

/**
 * The status as it is true now. A revocation reaches relying parties only through a CRL: until the
 * CA's latest CRL lists the serial, the certificate is "revoked; on the next CRL".
 */
export function statusHint(certificate: Pick<CertificateSummary, 'status' | 'onCrl'>): string {
  if (certificate.status !== 'revoked') return STATUS_META[certificate.status].hint;
  return certificate.onCrl
    ? 'Listed on the CRL; relying parties must refuse it.'
    : 'Revoked; on the next CRL. No CRL lists it yet: generate and publish one from the Authorities page.';
}
