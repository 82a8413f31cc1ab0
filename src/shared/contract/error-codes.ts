/**
 * What every error code certdesk emits means to a caller, in one table: the core (is this worth
 * retrying?), the CLI (which exit code?) and the UI (which kind of trouble?) read it here instead
 * of keeping their own lists. Pure data with no imports (src/shared's lint rule refuses any), so the renderer can use it too.
 *
 * - transient: the same request, unchanged, may succeed later without anyone fixing anything.
 *   Exactly the Auth0 failures the gateway gives up on after its own retries (5xx, timeouts,
 *   unreachable, rate limits): bindings work stays pending in the outbox, a rotation waits and
 *   resumes. Everything else needs a person (or a different request) first.
 * - exitCode: the CLI's process exit code for a command that fails with this code. 1 for a
 *   failure, 75 (EX_TEMPFAIL, as for work left queued) for a transient one: a script may retry.
 * - category: the kind of trouble, for grouping and wording: the caller's input, the local
 *   inventory's state, key protection, the database, Auth0, the edge, a rotation, a delivery target, a transfer bundle
 *   across the air gap, or a bug.
 */

import type { ErrorCode } from './errors.ts';

export type ErrorCategory = 'input' | 'state' | 'keys' | 'database' | 'auth0' | 'edge' | 'rotation' | 'delivery' | 'transfer' | 'internal';

/** The CLI's exit code for a failure that needs someone first. */
export const EXIT_FAILURE = 1;
/** EX_TEMPFAIL: nothing is wrong with the request, the work is only queued or waiting; a script may retry. */
export const EXIT_RETRY_LATER = 75;

export interface ErrorCodeInfo {
  transient: boolean;
  exitCode: typeof EXIT_FAILURE | typeof EXIT_RETRY_LATER;
  category: ErrorCategory;
}

const fails = (category: ErrorCategory): ErrorCodeInfo => ({ transient: false, exitCode: EXIT_FAILURE, category });
const retry = (category: ErrorCategory): ErrorCodeInfo => ({ transient: true, exitCode: EXIT_RETRY_LATER, category });

/**
 * One row per ErrorCode of the contract: `satisfies` fails the type check for a code without a row,
 * and for a row whose code the contract does not have.
 */
export const ERROR_CODES = {
  VALIDATION: fails('input'),
  NOT_FOUND: fails('state'),
  CONFLICT: fails('state'),
  UNKNOWN_CHANNEL: fails('internal'),
  KEY_TYPE_UNSUPPORTED: fails('input'),
  VALIDITY_OUT_OF_RANGE: fails('input'),
  KEYCHAIN_UNAVAILABLE: fails('keys'),
  KEYCHAIN_LOCKED: fails('keys'),
  KEYCHAIN_KEY_MISSING: fails('keys'),
  VAULT_PARAMETERS_INVALID: fails('keys'),
  VAULT_NOT_INITIALIZED: fails('keys'),
  VAULT_LOCKED: fails('keys'),
  VAULT_ALREADY_INITIALIZED: fails('keys'),
  PASSPHRASE_WRONG: fails('keys'),
  PASSPHRASE_TOO_SHORT: fails('input'),
  KEY_UNSEAL_FAILED: fails('keys'),
  // A key-generation worker failed or stopped: the batch is refused whole, and the same request may be tried again.
  KEYGEN_FAILED: fails('keys'),
  DATABASE_FROM_NEWER_VERSION: fails('database'),
  // Not transient: the busy timeout has already waited for the other process; a person should look.
  DATABASE_BUSY: fails('database'),
  FORBIDDEN: fails('input'),
  KEY_TOO_WEAK: fails('input'),
  EKU_MISSING_CLIENT_AUTH: fails('input'),
  CSR_INVALID: fails('input'),
  CSR_SIGNATURE_INVALID: fails('input'),
  CSR_REQUESTS_CA: fails('input'),
  SUBJECT_MISSING: fails('input'),
  CSR_SAN_INVALID: fails('input'),
  // A successor's CSR must name the predecessor's subject exactly (the DN Auth0 matches) and carry a new key.
  CSR_SUBJECT_MISMATCH: fails('input'),
  CSR_KEY_REUSED: fails('input'),
  // A same-key renewal's CSR must carry the predecessor's own key, not another one.
  CSR_KEY_NOT_KEPT: fails('input'),
  // Offline workstation (issue 12): an item names a CA, predecessor or request this workstation does not hold.
  ISSUER_UNKNOWN: fails('state'),
  PREDECESSOR_UNKNOWN: fails('state'),
  // A certificate from the signer that does not chain to a CA certificate held here.
  CHAIN_UNTRUSTED: fails('state'),
  // A CRL not signed by the CA it names (or not a CRL for it).
  CRL_SIGNATURE_INVALID: fails('input'),
  // A crl-request outside the bounds of a pre-signed series (count, period, start).
  CRL_SERIES_OUT_OF_RANGE: fails('input'),
  // A publisher has no CRL in effect for a CA: the pre-signed series ran out; the signer must sign more.
  CRL_SERIES_EXHAUSTED: fails('state'),
  // An answer from the signer to no request this publisher has open.
  REQUEST_UNKNOWN: fails('state'),
  // A publisher's request taken back before any bundle carried it (its rotation was cancelled).
  REQUEST_WITHDRAWN: fails('state'),
  // The signer's audit entries do not continue the chain received so far.
  AUDIT_CHAIN_GAP: fails('database'),
  // Another lineage or application already answers to this DN: a person chooses another subject or renews that one.
  SUBJECT_DN_CONFLICT: fails('state'),
  PEM_INVALID: fails('input'),
  // A private key pasted where a CSR or certificate belongs: refused, never kept.
  PRIVATE_KEY_PASTED: fails('input'),
  // certificateHold: certdesk's revocation is permanent and it has no release.
  REVOCATION_REASON_UNSUPPORTED: fails('input'),
  INPUT_TOO_LARGE: fails('input'),
  ALREADY_REVOKED: fails('state'),
  CERT_REVOKED: fails('state'),
  // The operator stopped issuance under this CA (or revoked it): issue from another one.
  CA_RETIRED: fails('state'),
  CA_REVOKED: fails('state'),
  NO_PRIVATE_KEY: fails('state'),
  PROFILE_UNKNOWN: fails('input'),
  AUDIT_CHAIN_BROKEN: fails('database'),
  AUDIT_LOG_TRUNCATED: fails('database'),
  AUDIT_LOG_REWRITTEN: fails('database'),
  AUDIT_CHECKPOINT_MISSING: fails('database'),
  // The database's store id is not the one this data folder's keychain anchor records: restore the database, or re-anchor on purpose.
  AUDIT_STORE_MISMATCH: fails('database'),
  AUTH0_UNREACHABLE: retry('auth0'),
  AUTH0_AUTH_FAILED: fails('auth0'),
  AUTH0_TIMEOUT: retry('auth0'),
  CONFIRMATION_REQUIRED: fails('input'),
  AUTH0_SCOPE_MISSING: fails('auth0'),
  AUTH0_CREDENTIAL_LIMIT: fails('auth0'),
  AUTH0_NOT_FOUND: fails('auth0'),
  AUTH0_REJECTED: fails('auth0'),
  AUTH0_RATE_LIMITED: retry('auth0'),
  AUTH0_UNAVAILABLE: retry('auth0'),
  EDGE_RELOAD_FAILED: fails('edge'),
  // The edge's access log (evidence of use) exists but cannot be read: permissions, or not a file.
  EDGE_LOG_UNREADABLE: fails('edge'),
  // The stored ssh source of the access log is not the one the operator set (edited in the database, or the audit key is missing): nothing was read.
  EDGE_LOG_SOURCE_NOT_APPROVED: fails('edge'),
  // The stored reload argv is not the one the operator approved (never approved, cleared, or edited since): nothing ran.
  RELOAD_NOT_APPROVED: fails('edge'),
  // This host cannot ask the operator to approve a custom argv (web mode): only presets.
  RELOAD_APPROVAL_UNAVAILABLE: fails('input'),
  // A preset's program is not at the absolute path approved with it (or on PATH when it is chosen): nothing ran.
  RELOAD_PROGRAM_MISSING: fails('edge'),
  // No operator-configured edge folder: certdesk edge folder set DIR (web mode has no folder dialog).
  EDGE_FOLDER_NOT_SET: fails('state'),
  // The edge settings (or folder) are not the ones the operator approved (never approved, changed, or edited in the database): nothing written.
  EDGE_SETTINGS_NOT_APPROVED: fails('edge'),
  // A channel's publication widens the issuing CAs the edge trusts beyond the operator's approved set: nothing written.
  EDGE_CAS_NOT_APPROVED: fails('edge'),
  ROTATION_VERIFY_FAILED: fails('rotation'),
  // Not transient in the table's sense (only Auth0's are): a delivery stops its rotation resumable, and a person looks at the host.
  SSH_UNREACHABLE: fails('delivery'),
  // The host presented another key than the pinned one: refused before authentication, both fingerprints in the message.
  SSH_HOST_KEY_CHANGED: fails('delivery'),
  SSH_AUTH_REFUSED: fails('delivery'),
  SSH_PERMISSION_DENIED: fails('delivery'),
  // A release could not be written completely: it was removed and `current` still names the previous one.
  SSH_WRITE_FAILED: fails('delivery'),
  // The remote target path (or a link in it) leads elsewhere than the folder the target names.
  SSH_PATH_UNSAFE: fails('delivery'),
  // This host cannot let an operator choose where a key goes (web mode): certdesk target add, or the desktop app.
  TARGET_APPROVAL_UNAVAILABLE: fails('input'),
  // The stored target is not the one the operator approved (edited outside certdesk, or the audit key is missing): nothing was written.
  TARGET_NOT_APPROVED: fails('state'),
  // No writer for this kind of target is available in this build yet.
  TARGET_KIND_UNAVAILABLE: fails('state'),
  // A target path that is relative, a system folder, or goes through a symlink.
  TARGET_PATH_UNSAFE: fails('input'),
  // Writing a release failed (permission, full disk); the previous release stays current.
  DELIVERY_FAILED: fails('state'),
  // A rollback asked of a target whose `previous` link is missing or names no complete release: nothing was changed.
  NO_PREVIOUS_RELEASE: fails('state'),
  // Force the cut-off or extend the deadline only once the successor is verified and the job waits to remove the old credential.
  ROTATION_NOT_AT_CUTOFF: fails('rotation'),
  // A publisher's rotation: the offline signer refused the successor's request (its reason in the message); the old credential is untouched.
  ROTATION_SIGNER_REFUSED: fails('rotation'),
  // The signer answered a rotation request whose job this publisher no longer has open (done, cancelled, unknown): nothing was applied.
  ROTATION_JOB_CLOSED: fails('rotation'),
  // A transfer bundle (docs/transfer-bundles.md) refused on import: nothing was stored, the sequence did not move.
  TRANSFER_FORMAT: fails('transfer'),
  TRANSFER_TOO_LARGE: fails('transfer'),
  TRANSFER_UNPAIRED: fails('transfer'),
  TRANSFER_SIGNATURE: fails('transfer'),
  TRANSFER_RECIPIENT: fails('transfer'),
  TRANSFER_DIRECTION: fails('transfer'),
  TRANSFER_REPLAY: fails('transfer'),
  TRANSFER_TAMPERED: fails('transfer'),
  TRANSFER_TRUNCATED: fails('transfer'),
  TRANSFER_ITEM_INVALID: fails('transfer'),
  // This folder's role (or the peer's) cannot do this: a standalone folder does not pair, a signer pairs with a publisher.
  TRANSFER_ROLE: fails('transfer'),
  // The fingerprint the operator typed is not the peer's: nothing was paired.
  TRANSFER_FINGERPRINT_MISMATCH: fails('input'),
  TRANSFER_NOTHING_QUEUED: fails('state'),
  // No part of this workstation knows how to apply this item kind: it is refused at review.
  TRANSFER_NO_APPLIER: fails('transfer'),
  // The operator refused the item at review (the reason travels back with the refusal).
  TRANSFER_ITEM_REFUSED: fails('transfer'),
  // The data folder is an offline signer: nothing that opens a network socket runs there; the publisher does it.
  ROLE_OFFLINE: fails('state'),
  // The data folder is a publisher: it holds no CA private key; the signing request goes to the signer in a transfer bundle.
  ROLE_NO_CA_KEY: fails('state'),
  // A folder with tenants, bindings, edge configuration or delivery targets cannot become an offline signer.
  ROLE_SIGNER_NOT_EMPTY: fails('state'),
  // A folder that holds a CA private key cannot become a publisher (CA certificates only).
  ROLE_PUBLISHER_HOLDS_CA_KEY: fails('state'),
  // A template of that name exists: choose another name, or save with replace.
  TEMPLATE_NAME_TAKEN: fails('input'),
  // The webhook URL is refused (https, or http only to this machine; no credentials in it): nothing was stored.
  WEBHOOK_URL_INVALID: fails('input'),
  WEBHOOK_NOT_SET: fails('state'),
  // Not transient for the caller: the background round retries by itself; a test needs the receiver fixed first.
  WEBHOOK_UNREACHABLE: fails('state'),
  WEBHOOK_TIMEOUT: fails('state'),
  // The receiver answered, but not with 2xx.
  WEBHOOK_REJECTED: fails('state'),
  INTERNAL: fails('internal'),
} as const satisfies Record<ErrorCode, ErrorCodeInfo>;

export type TabledErrorCode = keyof typeof ERROR_CODES;

/** The row for a code; an unknown string (say, from an older or newer host) reads as a permanent internal error. */
export function errorCodeInfo(code: string): ErrorCodeInfo {
  return Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as TabledErrorCode] : ERROR_CODES.INTERNAL;
}

/** Whether a failure with this code may pass by itself (see `transient` above). */
export function isTransientCode(code: string): boolean {
  return errorCodeInfo(code).transient;
}
