/**
 * `npm run web`: the certdesk service and the built renderer on 127.0.0.1, without Electron.
 * Prints one JSON line on stdout ({"url","port","dataDir"}; the url holds the access token, which
 * appears nowhere else) for scripts and tests, and a sentence without the token on stderr.
 */
import { fileURLToPath } from 'node:url';
import { KeychainSecretStore } from '../core/secrets/keychain-secret-store.ts';
import { CertdeskService } from '../core/service.ts';
import { startBackgroundWork, withNotices } from '../host/background.ts';
import { createHandlers } from '../host/dispatch.ts';
import { openSandboxHost } from '../host/sandbox-switch.ts';
import { leftOutSandbox } from '../core/sandbox-tenant/sandbox-left-out.ts';
import { parseHostArgs } from '../host/args.ts';
import { startWebHost, type WebHost } from './host.ts';

const args = parseHostArgs(process.argv.slice(2));
const staticDir = args.staticDir ?? fileURLToPath(new URL('../../../out/renderer', import.meta.url));

// The service emits before the host exists only in theory; events then go nowhere.
const events: { host?: WebHost } = {};
// The sandbox's fetch reads the tenants at each request, so it may exist before the service does.
const sandbox = await openSandboxHost(process.env, () => service.tenants.list());
const service = CertdeskService.open({
  ...(sandbox ? { fetch: sandbox.fetch } : {}),
  dataDir: args.dataDir,
  secretStore: new KeychainSecretStore(),
  mode: 'web',
  // Rotation results also become toasts: web mode has no OS notifications.
  emit: withNotices(
    (event) => events.host?.broadcast(event),
    (notice) => events.host?.broadcast({ type: 'notice', tone: notice.tone ?? 'info', title: notice.title, body: notice.body }),
  ),
});
const host = await startWebHost({
  handlers: createHandlers(service, { sandbox: sandbox ?? leftOutSandbox() }),
  staticDir,
  port: args.port,
});
events.host = host;
// Due certificates: the renderer shows its due banner. Waiting rotations still resume.
const background = startBackgroundWork(service, { notify: () => {} });
void background.tick();

// The link carries the access token: it is printed once, on standard output, and nowhere else.
process.stdout.write(`${JSON.stringify({ url: host.url, port: host.port, dataDir: args.dataDir })}\n`);
process.stderr.write(
  `certdesk web mode on ${host.origin} (the link with its access token is on standard output; data folder ${args.dataDir}; Ctrl+C stops it)\n`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  background.stop();
  await host.close();
  await sandbox?.stop().catch(() => undefined);
  service.close();
  // The keychain checkpoint is written after the file one (a lagging one is tolerated, a lost one is not wanted).
  await service.audit.settle();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
