/**
 * The sandbox in a worker thread, for the rotation bench. Auth0 is someone else's machine: its CPU is
 * not certdesk's. In the bench's own thread the emulator's request handling, JSON and token work
 * took their share of the one event loop certdesk's rotations run on, and so counted against
 * certdesk's time. Here it answers over real loopback HTTP from a thread of its own, as a remote
 * tenant would, and the bench hears of every answer by message.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { FaultConfig, ResponseRecord, StartSandboxOptions } from '../src/sandbox/index.ts';

/** The part of a response record the bench counts. */
export type ThreadedResponse = Pick<ResponseRecord, 'api' | 'method' | 'path' | 'status' | 'injected'>;

export type SandboxOp =
  | { op: 'create-client'; name: string }
  | { op: 'set-faults'; faults: Partial<FaultConfig> }
  | { op: 'settle' }
  | { op: 'cpu' }
  | { op: 'stop' };

export type SandboxRequest = { id: number } & SandboxOp;

export type SandboxReply =
  | { type: 'ready'; url: string; domain: string; managementClient?: { clientId: string; clientSecret: string } }
  | { type: 'reply'; id: number; value?: unknown; error?: string }
  | { type: 'response'; record: ThreadedResponse };

export interface ThreadedSandbox {
  url: string;
  domain: string;
  managementClient: { clientId: string; clientSecret: string };
  createClient(name: string): Promise<{ clientId: string; clientSecret: string }>;
  setFaults(faults: Partial<FaultConfig>): Promise<void>;
  onResponse(listener: (record: ThreadedResponse) => void): () => void;
  /** CPU seconds the sandbox's thread has used so far. */
  cpuSeconds(): Promise<number>;
  /** Resolves once every answer the sandbox has given so far has been told to the listeners. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startThreadedSandbox(options: Omit<StartSandboxOptions, 'now'>): Promise<ThreadedSandbox> {
  const worker = new Worker(new URL('./sandbox-thread.ts', import.meta.url), { workerData: options });
  const listeners = new Set<(record: ThreadedResponse) => void>();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let failed: Error | undefined;
  let nextId = 1;
  // Whenever the thread fails or ends, every question still open is answered with why.
  const fail = (error: Error) => {
    failed ??= error;
    for (const { reject } of pending.values()) reject(failed);
    pending.clear();
  };
  const ready = new Promise<Extract<SandboxReply, { type: 'ready' }>>((resolve, reject) => {
    worker.on('message', (message: SandboxReply) => {
      if (message.type === 'ready') return resolve(message);
      if (message.type === 'response') {
        for (const listener of listeners) listener(message.record);
        return;
      }
      const asked = pending.get(message.id);
      pending.delete(message.id);
      if (message.error === undefined) asked?.resolve(message.value);
      else asked?.reject(new Error(`the sandbox thread: ${message.error}`));
    });
    worker.on('error', (error) => {
      fail(error);
      reject(error);
    });
    worker.on('exit', (code) => {
      const error = new Error(`the sandbox thread exited with code ${code}`);
      fail(error);
      reject(error);
    });
  });
  const ask = <T>(request: SandboxOp): Promise<T> => {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  };
  const started = await ready.catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  if (!started.managementClient) {
    await worker.terminate();
    throw new Error('the sandbox was not seeded with its management client');
  }
  return {
    url: started.url,
    domain: started.domain,
    managementClient: started.managementClient,
    createClient: (name) => ask({ op: 'create-client', name }),
    setFaults: (faults) => ask({ op: 'set-faults', faults }),
    onResponse(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    settle: () => ask({ op: 'settle' }),
    cpuSeconds: () => ask({ op: 'cpu' }),
    async stop() {
      // A sandbox that does not stop within 10 s is ended anyway: the bench's own error matters more.
      await Promise.race([ask({ op: 'stop' }).catch(() => undefined), sleep(10_000)]);
      await worker.terminate();
    },
  };
}
