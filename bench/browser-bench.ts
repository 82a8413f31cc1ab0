/**
 * The renderer as an operator feels it (issue 14): Debian's Chromium, driven by Playwright, against
 * the real web host on a data folder with a large inventory, each figure beside the same figure on a
 * one-certificate inventory measured in the same run. Times are taken inside the page
 * (performance.now, a MutationObserver, requestAnimationFrame), never across the CDP round trip.
 * Peak memory is the kernel's high-water mark (VmHWM) of each process, read apart.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CertdeskService } from '../src/main/core/service.ts';
import { MemorySecretStore } from '../src/main/core/secrets/secret-store.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium.ts';
import { startHost, type RunningHost } from '../test/e2e/web-host-fixture.ts';
import { fillInventory } from './inventory-fill.ts';
import type { Row } from './report.ts';

export interface Figures {
  firstContentfulPaint: number;
  inventoryFirstRows: number;
  /** The same click on a fresh page once the app is idle (its preloading done), as an operator who reads the first page first. */
  inventoryFirstRowsIdle: number;
  searchToResults: number;
  frameMean: number;
  frameP95: number;
  idleFrameMean: number;
  /** Peak RSS by process, in MiB: the web host (service and host), the page's Chromium renderer. */
  peaks: { process: string; mib: number }[];
}

/** A data folder with a root, an issuing CA and one issued certificate, grown to `count` certificates. */
export async function dataFolder(count: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-bench-ui-'));
  const service = CertdeskService.open({ dataDir: dir, secretStore: new MemorySecretStore(), mode: 'cli' });
  await service.createAuthority({ name: 'UI Bench Root' });
  await service.createAuthority({ name: 'UI Bench Issuing', parent: 'UI Bench Root' });
  await service.issue({
    ca: 'UI Bench Issuing',
    subject: { commonName: 'client-seed' },
    source: { kind: 'generated', keyType: 'ec-p256' },
  });
  fillInventory(service.db, count);
  service.close();
  return dir;
}

/** The kernel's record of a process's peak resident set, in MiB. */
export function peakRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return line ? Number(line.replace(/\D+/g, '')) / 1024 : NaN;
}

/** Chromium's renderer processes started by this process (a Chromium another program runs is never counted). */
function ourRendererPids(): number[] {
  const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  const ours = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 10; p = parentOf(p), hops++) if (p === process.pid) return true;
    return false;
  };
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const pid = Number(name);
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer') && ours(pid)) pids.push(pid);
    } catch {
      // the process ended while it was being read
    }
  }
  return pids;
}

/** Resolves once `selector` matches in the page, then after the next frame is drawn; returns ms since `t0`. */
const PAINTED_AFTER = `(selector, t0) => new Promise((resolve) => {
  const done = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
  if (document.querySelector(selector)) return done();
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    observer.disconnect();
    done();
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
})`;

export async function measure(browser: Browser, host: RunningHost, search: { term: string; total: number }): Promise<Figures> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(host.url);
    await page.getByTestId('app-ready').waitFor();
    const firstContentfulPaint = (await page.evaluate(
      "performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime ?? NaN",
    )) as number;

    // First rows of Inventory: from the click on its nav link to the frame after its first row with data.
    const inventoryFirstRows = await timed(page, '[data-testid="cert-row"]', CLICK('[data-testid="nav-inventory"]'));

    // A search: from the first keystroke to the frame after the total answers it (the 200 ms debounce is in both sides).
    const searchToResults = await timed(
      page,
      `[data-testid="cert-total"][data-total="${search.total}"]`,
      TYPE('[data-testid="cert-search"]', search.term),
    );
    await page.getByTestId('cert-search').fill('');
    await page.locator('[data-testid="cert-row"]').first().waitFor();

    // Frame times: rAF deltas while idle, then while the table scrolls by 2,000 px a frame.
    const frames = (await page.evaluate(FRAME_TIMES)) as { idleMean: number; mean: number; p95: number };

    const renderers = ourRendererPids().map(peakRss);
    const inventoryFirstRowsIdle = await firstRowsOnceIdle(browser, host);
    return {
      firstContentfulPaint,
      inventoryFirstRows,
      inventoryFirstRowsIdle,
      searchToResults,
      frameMean: frames.mean,
      frameP95: frames.p95,
      idleFrameMean: frames.idleMean,
      // In web mode the service runs in the host's process; when it moves to a worker thread it is still this process.
      peaks: [
        { process: 'web host (service + host)', mib: peakRss(host.process.pid!) },
        { process: 'Chromium renderer (the page)', mib: Math.max(...renderers) },
      ],
    };
  } finally {
    await page.close();
  }
}

/** In the page: resolves once no request has completed for 500 ms (the event stream stays open, so the network is never idle), then two idle callbacks. */
const QUIET = `new Promise((resolve) => {
  let last = performance.now();
  new PerformanceObserver(() => { last = performance.now(); }).observe({ type: 'resource' });
  const check = () => performance.now() - last >= 500
    ? requestIdleCallback(() => requestIdleCallback(resolve, { timeout: 2000 }), { timeout: 2000 })
    : setTimeout(check, 100);
  check();
})`;

/**
 * A click on Inventory in a fresh page (no cache shared with the first) once the app has gone QUIET. The
 * host is the one the first click warmed. What the first click measures on top of this is the start-up
 * work still running when app-ready shows, and a cold host.
 */
async function firstRowsOnceIdle(browser: Browser, host: RunningHost): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(host.url);
    await page.getByTestId('app-ready').waitFor();
    await page.evaluate(QUIET);
    return await timed(page, '[data-testid="cert-row"]', CLICK('[data-testid="nav-inventory"]'));
  } finally {
    await page.close();
  }
}

/** rAF deltas for 60 idle frames, then for 180 frames that each scroll the table 2,000 px further. */
const FRAME_TIMES = `(async () => {
  const deltas = async (frames, step) => {
    const out = [];
    let last = await new Promise((r) => requestAnimationFrame(r));
    for (let i = 0; i < frames; i++) {
      step?.();
      const now = await new Promise((r) => requestAnimationFrame(r));
      out.push(now - last);
      last = now;
    }
    return out;
  };
  const scroller = document.querySelector('[data-testid="cert-table-scroll"]');
  const idle = await deltas(60);
  const scrolling = await deltas(180, () => { scroller.scrollTop += 2000; });
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sorted = [...scrolling].sort((a, b) => a - b);
  return { idleMean: mean(idle), mean: mean(scrolling), p95: sorted[Math.floor(sorted.length * 0.95)] };
})()`;

/** In-page actions, so a measurement starts at the event itself and not at a CDP round trip before it. */
const CLICK = (selector: string) => `document.querySelector(${JSON.stringify(selector)}).click()`;
/** Sets an input's value as typing does (through the native setter, so React sees the change), then fires `input`. */
const TYPE = (selector: string, text: string) => `(() => {
  const input = document.querySelector(${JSON.stringify(selector)});
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, ${JSON.stringify(text)});
  input.dispatchEvent(new Event('input', { bubbles: true }));
})()`;

/** Runs `action` in the page and returns the ms until the frame after `selector` first matches. */
async function timed(page: Page, selector: string, action: string): Promise<number> {
  return (await page.evaluate(
    `(() => { const t0 = performance.now(); const painted = (${PAINTED_AFTER})(${JSON.stringify(selector)}, t0); ${action}; return painted; })()`,
  )) as number;
}

type Search = { term: string; total: number };

/**
 * `measured` on a one-certificate inventory (the baseline), then on `count` certificates, each behind a
 * fresh host from `start`, in one Chromium, with the same search: one match among `count`, none in the seed-only folder.
 */
export async function baseAndFull<T>(
  count: number,
  start: (dir: string) => Promise<RunningHost>,
  measured: (browser: Browser, host: RunningHost, search: Search) => Promise<T>,
): Promise<{ base: T; full: T }> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("the browser bench needs Debian's Chromium: sudo apt-get install chromium");
  const small = await dataFolder(1);
  const large = await dataFolder(count);
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const run = async (dir: string, search: Search) => {
    const host = await start(dir);
    try {
      return await measured(browser, host, search);
    } finally {
      await host.stop();
    }
  };
  try {
    const base = await run(small, { term: 'client-99999', total: 0 });
    // The fill numbers its rows from 0 under the seed: the last one is the only name holding its digits.
    const full = await run(large, { term: `client-${count - 2}`, total: 1 });
    return { base, full };
  } finally {
    await browser.close();
    rmSync(small, { recursive: true, force: true });
    rmSync(large, { recursive: true, force: true });
  }
}

/**
 * Rows for `npm run bench`: a one-certificate inventory is the baseline, `count` certificates the
 * measured side, both in one Chromium, one after the other.
 */
export async function browserBench(count = 100_000): Promise<Row[]> {
  const { base, full } = await baseAndFull(count, (dir) => startHost(dir), measure);
  const n = count.toLocaleString('en');
  const pair = (name: string, unit: 'ms' | 'MiB', baseName: string, baseValue: number, value: number): Row[] => [
    { name: baseName, value: baseValue, unit },
    { name, value, unit, baseline: baseName, ratio: value / baseValue },
  ];
  return [
    ...pair(
      `first contentful paint of the app, ${n} certs`,
      'ms',
      'first contentful paint, 1 cert',
      base.firstContentfulPaint,
      full.firstContentfulPaint,
    ),
    ...pair(
      `Inventory first rows painted, ${n} certs`,
      'ms',
      'Inventory first rows painted, 1 cert',
      base.inventoryFirstRows,
      full.inventoryFirstRows,
    ),
    ...pair(
      `Inventory first rows painted, click once the app is idle, ${n} certs`,
      'ms',
      'Inventory first rows painted, click once the app is idle, 1 cert',
      base.inventoryFirstRowsIdle,
      full.inventoryFirstRowsIdle,
    ),
    ...pair(`search to results, ${n} certs`, 'ms', 'search to results, 1 cert', base.searchToResults, full.searchToResults),
    ...pair(`frame time scrolling Inventory (mean), ${n} certs`, 'ms', 'frame time idle (mean)', full.idleFrameMean, full.frameMean),
    {
      name: `frame time scrolling Inventory (p95), ${n} certs`,
      value: full.frameP95,
      unit: 'ms',
      baseline: 'frame time idle (mean)',
      ratio: full.frameP95 / full.idleFrameMean,
    },
    ...full.peaks.map((peak, i) => ({
      name: `peak RSS, ${peak.process}, ${n} certs open`,
      value: peak.mib,
      unit: 'MiB' as const,
      baseline: `1 cert`,
      ratio: peak.mib / base.peaks[i]!.mib,
    })),
  ];
}

// `node bench/browser-bench.ts [COUNT]` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) console.table(await browserBench(Number(process.argv[2] ?? 100_000)));
