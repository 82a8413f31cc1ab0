/**
 * The offline workstation (issue 12): a data folder's role, and the items that cross the air gap in
 * a signed transfer bundle (`.cdx`). These are the shapes every part agrees on: the bundle codec
 * (core/transfer), the signer's review and apply, the publisher's import, and rotation across the gap.
 * The bundle's wire format is documented in docs/transfer-bundles.md.
 */

/**
 * `signer` holds CA keys, keeps no tenants and opens no network socket. `publisher` holds tenants,
 * bindings, the edge, delivery targets and public certificates and CRLs, but no CA private key.
 * `standalone` is one installation doing both: today's behaviour, and the default.
 */
export const WORKSTATION_ROLES = ['standalone', 'signer', 'publisher'] as const;
export type WorkstationRole = (typeof WORKSTATION_ROLES)[number];

/** Which way a bundle travels. A bundle made for one direction is refused by an importer of the other. */
export const TRANSFER_DIRECTIONS = ['to-signer', 'to-publisher'] as const;
export type TransferDirection = (typeof TRANSFER_DIRECTIONS)[number];

/** The format tag in every manifest; a reader refuses any other. */
export const TRANSFER_FORMAT = 'certdesk-transfer/1';

/** Why a request is made; `rotate` carries the rotation job it continues on the publisher. */
export type SignPurpose = 'issue' | 'renew' | 'rotate';

// ── Publisher → signer ────────────────────────────────────────────────────────────────────────

/** Sign this CSR. The publisher made the key (or the workload did): no private key ever crosses. */
export interface SignRequestItem {
  kind: 'sign-request';
  /** The publisher's id for this request; every answer names it. */
  requestId: string;
  purpose: SignPurpose;
  csrPem: string;
  /** The issuing CA, by its SHA-256 fingerprint (hex, lower case) of the CA certificate. */
  issuerSha256: string;
  /** A profile name the signer knows (`mtls-client`, …). */
  profile: string;
  validityDays: number;
  /** For renew and rotate: the predecessor, as serial (hex) under the same issuer. */
  predecessorSerial: string | null;
  /** For rotate: the publisher's rotation job this answer continues. */
  rotationJobId: string | null;
  /** The operator's note, shown at review. */
  note: string;
  /**
   * Who holds the CSR's private key: the publisher (made and sealed there) or the workload (CSR mode:
   * it never reaches certdesk). Absent in a request from an older publisher: the review says it is not said.
   */
  keyHolder?: KeyHolder;
  /** A same-key renewal: the CSR carries the predecessor's own key on purpose (the signer checks it is that key). */
  sameKey?: boolean;
}

/** Who holds a sign-request's private key. */
export type KeyHolder = 'publisher' | 'workload';

export interface RevokeRequestItem {
  kind: 'revoke-request';
  requestId: string;
  issuerSha256: string;
  serial: string;
  /** An RFC 5280 reason name: `keyCompromise`, `superseded`, `cessationOfOperation`, … */
  reason: string;
  note: string;
}

/** Sign CRLs for one CA: `count` CRLs, each valid `periodHours`, their thisUpdate one period apart from `from`. */
export interface CrlRequestItem {
  kind: 'crl-request';
  requestId: string;
  issuerSha256: string;
  /** ISO time of the first CRL's thisUpdate; null: now, as the signer reads its clock. */
  from: string | null;
  count: number;
  periodHours: number;
  note: string;
}

export type ToSignerItem = SignRequestItem | RevokeRequestItem | CrlRequestItem;

// ── Signer → publisher ────────────────────────────────────────────────────────────────────────

export interface IssuedCertificateItem {
  kind: 'issued-certificate';
  requestId: string;
  certificatePem: string;
  /** The issuing chain without the root, leaf's issuer first. */
  chainPem: string[];
}

export interface CaCertificateItem {
  kind: 'ca-certificate';
  certificatePem: string;
}

/** One CRL. A pre-signed series is several of these for the same issuer, with rising numbers. */
export interface CrlItem {
  kind: 'crl';
  /** The crl-request or revoke-request it answers, or null when the signer sent it unasked. */
  requestId: string | null;
  issuerSha256: string;
  crlPem: string;
  /** ISO times and the CRL number (decimal string), as in the CRL, so the review shows them without parsing. */
  thisUpdate: string;
  nextUpdate: string;
  crlNumber: string;
}

export interface RefusalItem {
  kind: 'refusal';
  requestId: string;
  /** An error code from the contract's table. */
  code: string;
  reason: string;
}

/** The signer's audit entries since the last bundle: they continue the chain the publisher already holds. */
export interface AuditEntriesItem {
  kind: 'audit-entries';
  /** The signer's audit `seq` of the first and last entry carried. */
  fromSeq: number;
  toSeq: number;
  /** The hash of the entry before `fromSeq` (the link), empty for the first bundle. */
  previousHash: string;
  entries: Array<{
    seq: number;
    at: string;
    actor: string;
    action: string;
    subjectId: string | null;
    details: Record<string, unknown>;
    hash: string;
  }>;
}

export type ToPublisherItem = IssuedCertificateItem | CaCertificateItem | CrlItem | RefusalItem | AuditEntriesItem;

export type TransferItem = ToSignerItem | ToPublisherItem;
export type TransferItemKind = TransferItem['kind'];

export const TO_SIGNER_KINDS = ['sign-request', 'revoke-request', 'crl-request'] as const satisfies readonly ToSignerItem['kind'][];
export const TO_PUBLISHER_KINDS = [
  'issued-certificate',
  'ca-certificate',
  'crl',
  'refusal',
  'audit-entries',
] as const satisfies readonly ToPublisherItem['kind'][];

// ── The manifest (the signed part of a bundle) ───────────────────────────────────────────────

export interface TransferManifestEntry {
  /** Unique within the bundle. */
  id: string;
  kind: TransferItemKind;
  /** SHA-256 (hex) of the item's bytes as carried in the bundle. */
  sha256: string;
  bytes: number;
}

export interface TransferManifest {
  format: typeof TRANSFER_FORMAT;
  direction: TransferDirection;
  /** Rises strictly, per direction and pairing: the importer refuses anything not above the last it accepted. */
  sequence: number;
  createdAt: string;
  /** The creator: its role, its transfer key's fingerprint, and the OS `user@host` who made it. */
  creator: { role: Exclude<WorkstationRole, 'standalone'>; keyFingerprint: string; actor: string };
  /** The paired peer's transfer key fingerprint: a bundle is for one recipient. */
  recipientFingerprint: string;
  items: TransferManifestEntry[];
}

/** What the review shows for one item before the operator approves it. */
export type ReviewDecision = 'pending' | 'approved' | 'refused';

export interface TransferReviewItem {
  id: string;
  kind: TransferItemKind;
  /** One line: what will happen ("Sign CN=payments-api under Issuing CA 1, profile mtls-client, 90 days"). */
  effect: string;
  /** Who it is for and anything the operator should check (subject, SANs, key, issuer, validity, note). */
  details: Record<string, string>;
  decision: ReviewDecision;
  /** Why it was refused, when it was. */
  reason: string | null;
}

/** A staged import as the review lists it (`transfer:review`, `certdesk transfer review`). */
export interface TransferImportView {
  id: string;
  direction: TransferDirection;
  sequence: number;
  createdAt: string;
  creator: TransferManifest['creator'];
  importedAt: string;
  importedBy: string;
  /** Each item with its decision; `code` is the refusal's error code (TRANSFER_ITEM_REFUSED when the operator refused it). */
  items: Array<TransferReviewItem & { code: string | null }>;
}
