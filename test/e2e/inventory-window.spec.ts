import { CertdeskService } from '../../src/main/core/service.ts';
import { KeychainSecretStore } from '../../src/main/core/secrets/keychain-secret-store.ts';
import { fillInventory } from '../../bench/inventory-fill.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

const COUNT = 2_000;

test('Inventory with 2,000 certificates renders only a window of rows, and scrolling moves the window', async ({ page, dataDir }) => {
  // The folder is prepared before the host opens it: a root, an issuing CA, one issued certificate, grown to COUNT.
  const service = CertdeskService.open({ dataDir, secretStore: new KeychainSecretStore(), mode: 'cli' });
  await service.createAuthority({ name: 'Window Root' });
  await service.createAuthority({ name: 'Window Issuing', parent: 'Window Root' });
  await service.issue({ ca: 'Window Issuing', subject: { commonName: 'seed' }, source: { kind: 'generated' } });
  fillInventory(service.db, COUNT);
  service.close();
  await service.audit.settle();

  const host = await startHost(dataDir);
  try {
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    // How many rows with data sit below the viewport in the DOM that first shows rows with data (read before
    // any later frame): none, the first paint is the rows in view alone.
    const rowsBelow = `[...document.querySelectorAll('[data-testid="cert-row"]')].filter(
      (row) => row.getBoundingClientRect().top >= document.querySelector('[data-testid="cert-table-scroll"]').getBoundingClientRect().bottom,
    ).length`;
    await page.evaluate(`(() => {
      const observer = new MutationObserver(() => {
        if (!document.querySelector('[data-testid="cert-row"]')) return;
        observer.disconnect();
        window.rowsBelowAtFirstPaint = ${rowsBelow};
      });
      observer.observe(document.body, { subtree: true, childList: true });
    })()`);
    await page.getByTestId('nav-inventory').click();
    await expect(page.getByTestId('cert-total')).toHaveAttribute('data-total', String(COUNT));
    const rows = page.getByTestId('cert-row');
    await expect(rows.first()).toBeVisible();

    // The table says how many rows it has, but only the ones in view (and a margin) are in the DOM.
    await expect(page.getByTestId('cert-table')).toHaveAttribute('aria-rowcount', String(COUNT + 1));
    const rendered = await page.locator('[data-testid="cert-row"], [data-testid="cert-row-loading"]').count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThanOrEqual(80);
    // The first rows are painted without the margin; the 12 rows below the viewport follow a frame later.
    expect(await page.evaluate('window.rowsBelowAtFirstPaint')).toBe(0);
    await expect.poll(() => page.evaluate(rowsBelow)).toBe(12);

    // Scrolled to the end, the last rows are there and the window stays as small.
    await page.getByTestId('cert-table-scroll').evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    await expect(page.locator(`[data-testid="cert-row"][aria-rowindex="${COUNT + 1}"]`)).toBeVisible();
    expect(await page.locator('[data-testid="cert-row"], [data-testid="cert-row-loading"]').count()).toBeLessThanOrEqual(80);
  } finally {
    await host.stop();
  }
});
