import type { CertificateStatus, KeyStorage } from '../../../shared/contract/index.ts';

export const STATUS_META: Record<CertificateStatus, { label: string; color: string; hint: string }> = {
  active: { label: 'Active', color: 'green', hint: 'Valid and in use.' },
  superseded: { label: 'Superseded', color: 'gray', hint: 'Replaced by a renewal; still valid until it expires or is revoked.' },
  revoked: { label: 'Revoked', color: 'red', hint: 'Listed on the CRL; relying parties must refuse it.' },
  expired: { label: 'Expired', color: 'orange', hint: 'Past its not-after date.' },
};

export const KEY_STORAGE_META: Record<KeyStorage, { label: string; hint: string }> = {
  sealed: { label: 'sealed', hint: 'certdesk generated the key and keeps it sealed; it can export it protected by a passphrase.' },
  'csr-only': { label: 'CSR only', hint: 'Signed from a CSR: the key never left the client and certdesk has no copy.' },
  imported: { label: 'imported', hint: 'Added for tracking only: certdesk has no key for it.' },
};
