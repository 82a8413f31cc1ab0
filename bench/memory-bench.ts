/**
 * Peak RSS of the service and of the host apart (issue 14 §6), with the 100k inventory open in
 * Chromium: the web host with its service in a child process (bench/memory-host.ts), Inventory
 * opened, searched and scrolled as the browser bench does, then each process's kernel high-water
 * mark (VmHWM). The baseline is the same on a one-certificate inventory, in the same run.
 */
import { readFileSync } from 'node:fs';
import { startHost } from '../test/e2e/web-host-fixture.ts';
import { baseAndFull, measure, peakRss } from './browser-bench.ts';
import type { Row } from './report.ts';

/** The host's one child: its service process. */
function childOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  if (children.length !== 1) throw new Error(`memory bench: the host ${pid} should have one child (its service), not ${children.length}`);
  return children[0]!;
}

export async function memoryBench(count = 100_000): Promise<Row[]> {
  const { base, full } = await baseAndFull(
    count,
    (dir) => startHost(dir, {}, 'bench/memory-host.ts'),
    async (browser, host, search) => {
      const service = childOf(host.process.pid!);
      await measure(browser, host, search);
      return { host: peakRss(host.process.pid!), service: peakRss(service) };
    },
  );
  const n = count.toLocaleString('en');
  return (['service', 'host'] as const).flatMap((side): Row[] => {
    const what = side === 'service' ? 'service process (SQLite, crypto, dispatch)' : 'web host without the service (HTTP, relay)';
    const baseline = `peak RSS, ${what}, 1 cert`;
    return [
      { name: baseline, value: base[side], unit: 'MiB' },
      { name: `peak RSS, ${what}, ${n} certs open`, value: full[side], unit: 'MiB', baseline, ratio: full[side] / base[side] },
    ];
  });
}
