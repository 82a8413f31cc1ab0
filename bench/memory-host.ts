/**
 * The memory bench's web host (issue 14 §6): src/main/web/main.ts with the service in a child process
 * instead of a worker thread, so the kernel keeps each one's peak RSS apart. Same relay, same
 * dispatch, same web host and renderer. Prints {"url","port","servicePid"} on stdout.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CertdeskEvent } from '../src/shared/contract/index.ts';
import { parseHostArgs } from '../src/main/host/args.ts';
import { connectRelay } from '../src/main/host/relay/host-side.ts';
import { startWebHost, type WebHost } from '../src/main/web/host.ts';

const args = parseHostArgs(process.argv.slice(2));
const staticDir = args.staticDir ?? fileURLToPath(new URL('../out/renderer', import.meta.url));
const events: { host?: WebHost } = {};
const onEvent = (event: CertdeskEvent) => events.host?.broadcast(event);

// CERTDESK_BENCH_SERVICE=shipped: the built bundle as the app runs it; otherwise the TypeScript sources, as web mode and the CLI run them.
const serviceEntry = process.env.CERTDESK_BENCH_SERVICE === 'shipped' ? './memory-service-built.mjs' : './memory-service.ts';
const child = fork(fileURLToPath(new URL(serviceEntry, import.meta.url)), [], {
  serialization: 'advanced',
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const client = connectRelay(
  { post: (message) => child.send(message), listen: (listener) => child.on('message', listener) },
  { start: { dataDir: args.dataDir, mode: 'web', backgroundNotices: false }, onEvent },
);
child.on('exit', (code) => client.gone(`its process exited with code ${code}`));
await client.ready;
const host = await startWebHost({ call: client.call, staticDir, port: args.port });
events.host = host;
process.stdout.write(`${JSON.stringify({ url: host.url, port: host.port, servicePid: child.pid })}\n`);

async function stop(): Promise<void> {
  await host.close();
  await client.stop();
  child.disconnect();
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
