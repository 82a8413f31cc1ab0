import { holdRoute } from './held-route.ts';
import { hostRpc, rpcChannelOf, type HostRpc } from './host-rpc.ts';
import { expect, inProcessHost, startHost, test } from './web-host-fixture.ts';

const AUDIT_CHUNK = /\/assets\/AuditPage-[\w-]+\.js(\?.*)?$/;
const INVENTORY_CHUNK = /\/assets\/InventoryPage-[\w-]+\.js(\?.*)?$/;
const SCHEDULE_CHUNK = /\/assets\/SchedulePage-[\w-]+\.js(\?.*)?$/;

/** A root, an issuing CA under it named `<prefix> Issuing`, and one client certificate from it. */
async function oneCertificate(rpc: HostRpc, prefix: string, commonName: string): Promise<void> {
  await rpc('ca:create', { name: `${prefix} Root` });
  await rpc('ca:create', { name: `${prefix} Issuing`, parent: `${prefix} Root` });
  await rpc('certs:issue', { ca: `${prefix} Issuing`, subject: { commonName }, source: { kind: 'generated' } });
}

test("web mode: the Inventory's chunk comes ahead after the first page's, its first page once per visit with the click, and a hovered page fetches its chunk", async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  const rpc = hostRpc(host);
  try {
    await oneCertificate(rpc, 'Prefetch', 'first-client');

    const lists: unknown[] = [];
    const chunks: string[] = [];
    page.on('request', (request) => {
      if (rpcChannelOf(request.url()) === 'certs:list') lists.push(request.postDataJSON());
      if (AUDIT_CHUNK.test(request.url())) chunks.push(request.url());
    });
    // The Inventory's chunk is held back until the test lets it go: the page cannot mount before then.
    const inventoryChunk = await holdRoute(page, INVENTORY_CHUNK);
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    expect(lists).toEqual([]);
    // Once the first page's chunk is in, the Inventory's is asked for ahead of any click.
    await expect.poll(inventoryChunk.asked).toBe(true);

    // The first visit: its rows are asked for with the click, while the page still waits for its chunk…
    const rows = page.waitForResponse((response) => rpcChannelOf(response.url()) === 'certs:list');
    await page.getByTestId('nav-inventory').click();
    await rows;
    await expect(page.getByTestId('page-loading')).toBeVisible();
    await expect(page.getByTestId('cert-table')).toHaveCount(0);
    // The link names the page being opened, and a second click on it while it opens asks for nothing again.
    await expect(page.getByTestId('nav-inventory')).toHaveAttribute('aria-current', 'page');
    await page.getByTestId('nav-inventory').click();
    // …and the page, once there, shows them without asking again.
    inventoryChunk.release();
    await expect(page.getByTestId('cert-row')).toHaveCount(1);
    await expect(page.getByTestId('cert-total')).toHaveAttribute('data-total', '1');
    expect(lists).toEqual([{ offset: 0, limit: 200 }]);
    await page.unroute(INVENTORY_CHUNK);

    // A certificate issued while the operator is elsewhere: the next visit reads afresh, again with one request.
    await page.getByTestId('nav-schedule').click();
    await expect(page.getByTestId('cert-table')).toHaveCount(0);
    await rpc('certs:issue', { ca: 'Prefetch Issuing', subject: { commonName: 'second-client' }, source: { kind: 'generated' } });
    await page.getByTestId('nav-inventory').click();
    await expect(page.getByTestId('cert-total')).toHaveAttribute('data-total', '2');
    await expect(page.getByTestId('cert-row')).toHaveCount(2);
    expect(lists).toEqual([
      { offset: 0, limit: 200 },
      { offset: 0, limit: 200 },
    ]);

    // The pointer over a page's link fetches that page's chunk before any click; the click then needs no fetch.
    expect(chunks).toEqual([]);
    await page.getByTestId('nav-audit').hover();
    await expect.poll(() => chunks.length).toBeGreaterThan(0);
    const beforeClick = [...chunks];
    // Once the chunk is in and the window has been idle since, the page renders at once on its first visit: never
    // behind "Opening the page…", which React keeps on screen for at least 300 ms once shown.
    // In-page code as text: this file is type-checked without the DOM's types.
    await expect
      .poll(() => page.evaluate("performance.getEntriesByType('resource').some((e) => e.name.includes('/AuditPage-'))"))
      .toBe(true);
    await page.evaluate(`(async () => {
      for (let round = 0; round < 3; round++) await new Promise((resolve) => requestIdleCallback(resolve));
      const seen = { fallback: false };
      globalThis.pageLoadingSeen = seen;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="page-loading"]')) seen.fallback = true;
      }).observe(document.body, { subtree: true, childList: true });
    })()`);
    await page.getByTestId('nav-audit').click();
    await expect(page.getByTestId('audit-refresh')).toBeVisible();
    expect(chunks).toEqual(beforeClick);
    expect(await page.evaluate('globalThis.pageLoadingSeen.fallback')).toBe(false);
  } finally {
    await host.stop();
  }
});

test('web mode: first rows asked for while the host was away are asked again once the page is there', async ({ page, dataDir }) => {
  const inProcess = inProcessHost(dataDir);
  await inProcess.service.createAuthority({ name: 'Away Root' });
  await inProcess.service.createAuthority({ name: 'Away Issuing', parent: 'Away Root' });
  await inProcess.service.issue({ ca: 'Away Issuing', subject: { commonName: 'away-client' }, source: { kind: 'generated' } });
  const token = 'e2e-page-prefetch-away-token-0123456789abcdef';
  let host = await inProcess.start({ token });
  // The Inventory's chunk (fetched ahead once the first page's is in) is held until the host is back, so the page
  // cannot mount while the host is away, however soon it was asked for.
  const inventoryChunk = await holdRoute(page, INVENTORY_CHUNK);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    const port = host.port;
    await host.close();
    await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-connection-state', 'lost');
    // The rows' request fails at once; the page waits for its chunk.
    await page.getByTestId('nav-inventory').dispatchEvent('click');
    await expect(page.getByTestId('page-loading')).toBeVisible();

    host = await inProcess.start({ token, port });
    inventoryChunk.release();
    // The page, once its chunk is in, shows the rows the host has now, not the failure of the request made while it was away.
    await expect(page.getByTestId('cert-row')).toHaveCount(1);
    await expect(page.getByTestId('cert-row')).toHaveAttribute('data-cert-cn', 'away-client');
    await expect(page.getByTestId('cert-list-error')).toHaveCount(0);
  } finally {
    await host.close();
    await inProcess.close();
  }
});

test('web mode: a page still on its way gives way to the next click, and arrives later without taking the window from the last one asked for', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  const rpc = hostRpc(host);
  try {
    await oneCertificate(rpc, 'Opening', 'opening-client');
    const inventoryChunk = await holdRoute(page, INVENTORY_CHUNK);
    const scheduleChunk = await holdRoute(page, SCHEDULE_CHUNK);
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await expect(page.getByTestId('new-root-ca')).toBeVisible();

    // Inventory asked for while its chunk is held: "Opening the page…" stands in for it.
    await page.getByTestId('nav-inventory').click();
    await expect(page.getByTestId('page-loading')).toBeVisible();
    await expect(page.getByTestId('new-root-ca')).toHaveCount(0);

    // The operator goes back to Authorities before it arrives: that page is there at once.
    await page.getByTestId('nav-authorities').click();
    await expect(page.getByTestId('new-root-ca')).toBeVisible();
    await expect(page.getByTestId('page-loading')).toHaveCount(0);
    await expect(page.getByTestId('nav-authorities')).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('nav-inventory')).not.toHaveAttribute('aria-current', 'page');

    // Then asks for Schedule, whose chunk is held too.
    await page.getByTestId('nav-schedule').click();
    await expect(page.getByTestId('page-loading')).toBeVisible();
    await expect(page.getByTestId('nav-schedule')).toHaveAttribute('aria-current', 'page');

    // The Inventory's chunk arrives: it does not take the window from the page the operator asked for last.
    const arrived = page.waitForResponse((response) => INVENTORY_CHUNK.test(response.url()));
    inventoryChunk.release();
    await arrived;
    await page.evaluate(
      `(async () => { for (let round = 0; round < 3; round++) await new Promise((resolve) => requestIdleCallback(resolve)); })()`,
    );
    await expect(page.getByTestId('page-loading')).toBeVisible();
    await expect(page.getByTestId('cert-table')).toHaveCount(0);
    await expect(page.getByTestId('nav-schedule')).toHaveAttribute('aria-current', 'page');

    // Schedule's arrives: that page opens.
    scheduleChunk.release();
    await expect(page.getByTestId('schedule-refresh')).toBeVisible();
    await expect(page.getByTestId('page-loading')).toHaveCount(0);
    await expect(page.getByTestId('nav-schedule')).toHaveAttribute('aria-current', 'page');

    // The next click on Inventory opens it, at once now that its chunk is in.
    await page.getByTestId('nav-inventory').click();
    await expect(page.getByTestId('cert-row')).toHaveAttribute('data-cert-cn', 'opening-client');
    await expect(page.getByTestId('nav-inventory')).toHaveAttribute('aria-current', 'page');
  } finally {
    await host.stop();
  }
});
