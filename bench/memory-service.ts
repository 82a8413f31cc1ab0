// The memory bench's service process (issue 14 §6): the certdesk service behind the same relay as
// web mode's worker and Electron's utilityProcess, over Node's IPC channel, so that its peak RSS is
// read apart from the host's. Started by bench/memory-host.ts; nothing else runs it.
import { serveRelay } from '../src/main/host/relay/service-side.ts';
import { startServiceRuntime } from '../src/main/host/service-runtime.ts';

if (!process.send) throw new Error('bench/memory-service.ts runs only as a child with an IPC channel (bench/memory-host.ts forks it).');
serveRelay({ post: (message) => process.send!(message), listen: (listener) => process.on('message', listener) }, startServiceRuntime);
// The host going away ends this process too: no service is left behind by a bench that stopped.
process.on('disconnect', () => process.exit(0));
