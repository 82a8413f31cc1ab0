/**
 * The service as a host runs it: the sandbox (unless left out), the store under the OS keychain,
 * the handlers, and the background work. The same code runs in the host's own thread or on the far
 * side of the relay (a worker thread in web mode, Electron's utilityProcess), so both paths open,
 * serve and close the service alike.
 */
import { leftOutSandbox } from '../core/sandbox-tenant/sandbox-left-out.ts';
import { KeychainSecretStore } from '../core/secrets/keychain-secret-store.ts';
import { CertdeskService } from '../core/service.ts';
import type { HostParts } from '../api/index.ts';
import { startBackgroundWork, withNotices } from './background.ts';
import { createHandlers } from './dispatch.ts';
import type { ServiceStart } from './relay/protocol.ts';
import { remoteParts } from './relay/remote-parts.ts';
import type { ServiceOutlet, ServiceRuntime } from './relay/service-side.ts';
import { openSandboxHost } from './sandbox-switch.ts';
import { watchStore } from './store-watch.ts';

export interface OpenRuntime extends ServiceRuntime {
  service: CertdeskService;
}

/**
 * `parts` are the host's own (in its thread); across the relay the spec's stand-ins ask the host.
 * Web mode turns every notice into a `notice` event for the page's toasts: it has no OS notifications.
 */
export async function startServiceRuntime(
  start: ServiceStart,
  outlet: ServiceOutlet,
  parts?: Omit<HostParts, 'sandbox'>,
): Promise<OpenRuntime> {
  // The sandbox's fetch reads the tenants at each request, so it may exist before the service does.
  const sandbox = await openSandboxHost(process.env, () => service.tenants.list());
  const service = CertdeskService.open({
    ...(sandbox ? { fetch: sandbox.fetch } : {}),
    dataDir: start.dataDir,
    secretStore: new KeychainSecretStore(),
    mode: start.mode,
    walCheckpoints: true,
    emit: withNotices(outlet.event, outlet.notice),
  });
  const handlers = createHandlers(service, { sandbox: sandbox ?? leftOutSandbox(), ...(parts ?? remoteParts(start.parts, outlet.ask)) });
  const background = startBackgroundWork(service, { notify: start.backgroundNotices ? outlet.notice : undefined });
  void background.tick();
  // The CLI's (or another certdesk's) writes: the pages read again what they show.
  const storeWatch = watchStore(service.db, () => outlet.event({ type: 'store-changed' }));
  let stopping: Promise<void> | null = null;
  return {
    service,
    handlers,
    stop: () =>
      (stopping ??= (async () => {
        background.stop();
        storeWatch.stop();
        await sandbox?.stop().catch(() => undefined);
        service.close();
        // The keychain checkpoint is written after the file one (a lagging one is tolerated, a lost one is not wanted).
        await Promise.all([service.audit.settle(), service.walCheckpoints?.stop()]);
      })()),
  };
}
