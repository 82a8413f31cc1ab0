/**
 * Where the data-encryption key lives. The OS keychain in the app; a real Secret Service in the
 * integration tests; an in-memory map only in unit tests of code above this port.
 */
export interface SecretStore {
  /** Human description for status screens and error messages. */
  readonly description: string;
  get(account: string): Promise<Uint8Array | null>;
  set(account: string, secret: Uint8Array): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export class MemorySecretStore implements SecretStore {
  readonly description = 'in-memory (tests only)';
  private readonly items = new Map<string, Uint8Array>();
  async get(account: string) {
    const value = this.items.get(account);
    return value ? new Uint8Array(value) : null;
  }
  async set(account: string, secret: Uint8Array) {
    this.items.set(account, new Uint8Array(secret));
  }
  async delete(account: string) {
    return this.items.delete(account);
  }
}
