import type { RevocationReason } from './certificates.ts';
import type { CaKeyType, KeyType } from './keys.ts';

export type AuthorityKind = 'root' | 'issuing';

export interface AuthorityView {
  id: string;
  name: string;
  kind: AuthorityKind;
  parentId: string | null;
  /** RFC 4514 form, most specific first: `CN=Acme Root CA,O=Acme`. */
  subject: string;
  /** Certificate order, one attribute a line: the form Auth0 and Node's X509Certificate print. */
  subjectLines: string;
  issuer: string;
  serialHex: string;
  notBefore: string;
  notAfter: string;
  keyType: KeyType;
  pathLength: number | null;
  sha256Hex: string;
  /** base64url of the SHA-256 of the DER: the `x5t#S256` form. */
  sha256Base64url: string;
  sha1Hex: string;
  pem: string;
  createdAt: string;
  /** When new issuance under it was stopped; what it signed stays valid. A revoked CA is retired too. */
  retiredAt: string | null;
  /** Issuing CAs only: when it was put on its root's CRL, and why. */
  revokedAt: string | null;
  revocationReason: RevocationReason | null;
  /** Its latest CRL, or null before the first one. */
  crl: CrlSummary | null;
  /** What leaves issued under it carry; null: that extension is left out. */
  urls: AuthorityUrls;
}

/**
 * A CA's distribution URLs, http(s) only: `crlUrl` becomes the leaves' cRLDistributionPoints,
 * `caIssuersUrl` and `ocspUrl` their authorityInfoAccess (caIssuers; OCSP only when a responder runs).
 */
export interface AuthorityUrls {
  crlUrl: string | null;
  caIssuersUrl: string | null;
  ocspUrl: string | null;
}

/** Sets (or, with null, clears) a CA's distribution URLs; leaves issued from then on carry them. */
export interface SetAuthorityUrlsInput extends AuthorityUrls {
  ca: string;
}

export interface CrlSummary {
  crlNumber: number;
  thisUpdate: string;
  nextUpdate: string;
}

/** Hours before a CRL's nextUpdate from which the table and the schedule warn: an edge with an outdated CRL may refuse every client. */
export const CRL_WARN_HOURS = 48;

/** Stop (or, with `retired: false`, resume) new issuance under a CA. */
export interface RetireAuthorityInput {
  ca: string;
  retired: boolean;
}

/** The reasons that make sense for a CA certificate (RFC 5280 §5.3.1); certificateHold is not offered. */
export const CA_REVOCATION_REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'superseded', 'cessationOfOperation'] as const;
export type CaRevocationReason = (typeof CA_REVOCATION_REASONS)[number];

/** Revokes an issuing CA under its root: it goes on the root's CRL, which is signed again at once. */
export interface RevokeAuthorityInput {
  ca: string;
  reason?: CaRevocationReason;
}

export interface CreateAuthorityInput {
  /** Becomes the subject CN. */
  name: string;
  organization?: string;
  /** Two-letter ISO 3166 country code. */
  country?: string;
  keyType?: CaKeyType;
  /** Whole years; the default is 10 for a root and 5 for an issuing CA, capped to the parent. */
  years?: number;
  /** Id or name of the parent authority; without it a self-signed root is made. */
  parent?: string;
  /** Distribution URLs for the leaves it will issue (see AuthorityUrls). */
  crlUrl?: string;
  caIssuersUrl?: string;
  ocspUrl?: string;
  /** Correlates `progress` events with this call. */
  progressId?: string;
}

export interface CrlView {
  authorityId: string;
  crlNumber: number;
  thisUpdate: string;
  nextUpdate: string;
  revokedCount: number;
  /** PEM with the `X509 CRL` label OpenSSL reads. */
  pem: string;
}

export interface ImportCaInput {
  certPem: string;
  keyPem: string;
  keyPassphrase?: string;
  name?: string;
}
