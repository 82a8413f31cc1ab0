/**
 * `npm run web`: the certdesk service and the built renderer on 127.0.0.1, without Electron.
 * Prints one JSON line on stdout ({"url","port","dataDir"}; the url holds the access token, which
 * appears nowhere else) for scripts and tests, and a sentence without the token on stderr.
 *
 * The service runs in a worker thread (src/main/web/service-worker.ts), so this thread only serves
 * HTTP and relays the contract; `--service-thread host` (or CERTDESK_SERVICE_THREAD=host) keeps it
 * in this thread, as the bench's in-thread baseline does.
 */
import { fileURLToPath } from 'node:url';
import type { CertdeskEvent } from '../../shared/contract/index.ts';
import { parseHostArgs } from '../host/args.ts';
import type { Notice } from '../host/background.ts';
import { startServiceRuntime } from '../host/service-runtime.ts';
import { startServiceThread } from './service-thread.ts';
import { startWebHost, type WebHost } from './host.ts';

const args = parseHostArgs(process.argv.slice(2));
const staticDir = args.staticDir ?? fileURLToPath(new URL('../../../out/renderer', import.meta.url));

// The service emits before the host exists only in theory; events then go nowhere.
const events: { host?: WebHost } = {};
const onEvent = (event: CertdeskEvent) => events.host?.broadcast(event);
// Rotation results (and the background's notices, were they on) become toasts: web mode has no OS notifications.
const onNotice = (notice: Notice) =>
  events.host?.broadcast({ type: 'notice', tone: notice.tone ?? 'info', title: notice.title, body: notice.body });
const start = { dataDir: args.dataDir, mode: 'web', backgroundNotices: false, parts: {} } as const;

const service =
  args.serviceThread === 'host'
    ? await startServiceRuntime(start, { event: onEvent, notice: onNotice, ask: () => Promise.reject(new Error('no host parts')) }, {})
    : await startServiceThread({ start, onEvent, onNotice });
const host = await startWebHost({
  ...('handlers' in service ? { handlers: service.handlers } : { call: service.client.call }),
  staticDir,
  port: args.port,
});
events.host = host;

// The link carries the access token: it is printed once, on standard output, and nowhere else.
process.stdout.write(`${JSON.stringify({ url: host.url, port: host.port, dataDir: args.dataDir })}\n`);
process.stderr.write(
  `certdesk web mode on ${host.origin} (the link with its access token is on standard output; data folder ${args.dataDir}; Ctrl+C stops it)\n`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await host.close();
  await service.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
