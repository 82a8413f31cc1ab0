import type { CertificateStatus } from '../../../../shared/contract/index.ts';

/** The contract has the type only; this is its runtime list, in the order a filter offers them. */
export const CERTIFICATE_STATUSES = ['active', 'superseded', 'revoked', 'expired'] as const satisfies readonly CertificateStatus[];
type Missing = Exclude<CertificateStatus, (typeof CERTIFICATE_STATUSES)[number]>;
export const CERTIFICATE_STATUSES_COMPLETE: Missing extends never ? true : Missing = true;
