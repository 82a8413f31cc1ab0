/**
 * The host thread's longest stall (issue 14), by `perf_hooks.monitorEventLoopDelay` on the host's own
 * thread, during a bulk issue, an audit verify and searches of a 100k inventory: with the service in
 * the host's thread (the baseline, as before) and in a worker thread over web mode's relay, in one run.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Result } from '../src/shared/contract/index.ts';
import { dispatch } from '../src/main/host/dispatch.ts';
import { connectRelay, type Dispatcher } from '../src/main/host/relay/host-side.ts';
import { BULK } from './bulk-bench.ts';
import type { Row } from './report.ts';
import { INVENTORY, startBenchService, type BenchOp } from './stall-service.ts';

interface Side {
  call: Dispatcher;
  run(op: BenchOp): Promise<number>;
  stop(): Promise<void>;
}

async function inHostThread(): Promise<Side> {
  const service = await startBenchService({ event: () => {} });
  return { call: (channel, input) => dispatch(service.handlers, channel, input), run: (op) => service.run(op), stop: () => service.stop() };
}

async function inWorker(): Promise<Side> {
  const worker = new Worker(new URL('./stall-worker.ts', import.meta.url));
  const client = connectRelay(
    { post: (m) => worker.postMessage(m), listen: (l) => worker.on('message', l) },
    { start: { dataDir: '', mode: 'web', backgroundNotices: false }, onEvent: () => {} },
  );
  worker.on('exit', (code) => client.gone(`exit ${code}`));
  await client.ready;
  let next = 0;
  const waiting = new Map<number, { resolve(n: number): void; reject(e: Error): void }>();
  worker.on('message', (m: { kind?: string; id?: number; value?: number; error?: string }) => {
    if (m.kind !== 'bench-done') return;
    const w = waiting.get(m.id!);
    waiting.delete(m.id!);
    if (m.error) w?.reject(new Error(m.error));
    else w?.resolve(m.value!);
  });
  return {
    call: client.call,
    run: (op) =>
      new Promise((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ kind: 'bench', id, op });
      }),
    async stop() {
      await client.stop();
      await worker.terminate();
    },
  };
}

/** The host thread's event-loop delay while `scenario` runs, in ms. */
async function stall(scenario: () => Promise<void>): Promise<{ max: number; p99: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await scenario();
  // A stall that ends with the scenario is recorded only when the sampling timer next fires: let it.
  await new Promise((resolve) => setTimeout(resolve, 25));
  h.disable();
  return { max: h.max / 1e6, p99: h.percentile(99) / 1e6 };
}

const SEARCHES = ['client-9999', 'client-12345', 'cn=client-777', '00000000000000000000000000001f40', 'nothing-matches'];

export async function stallBench(): Promise<{ rows: Row[]; wrong: Record<string, number> }> {
  const wrong: Record<string, number> = {
    'stall bench: bulk items missing': 0,
    'stall bench: audit verify failures': 0,
    'stall bench: searches disagreeing': 0,
  };
  const measured: Record<string, Record<'host' | 'worker', { max: number; p99: number }>> = {};
  const found: Record<'host' | 'worker', number[]> = { host: [], worker: [] };
  for (const where of ['host', 'worker'] as const) {
    const side = where === 'host' ? await inHostThread() : await inWorker();
    try {
      await side.run('setup');
      const record = (name: string, value: { max: number; p99: number }) => ((measured[name] ??= {} as never)[where] = value);
      record(
        `bulk issue ×${BULK}`,
        await stall(async () => {
          wrong['stall bench: bulk items missing']! += BULK - (await side.run('issue-bulk'));
        }),
      );
      record(
        'audit:verify (20k+ entries)',
        await stall(async () => {
          const verified = (await side.call('audit:verify', {})) as Result<{ ok: boolean }>;
          if (!verified.ok || !verified.value.ok) wrong['stall bench: audit verify failures']!++;
        }),
      );
      record(
        `certs:list search ×${SEARCHES.length} (${INVENTORY / 1000}k certs)`,
        await stall(async () => {
          for (const search of SEARCHES) {
            const page = (await side.call('certs:list', { search, limit: 200 })) as Result<{ total: number }>;
            found[where].push(page.ok ? page.value.total : -1);
          }
        }),
      );
    } finally {
      await side.stop();
    }
  }
  wrong['stall bench: searches disagreeing'] = found.host.filter((n, i) => n < 0 || n !== found.worker[i]).length;
  const rows: Row[] = [];
  for (const [scenario, by] of Object.entries(measured)) {
    for (const stat of ['max', 'p99'] as const) {
      const baseline = `host-thread stall ${stat}, ${scenario}, service in the host thread`;
      rows.push({ name: baseline, value: by.host[stat], unit: 'ms' });
      rows.push({
        name: `host-thread stall ${stat}, ${scenario}, service in a worker thread`,
        value: by.worker[stat],
        unit: 'ms',
        baseline,
        ...(by.host[stat] > 0 ? { ratio: by.worker[stat] / by.host[stat] } : {}),
      });
    }
  }
  return { rows, wrong };
}
