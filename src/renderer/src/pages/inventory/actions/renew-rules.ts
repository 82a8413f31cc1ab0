import type { CertificateDetail } from '../../../../../shared/contract/index.ts';

export interface Renewability {
  /** Why the certificate cannot be renewed at all, or `null` when it can. */
  blocked: string | null;
  /** Why a new key cannot be generated for it, or `null` when re-keying is possible. */
  rekeyBlocked: string | null;
}

/**
 * Renewal re-signs under the same authority: it needs one of certdesk's CAs as the issuer, and a
 * new key only where certdesk holds the key (sealed). Mirrors the server, which has the last word.
 */
export function renewability(cert: CertificateDetail): Renewability {
  if (cert.status === 'revoked')
    return { blocked: 'A revoked certificate cannot be renewed. Issue a new one instead.', rekeyBlocked: null };
  if (!cert.authorityId) {
    return {
      blocked: `certdesk did not issue this certificate (${cert.issuerName} is not one of its authorities), so it cannot renew it.`,
      rekeyBlocked: null,
    };
  }
  if (cert.keyStorage === 'csr-only') {
    return {
      blocked: null,
      rekeyBlocked:
        'This certificate was signed from a CSR: the key never left the client and certdesk has no copy. Renewing re-signs the same public key; for a new key, ask the client for a new CSR and issue from it.',
    };
  }
  if (cert.keyStorage === 'imported') {
    return { blocked: null, rekeyBlocked: 'certdesk holds no key for an imported certificate. Renewing re-signs the same public key.' };
  }
  return { blocked: null, rekeyBlocked: null };
}
