// Worker entry (web mode, issue 14): the certdesk service — SQLite, the keychain, crypto, Auth0
// calls, the background work — runs in this thread, so the web host's thread only serves HTTP and
// relays the contract. Loaded from the TypeScript sources, as web mode always is.
import { parentPort } from 'node:worker_threads';
import { serveRelay } from '../host/relay/service-side.ts';
import { startServiceRuntime } from '../host/service-runtime.ts';

if (!parentPort) throw new Error('service-worker.ts runs only as a worker thread (src/main/web/service-thread.ts starts it).');
const port = parentPort;
serveRelay({ post: (message) => port.postMessage(message), listen: (listener) => port.on('message', listener) }, startServiceRuntime);
