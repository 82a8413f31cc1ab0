/**
 * Peak RSS of the service and of the host apart (issue 14 §6), with the 100k inventory open in
 * Chromium: the web host with its service in a child process (bench/memory-host.ts), Inventory
 * opened, searched and scrolled as the browser bench does, then each process's kernel high-water
 * mark (VmHWM). The baseline is the same on a one-certificate inventory, in the same run. The service
 * is measured twice: as the app ships it (the bundle), and as web mode runs it from the sources.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHost } from '../test/e2e/web-host-fixture.ts';
import { baseAndFull, measure, peakRss } from './browser-bench.ts';
import type { Row } from './report.ts';

/** The host's one child: its service process. */
function childOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  if (children.length !== 1) throw new Error(`memory bench: the host ${pid} should have one child (its service), not ${children.length}`);
  return children[0]!;
}

/**
 * How the service process is run: `shipped`, the electron-vite bundle the app runs (out/main, `npm run
 * build`), the figure; `source`, the TypeScript sources under Node's type stripping, as web mode
 * and the CLI run them (the stripper and one module record per file cost memory the bundle does not).
 */
export type ServiceForm = 'shipped' | 'source';

/** The newest modification time of any file under `dir`. */
function newest(dir: string): { file: string; ms: number } {
  let found = { file: dir, ms: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const ms = statSync(file).mtimeMs;
    if (ms > found.ms) found = { file, ms };
  }
  return found;
}

/** Refuses to measure a bundle older than the service's sources: it would be another certdesk than the one checked out. */
function requireFreshBuild(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const bundle = join(root, 'out/main/service-process.js');
  let built: number;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    throw new Error(`the memory bench measures the shipped service, ${bundle}, which is missing: run \`npm run build\` first`);
  }
  const source = [newest(join(root, 'src/main')), newest(join(root, 'src/shared'))].reduce((a, b) => (a.ms > b.ms ? a : b));
  if (source.ms > built)
    throw new Error(`${bundle} is older than ${source.file}: run \`npm run build\` so the bench measures these sources`);
}

export async function memoryBench(count = 100_000, forms: readonly ServiceForm[] = ['shipped', 'source']): Promise<Row[]> {
  if (forms.includes('shipped')) requireFreshBuild();
  const rows: Row[] = [];
  for (const form of forms) {
    const { base, full } = await baseAndFull(
      count,
      (dir) => startHost(dir, { CERTDESK_BENCH_SERVICE: form }, 'bench/memory-host.ts'),
      async (browser, host, search) => {
        const service = childOf(host.process.pid!);
        await measure(browser, host, search);
        return { host: peakRss(host.process.pid!), service: peakRss(service) };
      },
    );
    const n = count.toLocaleString('en');
    const sides = form === 'shipped' ? (['service', 'host'] as const) : (['service'] as const);
    for (const side of sides) {
      const what =
        side === 'service'
          ? `service process (SQLite, crypto, dispatch), ${form === 'shipped' ? 'shipped build' : 'from the TypeScript sources'}`
          : 'web host without the service (HTTP, relay)';
      const baseline = `peak RSS, ${what}, 1 cert`;
      rows.push(
        { name: baseline, value: base[side], unit: 'MiB' },
        { name: `peak RSS, ${what}, ${n} certs open`, value: full[side], unit: 'MiB', baseline, ratio: full[side] / base[side] },
      );
    }
  }
  return rows;
}
