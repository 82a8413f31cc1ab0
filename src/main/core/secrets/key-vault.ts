import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import {
  MIN_VAULT_PASSPHRASE,
  type KeychainAvailability,
  type KeyProtection,
  type KeyType,
  type VaultStatus,
} from '../../../shared/contract/index.ts';
import type { Clock } from '../clock.ts';
import { CertdeskError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { SettingsRepository } from '../store/settings-repository.ts';
import type { VaultAuditSink } from '../audit/audit-log.ts';
import { importSigningKey } from '../pki/keys.ts';
import { seal, unseal } from './sealing.ts';
import type { SecretStore } from './secret-store.ts';

const SETTING_STORE_ID = 'store_id';
const SETTING_PROTECTION = 'key_protection';
const SETTING_PASSPHRASE = 'passphrase_wrap';
const DEK_AAD = 'certdesk:data-encryption-key';

interface PassphraseWrap {
  kdf: 'scrypt';
  salt: string;
  N: number;
  r: number;
  p: number;
  wrapped: string;
}

/** How the idle auto-lock reads time and its setting, and reports that it fired; installed by VaultControls. */
export interface IdleLockPolicy {
  clock: Clock;
  /** Minutes without a key use after which the key is dropped; 0 = never. Read at each check, so a change applies at once. */
  minutes(): number;
  /** Called after the idle lock dropped the key (to audit it). */
  onIdleLock(lastKeyUse: Date, minutes: number): void;
}

/** CAs a store holds are few; past this many open signing keys the cache starts again rather than grow. */
const MAX_OPEN_SIGNING_KEYS = 64;

type SigningKey = ReturnType<typeof importSigningKey>;

/**
 * scrypt N=2^17, r=8, p=1: 128 MiB and about half a second here, OWASP's current floor for scrypt.
 * An unlock is rare; a brute-force guess is not. A store wrapped with weaker parameters by an older
 * version is wrapped again with these at its next unlock.
 */
export const SCRYPT = { N: 1 << 17, r: 8, p: 1 } as const;

/**
 * What a stored wrap may ask for. The parameters are read from the database, so a tampered file
 * could otherwise make an unlock allocate gigabytes or spin for hours: they are checked first.
 */
const SCRYPT_BOUNDS = { minLogN: 15, maxLogN: 20, maxR: 32, maxP: 4, maxMemory: 1024 * 1024 * 1024 } as const;

function checkedWrap(raw: unknown): PassphraseWrap {
  const wrap = raw as Partial<PassphraseWrap> | null;
  const ok =
    wrap !== null &&
    typeof wrap === 'object' &&
    wrap.kdf === 'scrypt' &&
    Number.isSafeInteger(wrap.N) &&
    Number.isSafeInteger(wrap.r) &&
    Number.isSafeInteger(wrap.p) &&
    (wrap.N! & (wrap.N! - 1)) === 0 &&
    wrap.N! >= 2 ** SCRYPT_BOUNDS.minLogN &&
    wrap.N! <= 2 ** SCRYPT_BOUNDS.maxLogN &&
    wrap.r! >= 1 &&
    wrap.r! <= SCRYPT_BOUNDS.maxR &&
    wrap.p! >= 1 &&
    wrap.p! <= SCRYPT_BOUNDS.maxP &&
    128 * wrap.N! * wrap.r! * wrap.p! <= SCRYPT_BOUNDS.maxMemory &&
    typeof wrap.salt === 'string' &&
    /^[A-Za-z0-9+/]{22,88}={0,2}$/.test(wrap.salt) &&
    typeof wrap.wrapped === 'string' &&
    /^[A-Za-z0-9+/]{40,200}={0,2}$/.test(wrap.wrapped);
  if (!ok) {
    throw new CertdeskError(
      'VAULT_PARAMETERS_INVALID',
      `The passphrase wrap in this database asks for key-derivation parameters outside what certdesk ever writes (scrypt, N from 2^${SCRYPT_BOUNDS.minLogN} to 2^${SCRYPT_BOUNDS.maxLogN}, at most 1 GiB); it was not run. The database was altered: restore it from a backup.`,
      { field: 'passphrase' },
    );
  }
  return wrap as PassphraseWrap;
}

function scrypt(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r * params.p };
  return new Promise((resolve, reject) =>
    scryptCallback(passphrase.normalize('NFC'), salt, 32, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

async function wrapDek(passphrase: string, dek: Uint8Array): Promise<PassphraseWrap> {
  const salt = randomBytes(16);
  const kek = await scrypt(passphrase, salt, SCRYPT);
  try {
    return { kdf: 'scrypt', salt: salt.toString('base64'), ...SCRYPT, wrapped: Buffer.from(seal(kek, dek, DEK_AAD)).toString('base64') };
  } finally {
    kek.fill(0);
  }
}

/**
 * Envelope encryption for private keys. One random 256-bit data-encryption key (DEK) per store,
 * kept in the OS keychain (account `dek:<store id>`) or, in passphrase mode, wrapped under an
 * scrypt-derived key in the settings table. Each private key is sealed under the DEK with its id as
 * associated data. The DEK is created once, when the store is first given a protection, and is
 * never silently replaced: a missing DEK with sealed keys present is an error, not a fresh start.
 */
export class KeyVault {
  private dek: Uint8Array | null = null;
  /**
   * CA signing keys opened under the DEK held now (issue 14: a CA was unsealed and parsed again for
   * every leaf). They live exactly as long as the DEK does, which opens them anyway: whatever drops
   * the DEK (a lock, the idle lock, quitting) drops them too, and an entry holds only for the sealed
   * bytes and key type it was opened from, so a key row written again is opened again.
   */
  private signingKeys = new Map<string, { dek: Uint8Array; sealed: Buffer; keyType: KeyType; key: SigningKey }>();
  private readonly settings: SettingsRepository;
  private readonly keychain: SecretStore;
  private readonly hasSealedKeys: () => boolean;
  /** Where set-up, unlocks (and failed ones), locks and protection changes are recorded; see `auditTo`. */
  private audit: VaultAuditSink = () => {};

  constructor(settings: SettingsRepository, keychain: SecretStore, hasSealedKeys: () => boolean) {
    this.settings = settings;
    this.keychain = keychain;
    this.hasSealedKeys = hasSealedKeys;
  }

  /** Once chosen, a store's protection never changes (initialize refuses), so only "not chosen yet" is read again. */
  private chosenProtection: KeyProtection | null = null;

  get protection(): KeyProtection | null {
    if (this.chosenProtection) return this.chosenProtection;
    const value = this.settings.get(SETTING_PROTECTION);
    return (this.chosenProtection = value === 'keychain' || value === 'passphrase' ? value : null);
  }

  status(): VaultStatus {
    this.idleCheck(false);
    const protection = this.protection;
    const keychain = this.keychainCheck;
    if (protection === null)
      return {
        protection,
        state: 'uninitialized',
        detail:
          keychain.state === 'unavailable'
            ? `not set up yet; no ${this.keychain.description} is running here, so choose passphrase protection`
            : `not set up yet; the first key will use the ${this.keychain.description}`,
        keychain,
      };
    if (protection === 'keychain')
      return {
        protection,
        state: 'ready',
        detail: `data-encryption key in the ${this.keychain.description} (account ${this.keychainAccount()})`,
        keychain,
      };
    return {
      protection,
      state: this.dek ? 'ready' : 'locked',
      detail: 'data-encryption key wrapped under a passphrase (scrypt)',
      ...(this.idlePolicy ? { idleLockMinutes: this.idlePolicy.minutes() } : {}),
      keychain,
    };
  }

  /** What the last probe found; `unchecked` until a host probes (the CLI never does: it would cost every command a round trip). */
  private keychainCheck: KeychainAvailability = { state: 'unchecked' };

  /**
   * Asks the keychain for an item that does not exist, to learn at start whether it answers at all.
   * Only a keychain that is not there counts as unavailable: a locked one can still be unlocked, and
   * one that is slow to answer is left to the real call's deadline.
   */
  async probeKeychain(timeoutMs = 5_000): Promise<KeychainAvailability> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    try {
      const answer = await Promise.race([this.keychain.get('probe:availability').then(() => 'answered' as const), late]);
      this.keychainCheck = answer === 'answered' ? { state: 'available' } : { state: 'unchecked' };
    } catch (error) {
      this.keychainCheck =
        error instanceof CertdeskError && error.code === 'KEYCHAIN_UNAVAILABLE'
          ? { state: 'unavailable', problem: error.message }
          : { state: 'available', ...(error instanceof CertdeskError ? { problem: error.message } : {}) };
    } finally {
      clearTimeout(timer);
    }
    return this.keychainCheck;
  }

  /** Chooses the protection and creates the DEK. Refused once a protection is set. */
  async initialize(protection: KeyProtection, passphrase?: string): Promise<VaultStatus> {
    if (this.protection !== null) {
      throw new CertdeskError(
        'VAULT_ALREADY_INITIALIZED',
        `Key protection is already "${this.protection}" for this store; it cannot be changed in place.`,
        { field: 'protection' },
      );
    }
    const dek = new Uint8Array(randomBytes(32));
    if (protection === 'keychain') {
      const storeId = this.storeId();
      await this.keychain.set(this.keychainAccount(storeId), dek);
    } else {
      if (passphrase === undefined || passphrase.length < MIN_VAULT_PASSPHRASE) {
        throw new CertdeskError(
          'PASSPHRASE_TOO_SHORT',
          `Passphrase mode needs a passphrase of at least ${MIN_VAULT_PASSPHRASE} characters.`,
          { field: 'passphrase' },
        );
      }
      this.settings.set(SETTING_PASSPHRASE, JSON.stringify(await wrapDek(passphrase, dek)));
    }
    this.settings.set(SETTING_PROTECTION, protection);
    this.dek = dek;
    this.audit('setup', { protection });
    return this.status();
  }

  /** Passphrase mode: derives the wrapping key and opens the DEK. A wrong passphrase fails the GCM tag. */
  async unlock(passphrase: string): Promise<VaultStatus> {
    if (this.protection !== 'passphrase') {
      throw new CertdeskError(
        'VALIDATION',
        `This store's keys are protected by the ${this.protection === 'keychain' ? this.keychain.description : 'keychain (not set up yet)'}, not a passphrase; there is nothing to unlock.`,
        { field: 'passphrase' },
      );
    }
    const { parsed } = this.storedWrap();
    let wrap: PassphraseWrap;
    try {
      wrap = checkedWrap(parsed);
    } catch (error) {
      this.audit('unlock-failed', { code: (error as CertdeskError).code });
      throw error;
    }
    const kek = await scrypt(passphrase, Buffer.from(wrap.salt, 'base64'), wrap);
    let dek: Uint8Array;
    try {
      dek = unseal(kek, Buffer.from(wrap.wrapped, 'base64'), DEK_AAD);
    } catch (cause) {
      this.audit('unlock-failed', { code: 'PASSPHRASE_WRONG' });
      throw new CertdeskError('PASSPHRASE_WRONG', 'That passphrase does not unlock this store. Check it and try again.', {
        field: 'passphrase',
        cause,
      });
    } finally {
      kek.fill(0);
    }
    // Wrapped by an older version with weaker parameters: wrap the same DEK again (the keys are untouched).
    if (wrap.N < SCRYPT.N || wrap.r < SCRYPT.r) {
      this.settings.set(SETTING_PASSPHRASE, JSON.stringify(await wrapDek(passphrase, dek)));
      this.audit('protection-change', {
        protection: 'passphrase',
        rewrapped: { from: { N: wrap.N, r: wrap.r }, to: { N: SCRYPT.N, r: SCRYPT.r } },
      });
    }
    if (this.dek && this.dek.length === dek.length && timingSafeEqual(this.dek, dek)) {
      // Unlocked already: one copy of the key in memory, not two. The old one may be in use by an operation
      // that awaits, so the new copy goes; the idle lock counts from this unlock all the same.
      dek.fill(0);
      this.lastKeyUse = null;
    } else this.dek = dek;
    this.audit('unlock', { protection: 'passphrase' });
    return this.status();
  }

  /**
   * Makes sure keys can be sealed and opened now, before any slow or irreversible work starts.
   * A store with no protection yet gets the default, the OS keychain; passphrase mode is never a
   * silent fall-back.
   */
  async ensureReady(): Promise<void> {
    if (this.protection === null) await this.initialize('keychain');
    await this.dataKey();
  }

  /** Seals a private key (PKCS#8) for row `keyId`. */
  async sealKey(keyId: string, pkcs8: Uint8Array): Promise<Uint8Array> {
    await this.ensureReady();
    return seal(await this.dataKey(), pkcs8, keyId);
  }

  async openKey(keyId: string, sealed: Uint8Array): Promise<Uint8Array> {
    return this.openSecret(keyId, sealed);
  }

  /**
   * A CA's signing key, ready to sign with (see importSigningKey). Asks for the DEK like any opening,
   * so a locked vault refuses and the use counts against the idle lock; the key is parsed once per DEK.
   */
  async openSigningKey(keyId: string, sealed: Uint8Array, keyType: KeyType): Promise<SigningKey> {
    const dek = await this.dataKey();
    const known = this.signingKeys.get(keyId);
    if (known && known.dek === dek && known.keyType === keyType && known.sealed.equals(sealed)) return known.key;
    const pkcs8 = unseal(dek, sealed, keyId);
    try {
      const key = importSigningKey(pkcs8, keyType);
      if (this.signingKeys.size >= MAX_OPEN_SIGNING_KEYS) this.signingKeys.clear();
      this.signingKeys.set(keyId, { dek, sealed: Buffer.from(sealed), keyType, key });
      return key;
    } finally {
      pkcs8.fill(0);
    }
  }

  /** The OS keychain (or the test double) this vault keeps its DEK in; other secrets may live there too. */
  get secretStore(): SecretStore {
    return this.keychain;
  }

  /** Seals any secret (an M2M client secret in passphrase mode) under the DEK, bound to `associatedData`. */
  async sealSecret(associatedData: string, plaintext: Uint8Array): Promise<Uint8Array> {
    return seal(await this.dataKey(), plaintext, associatedData);
  }

  async openSecret(associatedData: string, sealed: Uint8Array): Promise<Uint8Array> {
    return unseal(await this.dataKey(), sealed, associatedData);
  }

  /** The stored passphrase wrap as text, and parsed but not yet checked (checkedWrap names what is wrong with it). */
  private storedWrap(): { stored: string; parsed: unknown } {
    const stored = this.settings.get(SETTING_PASSPHRASE);
    if (!stored)
      throw new CertdeskError(
        'KEYCHAIN_KEY_MISSING',
        'The passphrase-wrapped data-encryption key is missing from this database; restore the database from a backup.',
      );
    try {
      return { stored, parsed: JSON.parse(stored) as unknown };
    } catch {
      return { stored, parsed: null }; // Not JSON: checkedWrap refuses it by name.
    }
  }

  /**
   * Forgets the DEK held in memory (on quit, or to re-lock a passphrase store). Only locking an
   * unlocked passphrase store is audited: in keychain mode this only drops a cache.
   */
  lock(detail?: Record<string, unknown>): void {
    const wasUnlocked = this.dek !== null && this.protection === 'passphrase';
    this.forget();
    if (wasUnlocked) this.audit('lock', detail);
  }

  /** Drops the DEK without an entry of its own: the caller records why (an idle lock, say). */
  private forget(): void {
    this.forgotten += 1;
    this.dek?.fill(0);
    this.dek = null;
    this.signingKeys.clear();
    for (const listener of this.forgetListeners) {
      try {
        listener();
      } catch {
        // A listener's failure must not keep the lock from completing, nor the listeners after it from running.
      }
    }
  }

  private readonly forgetListeners: (() => void)[] = [];
  private forgotten = 0;

  /** Counts the times the key left memory: an operation that sees it change since it began spanned a lock. */
  get epoch(): number {
    return this.forgotten;
  }

  /**
   * Runs `listener` each time the key leaves memory (a lock, an idle lock, quit). The service drops the
   * keys the keygen pool made ahead there: a key made before a lock must never become a certificate's
   * key after the unlock, as memory read while locked would then hold it.
   */
  onForget(listener: () => void): void {
    this.forgetListeners.push(listener);
  }

  private async dataKey(): Promise<Uint8Array> {
    this.idleCheck(true);
    if (this.dek) return this.dek;
    const protection = this.protection;
    if (protection === null) {
      throw new CertdeskError('VAULT_NOT_INITIALIZED', 'Key protection is not set up for this store yet.');
    }
    if (protection === 'passphrase') {
      throw new CertdeskError(
        'VAULT_LOCKED',
        'This store is protected by a passphrase and is locked. Unlock it (in the app, or set CERTDESK_PASSPHRASE for the CLI) and try again.',
        { field: 'passphrase' },
      );
    }
    const dek = await this.keychain.get(this.keychainAccount());
    if (!dek) {
      const consequence = this.hasSealedKeys() ? 'The private keys sealed in this database cannot be opened without it.' : '';
      throw new CertdeskError(
        'KEYCHAIN_KEY_MISSING',
        `The data-encryption key for this store (service "certdesk", account "${this.keychainAccount()}") is not in the ${this.keychain.description}. ${consequence} Restore that keychain item from your keychain backup, or run certdesk as the user who created this store.`.replace(
          '  ',
          ' ',
        ),
      );
    }
    if (dek.length !== 32)
      throw new CertdeskError(
        'KEYCHAIN_KEY_MISSING',
        `The keychain item "${this.keychainAccount()}" is not a certdesk data-encryption key (${dek.length} bytes, expected 32).`,
      );
    this.dek = dek;
    return dek;
  }

  /** This store's id (created on first use); names its keychain items. */
  storeId(): string {
    let id = this.settings.get(SETTING_STORE_ID);
    if (!id) {
      id = newId('store');
      this.settings.set(SETTING_STORE_ID, id);
    }
    return id;
  }

  /**
   * Sends vault events to the audit log (the service wires it). Kept a setter, not a constructor
   * argument, so the vault has no hard dependency on the log and the log can read the store id.
   */
  auditTo(sink: VaultAuditSink): void {
    this.audit = sink;
  }

  /** The keychain account name for this store's DEK; also used by tests to clean up. */
  keychainAccount(storeId = this.storeId()): string {
    return `dek:${storeId}`;
  }

  // Vault controls (idle auto-lock, change of passphrase): kept apart from the set-up and unlock above.

  private idlePolicy: IdleLockPolicy | null = null;
  /** The key in memory and when it was last used; a different key object means it was just unlocked. */
  private lastKeyUse: { dek: Uint8Array; at: number } | null = null;

  /** Turns the idle auto-lock on (passphrase mode only: a keychain key is the session's to guard). */
  useIdleLock(policy: IdleLockPolicy): void {
    this.idlePolicy = policy;
  }

  /**
   * Drops the key if it has not been used for the policy's minutes; with `use`, otherwise counts
   * this as a use. unlock() and initialize() end in status(), which stamps the new key's start.
   */
  private idleCheck(use: boolean): void {
    const policy = this.idlePolicy;
    if (!policy || !this.dek || this.protection !== 'passphrase') return;
    const now = policy.clock.now().getTime();
    if (this.lastKeyUse?.dek !== this.dek) {
      this.lastKeyUse = { dek: this.dek, at: now };
      return;
    }
    const minutes = policy.minutes();
    const since = this.lastKeyUse.at;
    if (minutes > 0 && now - since >= minutes * 60_000) {
      this.forget();
      this.lastKeyUse = null;
      policy.onIdleLock(new Date(since), minutes);
      return;
    }
    if (use) this.lastKeyUse.at = now;
  }

  /** Runs the idle check without counting a use; the hosts call it on a timer so an idle key leaves memory on time. */
  lockIfIdle(): void {
    this.idleCheck(false);
  }

  /**
   * Wraps the same data-encryption key under a new passphrase with a fresh salt; the sealed keys are
   * not touched. `commit` runs the one settings write inside the caller's transaction (with its
   * audit entry), so a failure leaves the old wrap, and the old passphrase, in place.
   */
  async changePassphrase(current: string, next: string, commit: (write: () => void) => void): Promise<VaultStatus> {
    if (this.protection !== 'passphrase') {
      throw new CertdeskError(
        'VALIDATION',
        `This store's keys are protected by the ${this.protection === 'keychain' ? this.keychain.description : 'keychain (not set up yet)'}, not a passphrase; there is no passphrase to change.`,
        { field: 'currentPassphrase' },
      );
    }
    if (next.length < MIN_VAULT_PASSPHRASE) {
      throw new CertdeskError('PASSPHRASE_TOO_SHORT', `The new passphrase needs at least ${MIN_VAULT_PASSPHRASE} characters.`, {
        field: 'newPassphrase',
      });
    }
    if (next.normalize('NFC') === current.normalize('NFC')) {
      throw new CertdeskError('VALIDATION', 'The new passphrase is the current one; choose a different one.', { field: 'newPassphrase' });
    }
    const { stored, parsed } = this.storedWrap();
    const wrap = checkedWrap(parsed);
    const kek = await scrypt(current, Buffer.from(wrap.salt, 'base64'), wrap);
    let dek: Uint8Array;
    try {
      dek = unseal(kek, Buffer.from(wrap.wrapped, 'base64'), DEK_AAD);
    } catch (cause) {
      throw new CertdeskError('PASSPHRASE_WRONG', 'The current passphrase is not right; the passphrase was not changed.', {
        field: 'currentPassphrase',
        cause,
      });
    } finally {
      kek.fill(0);
    }
    try {
      const rewrapped = JSON.stringify(await wrapDek(next, dek));
      commit(() => {
        // Another certdesk process may have changed it during the two scrypt runs: never overwrite that.
        if (this.settings.get(SETTING_PASSPHRASE) !== stored)
          throw new CertdeskError(
            'CONFLICT',
            'The passphrase was changed by another certdesk process meanwhile; nothing was changed here. Enter the passphrase that is now current.',
            { field: 'currentPassphrase' },
          );
        this.settings.set(SETTING_PASSPHRASE, rewrapped);
      });
    } catch (error) {
      dek.fill(0);
      throw error;
    }
    // The operator just proved the passphrase: leave the store unlocked, as an unlock would. Unlocked already,
    // the key held stays (an operation may be using it) and the idle lock counts from now.
    if (this.dek) {
      dek.fill(0);
      this.lastKeyUse = null;
    } else this.dek = dek;
    return this.status();
  }
}
