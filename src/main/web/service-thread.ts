/**
 * Web mode's service in a worker thread (issue 14): the host's thread keeps answering HTTP and
 * streaming events while SQLite, the audit walk and the crypto run in the worker.
 */
import { Worker } from 'node:worker_threads';
import { connectRelay, type RelayClient, type RelayHostOptions } from '../host/relay/host-side.ts';

export interface ServiceThread {
  client: RelayClient;
  /** Closes the store in the worker (last audit checkpoint included), then ends the thread. */
  stop(): Promise<void>;
}

export async function startServiceThread(options: RelayHostOptions): Promise<ServiceThread> {
  const worker = new Worker(new URL('./service-worker.ts', import.meta.url));
  const client = connectRelay(
    { post: (message) => worker.postMessage(message), listen: (listener) => worker.on('message', listener) },
    options,
  );
  worker.on('error', (error) => {
    (options.log ?? console.error)(error);
    client.gone(error.message);
  });
  worker.on('exit', (code) => client.gone(`its thread exited with code ${code}`));
  await client.ready.catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  return {
    client,
    async stop() {
      await client.stop();
      await worker.terminate();
    },
  };
}
