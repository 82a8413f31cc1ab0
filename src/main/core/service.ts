import { join } from 'node:path';
import type { AppInfo, AuthorityView, CertdeskEvent, CreateAuthorityInput, VaultInitInput, VaultStatus, VaultUnlockInput } from '../../shared/contract.ts';
import { Authorities } from './ca/authorities.ts';
import { systemClock, type Clock } from './clock.ts';
import { DATABASE_FILE } from './paths.ts';
import { defaultCrypto } from './pki/x509.ts';
import { KeyVault } from './secrets/key-vault.ts';
import type { SecretStore } from './secrets/secret-store.ts';
import { openDatabase, type Database } from './store/database.ts';
import { schemaVersion } from './store/migrate.ts';
import { KeyRepository } from './store/key-repository.ts';
import { SettingsRepository } from './store/settings-repository.ts';
import { VERSION } from './version.ts';
import type { Crypto } from './pki/webcrypto.ts';

export interface ServiceOptions {
  dataDir: string;
  secretStore: SecretStore;
  mode: AppInfo['mode'];
  clock?: Clock;
  crypto?: Crypto;
  /** Progress and other events for whoever hosts the service (IPC, web bridge, CLI). */
  emit?: (event: CertdeskEvent) => void;
}

/**
 * The application service: the operations the IPC layer, the web host and the CLI call. Input has
 * already been validated at the boundary (zod); what can still go wrong is a CertdeskError.
 */
export class CertdeskService {
  readonly db: Database;
  readonly vault: KeyVault;
  readonly authorities: Authorities;
  private readonly emit: (event: CertdeskEvent) => void;
  private readonly options: ServiceOptions;

  private constructor(options: ServiceOptions) {
    this.options = options;
    this.db = openDatabase(join(options.dataDir, DATABASE_FILE));
    const keys = new KeyRepository(this.db);
    this.vault = new KeyVault(new SettingsRepository(this.db), options.secretStore, () => keys.count() > 0);
    this.authorities = new Authorities(this.db, this.vault, options.clock ?? systemClock, options.crypto ?? defaultCrypto);
    this.emit = options.emit ?? (() => {});
  }

  static open(options: ServiceOptions): CertdeskService {
    return new CertdeskService(options);
  }

  info(): AppInfo {
    return {
      version: VERSION,
      mode: this.options.mode,
      dataDir: this.options.dataDir,
      databaseFile: join(this.options.dataDir, DATABASE_FILE),
      schemaVersion: schemaVersion(this.db),
      vault: this.vault.status(),
    };
  }

  initVault(input: VaultInitInput): Promise<VaultStatus> {
    return this.vault.initialize(input.protection, input.passphrase);
  }

  unlockVault(input: VaultUnlockInput): Promise<VaultStatus> {
    return this.vault.unlock(input.passphrase);
  }

  listAuthorities(): AuthorityView[] {
    return this.authorities.list();
  }

  createAuthority(input: CreateAuthorityInput): Promise<AuthorityView> {
    return this.authorities.create(input, this.emit);
  }

  close(): void {
    this.vault.lock();
    if (this.db.open) this.db.close();
  }
}
