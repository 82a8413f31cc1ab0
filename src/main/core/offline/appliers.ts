import type {
  AuditEntriesItem,
  CaCertificateItem,
  CrlItem,
  CrlRequestItem,
  IssuedCertificateItem,
  RefusalItem,
  RevokeRequestItem,
  SignRequestItem,
  TransferItem,
} from '../../../shared/contract/index.ts';
import type { ItemApplier } from '../transfer/ports.ts';
import { caCertificateApplier } from './ca-certificate.ts';
import { crlRequestApplier } from './crl-request.ts';
import { crlApplier } from './crl-store.ts';
import { issuedCertificateApplier } from './issued-certificate.ts';
import type { OfflineParts } from './parts.ts';
import { refusalApplier } from './refusal.ts';
import { revokeRequestApplier } from './revoke-request.ts';
import { signerAuditApplier } from './signer-audit.ts';
import { signRequestApplier } from './sign-request.ts';

export interface SignerAppliers {
  'sign-request': ItemApplier<SignRequestItem>;
  'revoke-request': ItemApplier<RevokeRequestItem>;
  'crl-request': ItemApplier<CrlRequestItem>;
}

export interface PublisherAppliers {
  'issued-certificate': ItemApplier<IssuedCertificateItem>;
  'ca-certificate': ItemApplier<CaCertificateItem>;
  crl: ItemApplier<CrlItem>;
  refusal: ItemApplier<RefusalItem>;
  'audit-entries': ItemApplier<AuditEntriesItem>;
}

/** What a signer does with each item from its publisher. */
export function signerAppliers(parts: OfflineParts): SignerAppliers {
  return {
    'sign-request': signRequestApplier(parts),
    'revoke-request': revokeRequestApplier(parts),
    'crl-request': crlRequestApplier(parts),
  };
}

/**
 * What a publisher does with each item from its signer. Within one bundle apply ca-certificate items
 * before the certificates and CRLs that need them (PUBLISHER_APPLY_ORDER).
 */
export function publisherAppliers(parts: OfflineParts): PublisherAppliers {
  return {
    'ca-certificate': caCertificateApplier(parts),
    'issued-certificate': issuedCertificateApplier(parts),
    crl: crlApplier(parts),
    refusal: refusalApplier(parts),
    'audit-entries': signerAuditApplier(parts),
  };
}

export const PUBLISHER_APPLY_ORDER = [
  'audit-entries',
  'ca-certificate',
  'issued-certificate',
  'crl',
  'refusal',
] as const satisfies ReadonlyArray<keyof PublisherAppliers>;

/** One applier for any item kind, by its kind: the form the transfer core looks appliers up in. */
export function applierFor(appliers: SignerAppliers | PublisherAppliers, item: TransferItem): ItemApplier | undefined {
  return (appliers as unknown as Record<string, ItemApplier | undefined>)[item.kind];
}
