// utilityProcess entry (Electron, issue 14): the certdesk service — SQLite, the keychain, crypto,
// Auth0 calls, the background work — runs here, so Electron's main process only owns the windows
// and dialogs and relays the contract. It imports no Electron module: the port is process.parentPort.
// Built as out/main/service-process.js (an entry of its own, electron.vite.config.ts).
import { serveRelay } from '../host/relay/service-side.ts';
import { startServiceRuntime } from '../host/service-runtime.ts';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('service-process-entry runs only in an Electron utilityProcess (service-process.ts forks it).');
const port = parentPort;
serveRelay(
  { post: (message) => port.postMessage(message), listen: (listener) => port.on('message', (event) => listener(event.data)) },
  startServiceRuntime,
);
