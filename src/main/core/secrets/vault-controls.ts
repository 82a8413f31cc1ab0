/**
 * What the operator does to a passphrase store once it exists: lock it now, let it lock itself
 * when idle, change its passphrase. Each is recorded in the audit log; the key handling itself
 * stays in KeyVault.
 */
import {
  VAULT_IDLE_LOCK_DEFAULT_MINUTES,
  VAULT_IDLE_LOCK_MAX_MINUTES,
  type VaultChangePassphraseInput,
  type VaultStatus,
} from '../../../shared/contract/index.ts';
import type { AuditLog, VaultAuditSink } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { CertdeskError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { SettingsRepository } from '../store/settings-repository.ts';
import type { KeyVault } from './key-vault.ts';

const SETTING_IDLE_LOCK = 'vault_idle_lock_minutes';

function validMinutes(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= VAULT_IDLE_LOCK_MAX_MINUTES;
}

export class VaultControls {
  private readonly db: Database;
  private readonly vault: KeyVault;
  private readonly audit: AuditLog;
  private readonly settings: SettingsRepository;

  /** `vaultEvent`: where the idle lock reports itself, the audit log's vault entry point unless the service adds to it. */
  constructor(db: Database, vault: KeyVault, audit: AuditLog, clock: Clock, vaultEvent: VaultAuditSink = audit.vaultEvent) {
    this.db = db;
    this.vault = vault;
    this.audit = audit;
    this.settings = new SettingsRepository(db);
    vault.useIdleLock({
      clock,
      minutes: () => this.idleLockMinutes,
      onIdleLock: (lastKeyUse, minutes) => vaultEvent('idle-lock', { idleMinutes: minutes, lastKeyUse: lastKeyUse.toISOString() }),
    });
  }

  /** The stored setting; a value certdesk never writes (edited database) falls back to the default rather than to "never". */
  get idleLockMinutes(): number {
    const raw = this.settings.get(SETTING_IDLE_LOCK);
    const value = raw === undefined ? NaN : Number(raw);
    return validMinutes(value) ? value : VAULT_IDLE_LOCK_DEFAULT_MINUTES;
  }

  setIdleLock(minutes: number): VaultStatus {
    this.requirePassphraseMode('idleLockMinutes', 'lock by itself');
    if (!validMinutes(minutes)) {
      throw new CertdeskError(
        'VALIDATION',
        `idleLockMinutes must be a whole number of minutes from 0 (never) to ${VAULT_IDLE_LOCK_MAX_MINUTES} (a day).`,
        { field: 'idleLockMinutes' },
      );
    }
    const before = this.idleLockMinutes;
    this.db.transaction(() => {
      this.settings.set(SETTING_IDLE_LOCK, String(minutes));
      this.audit.append('vault.idle-lock-setting', null, { from: before, to: minutes });
    })();
    return this.vault.status();
  }

  /** Drops the key from memory now; the next key use asks for the passphrase again. */
  lockNow(): VaultStatus {
    this.requirePassphraseMode('protection', 'lock');
    // KeyVault drops the key before it writes the entry: a failing write must not leave the key in memory.
    this.vault.lock({ reason: 'operator' });
    return this.vault.status();
  }

  /**
   * A wrong current passphrase is audited as a failure, like a failed unlock: guessing through this
   * form must leave a trace too. The entry holds the error code, never a passphrase. A new
   * passphrase refused before anything was tried (too short, the same) is only bad input.
   */
  async changePassphrase(input: VaultChangePassphraseInput): Promise<VaultStatus> {
    try {
      return await this.vault.changePassphrase(input.currentPassphrase, input.newPassphrase, (write) =>
        this.db
          .transaction(() => {
            write();
            this.audit.vaultEvent('passphrase-change', { kdf: 'scrypt' });
          })
          .immediate(),
      );
    } catch (error) {
      if (error instanceof CertdeskError && error.code === 'PASSPHRASE_WRONG')
        this.audit.vaultEvent('passphrase-change-failed', { code: error.code });
      throw error;
    }
  }

  private requirePassphraseMode(field: string, what: string): void {
    const protection = this.vault.protection;
    if (protection === 'passphrase') return;
    throw new CertdeskError(
      'VALIDATION',
      protection === 'keychain'
        ? `This store's keys are protected by the OS keychain, which locks with your session; only a passphrase store can ${what} here.`
        : `Key protection is not set up yet; choose passphrase protection first for a store that can ${what}.`,
      { field },
    );
  }
}
