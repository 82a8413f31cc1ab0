/**
 * Where a tenant's M2M client secret lives: the OS keychain (account `tenant-secret:<tenant id>`),
 * or, when the store is in passphrase mode (no keychain), sealed under the vault's key in SQLite.
 * Never plaintext in the database, an error message, the audit log or a log line.
 */
import type { TenantSecretStorage } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import type { KeyVault } from '../secrets/key-vault.ts';
import type { TenantRepository } from '../store/tenant-repository.ts';

export function tenantSecretAccount(tenantId: string): string {
  return `tenant-secret:${tenantId}`;
}

export class TenantSecrets {
  private readonly vault: KeyVault;
  private readonly repository: TenantRepository;

  constructor(vault: KeyVault, repository: TenantRepository) {
    this.vault = vault;
    this.repository = repository;
  }

  /** Passphrase mode seals; otherwise the keychain (no DEK needed for that). */
  storageForNewTenant(): TenantSecretStorage {
    return this.vault.protection === 'passphrase' ? 'sealed' : 'keychain';
  }

  /** Writes to the keychain now, or returns the sealed blob for the caller to insert with the row. */
  async put(tenantId: string, storage: TenantSecretStorage, secret: string): Promise<Uint8Array | undefined> {
    const bytes = new TextEncoder().encode(secret);
    if (storage === 'sealed') return this.vault.sealSecret(tenantSecretAccount(tenantId), bytes);
    await this.vault.secretStore.set(tenantSecretAccount(tenantId), bytes);
    return undefined;
  }

  async get(tenant: { id: string; name: string; secretStorage: TenantSecretStorage }): Promise<string> {
    let bytes: Uint8Array | null | undefined;
    if (tenant.secretStorage === 'sealed') {
      const sealed = this.repository.sealedSecret(tenant.id);
      bytes = sealed && (await this.vault.openSecret(tenantSecretAccount(tenant.id), sealed));
    } else {
      bytes = await this.vault.secretStore.get(tenantSecretAccount(tenant.id));
    }
    if (!bytes) {
      throw new CertdeskError(
        'KEYCHAIN_KEY_MISSING',
        `The client secret of tenant "${tenant.name}" (account "${tenantSecretAccount(tenant.id)}") is not in the ${tenant.secretStorage === 'sealed' ? 'database' : this.vault.secretStore.description}. Remove the tenant and add it again with the secret.`,
        { field: 'clientSecret' },
      );
    }
    return new TextDecoder().decode(bytes);
  }

  /** Forgets a keychain item; sealed secrets go with their row. */
  async delete(tenantId: string, storage: TenantSecretStorage): Promise<void> {
    if (storage === 'keychain') await this.vault.secretStore.delete(tenantSecretAccount(tenantId));
  }
}
