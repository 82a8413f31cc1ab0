/**
 * Electron's service in a utilityProcess (issue 14): main keeps the windows, the native dialogs and
 * the OS notifications, and relays the contract; the service runs service-process-entry.ts. The
 * relay is the one web mode's worker thread uses (src/main/host/relay), so what the tests prove of
 * it holds here; this file is only the Electron port around it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { utilityProcess } from 'electron';
import { connectRelay, type RelayClient, type RelayHostOptions } from '../host/relay/host-side.ts';

export interface ServiceProcess {
  client: RelayClient;
  /** Closes the store in the service process (last audit checkpoint included), then ends it. */
  stop(): Promise<void>;
}

/** Beside index.js in the build (electron.vite.config.ts names the entry). */
function entryPath(): string {
  const path = fileURLToPath(new URL('./service-process.js', import.meta.url));
  if (!existsSync(path)) throw new Error(`certdesk's service entry is missing (${path}); reinstall certdesk.`);
  return path;
}

export async function startServiceProcess(options: RelayHostOptions): Promise<ServiceProcess> {
  const child = utilityProcess.fork(entryPath(), [], { serviceName: 'certdesk service', stdio: 'inherit' });
  const client = connectRelay(
    { post: (message) => child.postMessage(message), listen: (listener) => child.on('message', listener) },
    options,
  );
  child.on('exit', (code) => client.gone(`its process exited with code ${code}`));
  await client.ready.catch((error: unknown) => {
    child.kill();
    throw error;
  });
  return {
    client,
    async stop() {
      await client.stop();
      child.kill();
    },
  };
}
