// Worker entry of the stall bench: the bench's service behind the relay, plus its own `bench` steps.
import { parentPort } from 'node:worker_threads';
import { serveRelay } from '../src/main/host/relay/service-side.ts';
import { startBenchService, type BenchOp, type BenchService } from './stall-service.ts';

const port = parentPort!;
let service: Promise<BenchService> | undefined;
serveRelay(
  { post: (m) => port.postMessage(m), listen: (l) => port.on('message', l) },
  (_start, outlet) => (service = startBenchService(outlet)),
);
port.on('message', (message: { kind?: string; id?: number; op?: BenchOp }) => {
  if (message.kind !== 'bench') return;
  void service!
    .then((s) => s.run(message.op!))
    .then(
      (value) => port.postMessage({ kind: 'bench-done', id: message.id, value }),
      (error: unknown) => port.postMessage({ kind: 'bench-done', id: message.id, error: String(error) }),
    );
});
