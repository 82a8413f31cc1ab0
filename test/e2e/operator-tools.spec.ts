import { openssl } from '../support/openssl.ts';
import { startHttpListener } from '../support/http-listener.ts';
import { createCa } from './app-actions.ts';
import { hostRpc } from './host-rpc.ts';
import { operator } from './operator-cli.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

test('templates from the issue form, the command palette, and the Schedule at 1024 px', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    const rpc = hostRpc(host);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Tools Root');
    await createCa(page, 'issuing', 'Tools Issuing');

    // ── The palette opens the issue dialog ──
    await page.keyboard.press('Control+K');
    await expect(page.getByTestId('command-palette-input')).toBeFocused();
    await page.keyboard.type('issue cert');
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('issue-dialog');
    await expect(dialog).toBeVisible();

    // ── Save as template, from the form ──
    await dialog.getByTestId('issue-o').fill('Acme');
    await dialog.getByTestId('issue-c').fill('DE');
    await dialog.getByTestId('issue-days').fill('30');
    await dialog.getByTestId('issue-san-add').click();
    await dialog.getByTestId('issue-san-value').fill('{cn}.clients.example.com');
    await dialog.getByTestId('issue-save-template').click();
    await page.getByTestId('template-name').fill('Payments');
    await page.getByTestId('template-save-submit').click();
    await expect(dialog.getByTestId('issue-save-template')).toHaveText('Saved "Payments"');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // ── Issue from the template ──
    await page.getByTestId('nav-inventory').click();
    await page.getByTestId('issue-cert').click();
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('issue-template').click();
    await page.getByRole('option', { name: 'Payments' }).click();
    await expect(dialog.getByTestId('issue-o')).toHaveValue('Acme');
    await expect(dialog.getByTestId('issue-san-value')).toHaveValue('{cn}.clients.example.com');
    await dialog.getByTestId('issue-cn').fill('pay-7');
    await dialog.getByTestId('issue-submit').click();
    await expect(dialog).toBeHidden();
    const found = await rpc('certs:list', { search: 'pay-7' });
    expect(found.items).toHaveLength(1);
    const cert = await rpc('certs:get', { cert: found.items[0]!.id });
    const text = openssl(['x509', '-noout', '-subject', '-ext', 'subjectAltName'], cert.pem);
    expect(text.stdout).toMatch(/C\s*=\s*DE.*O\s*=\s*Acme.*CN\s*=\s*pay-7/);
    expect(text.stdout).toContain('DNS:pay-7.clients.example.com');
    await page.keyboard.press('Escape');

    // A long unbroken name and a due certificate, for the Schedule's widest rows.
    await rpc('certs:issue', { ca: 'Tools Issuing', subject: { commonName: 'x'.repeat(64) }, days: 10, source: { kind: 'generated' } });

    // ── The palette navigates; Escape closes it ──
    await page.keyboard.press('Control+K');
    await page.keyboard.type('sched');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('command-palette-input')).toBeHidden();
    await page.keyboard.press('Control+K');
    await page.keyboard.type('schedule');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('nav-schedule')).toHaveAttribute('aria-current', 'page');

    // ── No column of the Schedule overflows its cell at 1024 px ──
    await expect(page.getByTestId('schedule-row')).toHaveCount(4);
    const overflow = await page.getByTestId('schedule-table').evaluate((table) => {
      const cells = [...table.querySelectorAll('th, td')];
      const bad = cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell.textContent?.slice(0, 40));
      const container = table.parentElement!;
      return { bad, cells: cells.length, table: table.scrollWidth, container: container.clientWidth };
    });
    expect(overflow.cells).toBeGreaterThan(20);
    expect(overflow.bad).toEqual([]);
    expect(overflow.table).toBeLessThanOrEqual(overflow.container);
  } finally {
    await host.stop();
  }
});

test('Settings: the webhook is set by the operator, tested against a local listener, and a bad URL is named', async ({ page, dataDir }) => {
  const listener = await startHttpListener();
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await page.getByTestId('nav-settings').click();
    const section = page.getByTestId('settings-webhook');
    await section.getByTestId('webhook-url').fill('http://hooks.example.com/x');
    await section.getByTestId('webhook-save').click();
    await expect(section.getByText('plain http:// is allowed only to this machine')).toBeVisible();
    await expect(section.getByTestId('webhook-url')).toBeFocused();
    expect(listener.requests).toHaveLength(0);

    // Where certdesk sends POSTs is the operator's choice: the page alone (web mode) is told how, nothing stored.
    await section.getByTestId('webhook-url').fill(listener.url);
    await section.getByTestId('webhook-save').click();
    await expect(section.getByText('certdesk webhook set http://127.0.0.1')).toBeVisible();
    expect(((await operator(dataDir, ['webhook', 'show'])) as { url: string | null }).url).toBeNull();
    expect(listener.requests).toHaveLength(0);

    await operator(dataDir, ['webhook', 'set', listener.url]);
    await page.reload();
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await page.getByTestId('nav-settings').click();
    await expect(section.getByTestId('webhook-test')).toBeEnabled();
    await section.getByTestId('webhook-test').click();
    await expect(section.getByTestId('webhook-last')).toHaveAttribute('data-status', '204');
    expect((await listener.nth(1)).json).toMatchObject({ type: 'certdesk.test', version: 1, items: [] });
  } finally {
    await host.stop();
    await listener.close();
  }
});
