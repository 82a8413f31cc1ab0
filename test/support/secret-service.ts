import { setTimeout as sleep } from 'node:timers/promises';
import { KeychainSecretStore } from '../../src/main/core/secrets/keychain-secret-store.ts';

/** Polls the Secret Service on this D-Bus session until a write and a delete succeed. */
export async function waitForSecretService(timeoutMs: number): Promise<void> {
  const store = new KeychainSecretStore(5_000);
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await store.set('probe:ready', new Uint8Array([1]));
      await store.delete('probe:ready');
      return;
    } catch (error) {
      last = error;
      await sleep(200);
    }
  }
  throw new Error(`The test Secret Service (gnome-keyring) did not come up: ${last instanceof Error ? last.message : String(last)}`);
}
