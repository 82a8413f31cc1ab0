export type KeyProtection = 'keychain' | 'passphrase';

export interface VaultStatus {
  /** `null` until the first key is sealed or the operator chooses a protection explicitly. */
  protection: KeyProtection | null;
  state: 'uninitialized' | 'ready' | 'locked';
  /** Where the data-encryption key lives, in words (`Secret Service (login keyring)`, `passphrase (scrypt)`). */
  detail: string;
  /** Passphrase mode only: minutes without a key use after which the key is dropped from memory; 0 = never. */
  idleLockMinutes?: number;
  /** Whether the OS keychain answered when this host checked at start; Settings pre-selects what works. */
  keychain: KeychainAvailability;
}

export interface KeychainAvailability {
  /** `unavailable`: no keychain here (no Secret Service, say), only passphrase mode works; `unchecked`: not probed (the CLI). */
  state: 'available' | 'unavailable' | 'unchecked';
  /** One plain sentence on what is wrong and what to do, when it is not available. */
  problem?: string;
}

export interface VaultInitInput {
  protection: KeyProtection;
  passphrase?: string;
}

export interface VaultUnlockInput {
  passphrase: string;
}

export interface VaultChangePassphraseInput {
  currentPassphrase: string;
  newPassphrase: string;
}

export interface VaultAutoLockInput {
  /** Whole minutes, 0 (never) to VAULT_IDLE_LOCK_MAX_MINUTES. */
  idleLockMinutes: number;
}

/** The shortest vault passphrase main accepts; the Settings forms check the same number before sending. */
export const MIN_VAULT_PASSPHRASE = 12;

/** The idle auto-lock's default: long enough for a working session's pauses, short enough for a lunch break. */
export const VAULT_IDLE_LOCK_DEFAULT_MINUTES = 15;
/** A day: beyond that an idle lock protects nothing a plain lock would not. */
export const VAULT_IDLE_LOCK_MAX_MINUTES = 1440;
