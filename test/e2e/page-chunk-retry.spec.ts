import { expect, inProcessHost, test } from './web-host-fixture.ts';

const AUDIT_CHUNK = /\/assets\/AuditPage-[\w-]+\.js(\?.*)?$/;

test('web mode: a page whose chunk failed while the host was away loads once it is back, without a reload', async ({ page, dataDir }) => {
  const inProcess = inProcessHost(dataDir);
  const token = 'e2e-page-chunk-retry-token-0123456789abcdef';
  let host = await inProcess.start({ token });
  const failed: string[] = [];
  const loaded: string[] = [];
  page.on('requestfailed', (request) => {
    if (AUDIT_CHUNK.test(request.url())) failed.push(request.url());
  });
  page.on('requestfinished', async (request) => {
    if (AUDIT_CHUNK.test(request.url()) && (await request.response())?.status() === 200) loaded.push(request.url());
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await expect(page.getByTestId('new-root-ca')).toBeVisible();
    // A mark on this document: a full reload would drop it.
    await page.locator('html').evaluate((html) => html.setAttribute('data-e2e-same-document', 'yes'));

    const port = host.port;
    await host.close();
    await expect(page.getByTestId('connection-banner')).toHaveAttribute('data-connection-state', 'lost');
    await page.getByTestId('nav-audit').click();
    await expect(page.getByTestId('page-loading')).toBeVisible();
    // Three failed fetches: the modulepreload, then at least two import() calls of the chunk itself (Vite
    // preloads a URL once per document), so a failed import() of that URL has been tried again already.
    await expect.poll(() => failed.length).toBeGreaterThanOrEqual(3);
    expect(loaded).toEqual([]);

    host = await inProcess.start({ token, port });
    await expect(page.getByTestId('audit-refresh')).toBeVisible();
    await expect(page.getByTestId('page-loading')).toBeHidden();
    // Chromium fetched the very URL that had failed (it keeps no failed module import for it), and ran it.
    expect(loaded).toEqual([failed[0]]);
    expect(new Set(failed)).toEqual(new Set([failed[0]]));
    await expect(page.locator('html')).toHaveAttribute('data-e2e-same-document', 'yes');
    expect(pageErrors).toEqual([]);
  } finally {
    await host.close();
    await inProcess.close();
  }
});
