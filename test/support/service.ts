import { onTestFinished } from 'vitest';
import type { GatewayOptions } from '../../src/main/core/auth0/management-gateway.ts';
import type { Clock } from '../../src/main/core/clock.ts';
import { auditAnchorAccount } from '../../src/main/core/secrets/audit-anchor.ts';
import { auditCheckpointAccount, auditKeyAccount, reloadApprovalsAccount } from '../../src/main/core/secrets/audit-key.ts';
import { KeychainSecretStore } from '../../src/main/core/secrets/keychain-secret-store.ts';
import { MemorySecretStore, type SecretStore } from '../../src/main/core/secrets/secret-store.ts';
import { CertdeskService, type ServiceOptions } from '../../src/main/core/service.ts';
import type { CertdeskEvent } from '../../src/shared/contract/index.ts';
import { tempDir } from './temp.ts';

export interface TestService {
  service: CertdeskService;
  dataDir: string;
  events: CertdeskEvent[];
  secretStore: SecretStore;
  reopen(): CertdeskService;
}

/**
 * A service on a real SQLite file in a temp folder. `keychain: true` uses the real Secret Service
 * (the test session's gnome-keyring) and deletes this store's keychain item afterwards.
 */
export function openTestService(
  options: {
    keychain?: boolean;
    clock?: Clock;
    dataDir?: string;
    fetch?: typeof fetch;
    auth0?: GatewayOptions;
    secretStore?: SecretStore;
    rotationPorts?: ServiceOptions['rotationPorts'];
    keygen?: ServiceOptions['keygen'];
    walCheckpoints?: ServiceOptions['walCheckpoints'];
  } = {},
): TestService {
  const dataDir = options.dataDir ?? tempDir();
  const secretStore: SecretStore = options.secretStore ?? (options.keychain ? new KeychainSecretStore(10_000) : new MemorySecretStore());
  const events: CertdeskEvent[] = [];
  const open = () =>
    CertdeskService.open({
      dataDir,
      secretStore,
      mode: 'cli',
      emit: (e) => events.push(e),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.auth0 ? { auth0: options.auth0 } : {}),
      ...(options.rotationPorts ? { rotationPorts: options.rotationPorts } : {}),
      ...(options.keygen ? { keygen: options.keygen } : {}),
      ...(options.walCheckpoints ? { walCheckpoints: options.walCheckpoints } : {}),
    });
  // Named now: the folder may be gone by the time the clean-up runs, and the anchor's name needs its real path.
  const anchorAccount = auditAnchorAccount(dataDir);
  const handle: TestService = { service: open(), dataDir, events, secretStore, reopen: () => (handle.service = open()) };
  onTestFinished(async () => {
    const storeId = handle.service.db.open ? handle.service.vault.storeId() : undefined;
    handle.service.close();
    await handle.service.walCheckpoints?.stop();
    await handle.service.audit.settle();
    if (storeId)
      for (const account of [`dek:${storeId}`, auditKeyAccount(storeId), auditCheckpointAccount(storeId), reloadApprovalsAccount(storeId)])
        await secretStore.delete(account).catch(() => false);
    await secretStore.delete(anchorAccount).catch(() => false);
  });
  return handle;
}
