import { OFFERED_REVOCATION_REASONS, type RevocationReason } from '../../../shared/contract/index.ts';

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

/** What the revoke dialog offers: no certificateHold, since certdesk's revocation is permanent and has no release. */
export const REVOCATION_REASON_OPTIONS = OFFERED_REVOCATION_REASONS.map((reason) => ({
  value: reason,
  label: revocationReasonLabel(reason),
}));
