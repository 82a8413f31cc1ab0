import { REVOCATION_REASONS, type RevocationReason } from '../../../shared/contract/index.ts';

const LABELS: Record<RevocationReason, string> = {
  unspecified: 'Unspecified',
  keyCompromise: 'Key compromise',
  cACompromise: 'CA compromise',
  affiliationChanged: 'Affiliation changed',
  superseded: 'Superseded',
  cessationOfOperation: 'Cessation of operation',
  certificateHold: 'Certificate hold',
  privilegeWithdrawn: 'Privilege withdrawn',
  aACompromise: 'AA compromise',
};

/** Words for people, with the RFC 5280 name operators grep CRL dumps for. */
export function revocationReasonLabel(reason: RevocationReason): string {
  return `${LABELS[reason] ?? reason} (${reason})`;
}

export const REVOCATION_REASON_OPTIONS = REVOCATION_REASONS.map((reason) => ({ value: reason, label: revocationReasonLabel(reason) }));
