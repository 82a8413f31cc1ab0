import type { KeyType } from './keys.ts';

export type CertificateStatus = 'active' | 'superseded' | 'revoked' | 'expired';

/** sealed: certdesk generated the key and holds it sealed; csr-only: the key never left the client; imported: inventory only. */
export type KeyStorage = 'sealed' | 'csr-only' | 'imported';

/** RFC 5280 §5.3.1 CRLReason names, as OpenSSL spells them. */
export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/**
 * The reasons certdesk revokes with. certificateHold is left out: a hold is meant to be released, and
 * certdesk's revocation is permanent (it has no release); the type keeps it only to read CRLs and old rows.
 */
export const OFFERED_REVOCATION_REASONS = REVOCATION_REASONS.filter(
  (reason): reason is Exclude<RevocationReason, 'certificateHold'> => reason !== 'certificateHold',
);

export const SAN_TYPES = ['dns', 'uri', 'email'] as const;

export type SanType = (typeof SAN_TYPES)[number];

/** One SAN, as a union over its types (the form the issue schema admits, so the two stay identical). */
export type SanEntry = { [T in SanType]: { type: T; value: string } }[SanType];

export interface SubjectFields {
  commonName?: string;
  organization?: string;
  organizationalUnit?: string;
  /** Two capital letters. */
  country?: string;
}

export interface ProfileView {
  name: string;
  description: string;
  keyTypes: KeyType[];
  defaultKeyType: KeyType;
  defaultDays: number;
  maxDays: number;
  extendedKeyUsages: string[];
  /** Where the subject comes from when a CSR is signed: the CSR's, or the operator's override. */
  csrSubject: 'copy' | 'override-allowed';
}

/**
 * Where the key comes from. A CSR's subject is the requester's claim, not the operator's decision:
 * main ignores it unless `useCsrSubject` says the operator read it (certs:inspect-csr) and confirmed it.
 */
export type IssueSource = { kind: 'generated'; keyType?: KeyType } | { kind: 'csr'; csr: string; useCsrSubject?: boolean };

/** What a CSR asks for, shown to the operator before anything is signed. */
export interface CsrView {
  /** RFC 4514, most specific first (`CN=app,O=YourOrg,C=US`). */
  subject: string;
  /** The CSR's CN, O, OU and C, ready to fill the operator's subject fields. */
  subjectFields: SubjectFields;
  /** Attributes other than CN, O, OU and C (L, ST, emailAddress…): kept only when the CSR's subject is used as is. */
  otherAttributes: string[];
  sans: SanEntry[];
  keyType: KeyType;
  /**
   * The algorithm the requester signed the CSR with (`ecdsa-with-SHA256`). Present only because the
   * signature verified: a CSR whose signature fails is refused (CSR_SIGNATURE_INVALID), never previewed.
   */
  signatureAlgorithm: string;
}

export interface IssueInput {
  /** Id or name of the issuing authority. */
  ca: string;
  profile?: string;
  /** The operator's subject: with a CSR, required unless `source.useCsrSubject` (then it must be absent). */
  subject?: SubjectFields;
  /** With a CSR, the CSR's SANs are used when this is absent. */
  sans?: SanEntry[];
  days?: number;
  source: IssueSource;
  progressId?: string;
}

export interface CertificateSummary {
  id: string;
  commonName: string | null;
  subject: string;
  authorityId: string | null;
  issuerName: string;
  serialHex: string;
  status: CertificateStatus;
  notBefore: string;
  notAfter: string;
  keyType: KeyType;
  keyStorage: KeyStorage;
  profile: string | null;
  sha256Hex: string;
  /** When the edge's access log last showed this certificate presented; null when never, or no log is read. */
  lastSeenAtEdge: string | null;
  /** When renewal is due by its profile's renewal window (the Schedule's "renew on"): what colours its expiry. */
  renewAt: string;
  /**
   * For a revoked certificate, whether the latest CRL of its CA lists its serial: false right after the
   * revocation ("on the next CRL"), true once a CRL carries it. Null when it is not revoked.
   */
  onCrl: boolean | null;
}

/** A certificate of the same lineage (the one renewed, or its renewal), as the operator knows it. */
export interface LineageLink {
  id: string;
  serialHex: string;
  /** RFC 4514. */
  subject: string;
}

export interface LintCheck {
  id: 'version' | 'key' | 'eku' | 'subject' | 'validity' | 'chain' | 'ca-outlives-leaf' | 'signature';
  ok: boolean;
  message: string;
  /** What to do when `ok` is false. */
  fix?: string;
}

export interface LintResult {
  ok: boolean;
  checks: LintCheck[];
}

export interface ExtensionView {
  oid: string;
  name: string;
  critical: boolean;
  value: string;
}

export interface CertificateDetail extends CertificateSummary {
  subjectLines: string;
  issuer: string;
  sans: SanEntry[];
  sha256Base64url: string;
  sha1Hex: string;
  replacesId: string | null;
  replacedById: string | null;
  /** The certificate this one renewed, and its renewal: serial and subject, for the lineage panel. */
  replaces: LineageLink | null;
  replacedBy: LineageLink | null;
  revokedAt: string | null;
  revocationReason: RevocationReason | null;
  extensions: ExtensionView[];
  pem: string;
  /** Leaf first, then the issuing CAs up to the root. */
  chainPem: string;
  lint: LintResult;
  createdAt: string;
}

export interface CertificateQuery {
  search?: string;
  status?: CertificateStatus;
  /** Authority id or name. */
  issuer?: string;
  expiringWithinDays?: number;
  offset?: number;
  limit?: number;
}

export interface CertificatePage {
  total: number;
  offset: number;
  items: CertificateSummary[];
}

export interface RenewInput {
  /** Id, hex serial or SHA-256 thumbprint. */
  cert: string;
  sameKey?: boolean;
  days?: number;
  progressId?: string;
}

export interface RevokeInput {
  cert: string;
  reason?: RevocationReason;
}

export const EXPORT_FORMATS = ['pem', 'der', 'chain', 'p12', 'key'] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportInput {
  cert: string;
  format: ExportFormat;
  /** Required for p12 and key (at least 12 characters); the key is never exported unprotected. */
  passphrase?: string;
  /**
   * Always refused (FORBIDDEN, field `path`) before anything is read or written: no caller names
   * where a key goes. The desktop app asks in main's own save dialog; web mode and the CLI get the bytes.
   */
  path?: string;
}

export interface ExportResult {
  filename: string;
  /**
   * Base64 of the file, for the caller to deliver (a browser download, the CLI's `--out`): every
   * format, except a p12 or key export in the desktop app. A key is passphrase-protected, always.
   */
  contentBase64?: string;
  /** Desktop app, p12 and key: the file main wrote where the operator chose in its save dialog. */
  writtenTo?: string;
  containsKey: boolean;
}

export interface ImportCertificateInput {
  pem: string;
}
