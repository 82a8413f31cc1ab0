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

port.on('message', (request: SandboxRequest) => {
  const reply = (value?: unknown) => port.postMessage({ type: 'reply', id: request.id, value } satisfies SandboxReply);
  switch (request.op) {
    case 'create-client':
      return reply(sandbox.admin.createClient({ name: request.name }));
    case 'set-faults':
      sandbox.setFaults(request.faults);
      return reply();
    case 'settle':
      return reply();
    case 'cpu': {
      const { user, system } = process.threadCpuUsage();
      return reply((user + system) / 1e6);
    }
    case 'stop':
      return void sandbox.stop().then(() => reply());
  }
});
port.postMessage({
  type: 'ready',
  url: sandbox.url,
  domain: sandbox.domain,
  managementClient: sandbox.managementClient,
} satisfies SandboxReply);
