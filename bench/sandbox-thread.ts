/**
 * The rotation bench's Auth0 emulator, in a worker thread of its own (see threaded-sandbox.ts):
 * started with the options in workerData, answering the bench's requests by message and telling it
 * of every answer it gave.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startSandbox, type StartSandboxOptions } from '../src/sandbox/index.ts';
import type { SandboxReply, SandboxRequest } from './threaded-sandbox.ts';

const port = parentPort!;
const sandbox = await startSandbox(workerData as StartSandboxOptions);
// Posted in the same tick as the answer is sent: a `settle` asked after a reply arrived comes back after its record.
sandbox.onResponse(({ api, method, path, status, injected }) =>
  port.postMessage({ type: 'response', record: { api, method, path, status, injected } } satisfies SandboxReply),
);

const answer = (request: SandboxRequest): unknown | Promise<unknown> => {
  switch (request.op) {
    case 'create-client':
      return sandbox.admin.createClient({ name: request.name });
    case 'set-faults':
      return sandbox.setFaults(request.faults);
    case 'settle':
      return undefined;
    case 'cpu': {
      const { user, system } = process.threadCpuUsage();
      return (user + system) / 1e6;
    }
    case 'stop':
      return sandbox.stop();
  }
};

// A failed request is answered with its error, so the bench reports it instead of waiting forever.
port.on('message', (request: SandboxRequest) => {
  void (async () => {
    try {
      port.postMessage({ type: 'reply', id: request.id, value: await answer(request) } satisfies SandboxReply);
    } catch (error) {
      port.postMessage({ type: 'reply', id: request.id, error: (error as Error).message } satisfies SandboxReply);
    }
  })();
});
port.postMessage({
  type: 'ready',
  url: sandbox.url,
  domain: sandbox.domain,
  managementClient: sandbox.managementClient,
} satisfies SandboxReply);
