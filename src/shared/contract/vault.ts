export type KeyProtection = 'keychain' | 'passphrase';

export interface VaultStatus {
  /** `null` until the first key is sealed or the operator chooses a protection explicitly. */
  protection: KeyProtection | null;
  state: 'uninitialized' | 'ready' | 'locked';
  /** Where the data-encryption key lives, in words (`Secret Service (login keyring)`, `passphrase (scrypt)`). */
  detail: string;
}

export interface VaultInitInput {
  protection: KeyProtection;
  passphrase?: string;
}

export interface VaultUnlockInput {
  passphrase: string;
}
