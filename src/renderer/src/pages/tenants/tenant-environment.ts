import type { TenantEnvironment, TenantSecretStorage } from '../../../../shared/contract/index.ts';

/** Production red, staging orange, development green: the colour says how careful to be. */
export const ENVIRONMENT_COLOR: Record<TenantEnvironment, string> = {
  production: 'red',
  staging: 'orange',
  development: 'green',
};

export const ENVIRONMENT_LABEL: Record<TenantEnvironment, string> = {
  production: 'Production',
  staging: 'Staging',
  development: 'Development',
};

/**
 * Where the secret lives, as tenant-secrets.ts keeps it: the OS keychain; in passphrase mode (no
 * keychain), sealed under the vault key in the database. Never in plain text, never in a log.
 */
export const SECRET_STORAGE_HELP_TEXT =
  'Stored in the OS keychain; in passphrase mode, sealed (encrypted under the vault key) in the database. Never in plain text, never in logs.';

export const SECRET_STORAGE_LABEL: Record<TenantSecretStorage, string> = {
  keychain: 'OS keychain',
  sealed: 'Sealed in the database',
};

export const SECRET_STORAGE_HELP: Record<TenantSecretStorage, string> = {
  keychain: 'The client secret is in the OS keychain; the database only names it.',
  sealed: 'Passphrase mode: the client secret is sealed (encrypted under the vault key) in the database, never in plain text.',
};
