export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNKNOWN_CHANNEL'
  | 'KEY_TYPE_UNSUPPORTED'
  | 'VALIDITY_OUT_OF_RANGE'
  | 'KEYCHAIN_UNAVAILABLE'
  | 'KEYCHAIN_LOCKED'
  | 'KEYCHAIN_KEY_MISSING'
  | 'VAULT_PARAMETERS_INVALID'
  | 'VAULT_NOT_INITIALIZED'
  | 'VAULT_LOCKED'
  | 'VAULT_ALREADY_INITIALIZED'
  | 'PASSPHRASE_WRONG'
  | 'PASSPHRASE_TOO_SHORT'
  | 'KEY_UNSEAL_FAILED'
  | 'DATABASE_FROM_NEWER_VERSION'
  | 'DATABASE_BUSY'
  | 'FORBIDDEN'
  | 'KEY_TOO_WEAK'
  | 'EKU_MISSING_CLIENT_AUTH'
  | 'CSR_INVALID'
  | 'CSR_SIGNATURE_INVALID'
  | 'CSR_REQUESTS_CA'
  | 'SUBJECT_MISSING'
  | 'PEM_INVALID'
  | 'INPUT_TOO_LARGE'
  | 'ALREADY_REVOKED'
  | 'CERT_REVOKED'
  | 'NO_PRIVATE_KEY'
  | 'PROFILE_UNKNOWN'
  | 'AUDIT_CHAIN_BROKEN'
  | 'AUDIT_LOG_TRUNCATED'
  | 'AUDIT_LOG_REWRITTEN'
  | 'AUDIT_CHECKPOINT_MISSING'
  | 'AUTH0_UNREACHABLE'
  | 'AUTH0_AUTH_FAILED'
  | 'AUTH0_TIMEOUT'
  | 'CONFIRMATION_REQUIRED'
  | 'AUTH0_SCOPE_MISSING'
  | 'AUTH0_CREDENTIAL_LIMIT'
  | 'AUTH0_NOT_FOUND'
  | 'AUTH0_REJECTED'
  | 'AUTH0_RATE_LIMITED'
  | 'AUTH0_UNAVAILABLE'
  | 'EDGE_RELOAD_FAILED'
  | 'ROTATION_VERIFY_FAILED'
  | 'INTERNAL';

export interface Failure {
  code: ErrorCode;
  /** A sentence for a person: what is wrong and how to fix it. */
  message: string;
  /** The input field at fault, as the caller named it (`years`, `parent`, `keyType`…). */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };
