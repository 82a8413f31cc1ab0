import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { openssl } from '../support/openssl.ts';
import { startHttpListener } from '../support/http-listener.ts';
import { createCa } from './app-actions.ts';
import { holdRoute } from './held-route.ts';
import { hostRpc } from './host-rpc.ts';
import { operator } from './operator-cli.ts';
import { bindAtSandboxDemo } from './sandbox-binding.ts';
import { expect, startHost, test, type RunningHost } from './web-host-fixture.ts';

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

/** Ctrl+K, the words typed, Enter: the palette's first match, keyboard only. */
async function palette(page: Page, words: string) {
  await page.keyboard.press('Control+K');
  await expect(page.getByTestId('command-palette-input')).toBeFocused();
  await page.keyboard.type(words);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('command-palette-input')).toBeHidden();
}

/** The CLI flags that approve these edge settings (`certdesk edge settings set`). */
function approveFlags(serverName: string): string[] {
  return [
    ...['--server-name', serverName, '--upstream', 'https://tenant.edge.tenants.auth0.com', '--listen', '443'],
    ...['--server-cert', '/etc/nginx/tls/edge.crt', '--server-key', '/etc/nginx/tls/edge.key'],
    ...['--cname-api-key-file', '/etc/nginx/secrets/cname-api-key.conf', '--bundle-dir', '/etc/nginx/certdesk'],
    // The issuing CA the edge trusts is part of the operator's approval too.
    ...['--ca', 'Palette Issuing'],
  ];
}

/** A root and an issuing CA for the edge to trust, and where the operator's edge folder will be. */
async function withIssuingCa(host: RunningHost, dataDir: string) {
  const rpc = hostRpc(host);
  const root = await rpc('ca:create', { name: 'Palette Root', keyType: 'ec-p256' });
  await rpc('ca:create', { name: 'Palette Issuing', parent: root.id, keyType: 'ec-p256' });
  const outDir = join(dataDir, 'edge-out');
  return { rpc, outDir, conf: join(outDir, 'certdesk-edge.conf') };
}

test('palette: "Publish the edge" without a folder or approved settings names the error and the command, and writes nothing', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  try {
    const { rpc, outDir, conf } = await withIssuingCa(host, dataDir);
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();

    // ── No folder yet: the named error and the command, nothing written ──
    await palette(page, 'publish edge');
    await expect(page.getByTestId('nav-edge')).toHaveAttribute('aria-current', 'page');
    const blocked = page.getByTestId('edge-republish-blocked');
    await expect(blocked.getByTestId('edge-republish-error')).toHaveAttribute('data-code', 'EDGE_FOLDER_NOT_SET');
    await expect(blocked.getByTestId('edge-republish-command')).toHaveText('certdesk edge folder set DIR');
    await expect(blocked.getByTestId('edge-republish-close')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(blocked).toBeHidden();

    // ── A folder but no approved settings: the approval command, still nothing written ──
    await operator(dataDir, ['edge', 'folder', 'set', outDir]);
    await page.reload();
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await palette(page, 'publish edge');
    await expect(blocked.getByTestId('edge-republish-error')).toHaveAttribute('data-code', 'EDGE_SETTINGS_NOT_APPROVED');
    await expect(blocked.getByTestId('edge-republish-command')).toContainText('certdesk edge settings set');
    await page.keyboard.press('Enter');
    await expect(blocked).toBeHidden();
    expect(existsSync(conf)).toBe(false);
    expect(await rpc('edge:history', {})).toHaveLength(0);
  } finally {
    await host.stop();
  }
});

test('palette: "Publish the edge" republishes the approved settings after a confirmation; Cancel changes nothing', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  try {
    const { rpc, outDir, conf } = await withIssuingCa(host, dataDir);
    await operator(dataDir, ['edge', 'folder', 'set', outDir]);
    await operator(dataDir, ['edge', 'settings', 'set', ...approveFlags('auth.example.com')]);
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();

    // ── The dialog says what is written and reloaded; Enter publishes only after Tab to Publish ──
    await palette(page, 'publish edge');
    const dialog = page.getByTestId('edge-publish-dialog');
    await expect(dialog).toContainText('auth.example.com');
    await expect(dialog).toContainText('Palette Issuing');
    await expect(dialog.getByTestId('edge-publish-dir')).toContainText(outDir);
    await expect(dialog.getByTestId('edge-publish-reload')).toContainText('No reload command');
    await expect(dialog.getByTestId('edge-publish-cancel')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(dialog.getByTestId('edge-publish-confirm')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('edge-publish-result')).toContainText(`Published to ${outDir}`);
    expect(readFileSync(conf, 'utf8')).toContain('server_name auth.example.com;');
    expect(await rpc('edge:history', {})).toHaveLength(1);

    // ── Cancel (Enter on the focused Cancel, then Escape): no file touched, no row added ──
    const before = { text: readFileSync(conf, 'utf8'), mtime: statSync(conf).mtimeMs };
    await palette(page, 'publish edge');
    await expect(dialog.getByTestId('edge-publish-cancel')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await palette(page, 'publish edge');
    // Keys go to the dialog once its focus is in place (Cancel first), not in the frame before.
    await expect(dialog.getByTestId('edge-publish-cancel')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    expect({ text: readFileSync(conf, 'utf8'), mtime: statSync(conf).mtimeMs }).toEqual(before);
    expect(await rpc('edge:history', {})).toHaveLength(1);

    // ── Newly approved settings: the republish writes them, whatever the form holds, and adds a row ──
    await page.getByTestId('edge-server-name').fill('typed-not-approved.example.com');
    await operator(dataDir, ['edge', 'settings', 'set', ...approveFlags('login.example.org')]);
    await page.reload();
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await palette(page, 'publish edge');
    await expect(dialog).toContainText('login.example.org');
    await expect(dialog.getByTestId('edge-publish-cancel')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(dialog.getByTestId('edge-publish-confirm')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('edge-publish-result')).toBeVisible();
    expect(readFileSync(conf, 'utf8')).toContain('server_name login.example.org;');
    const history = await rpc('edge:history', {});
    expect(history).toHaveLength(2);
    expect(history[0]!.serverName).toBe('login.example.org');
    await expect(page.getByTestId('edge-server-name')).toHaveValue('login.example.org');
  } finally {
    await host.stop();
  }
});

test('palette: "Run diagnostics" runs the flight check for the only tenant and binding, and asks which when there are several', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir, { CERTDESK_SANDBOX_DIR: join(dataDir, 'sandbox') });
  try {
    const rpc = hostRpc(host);
    const root = await rpc('ca:create', { name: 'Flight Root', keyType: 'ec-p256' });
    const issuing = await rpc('ca:create', { name: 'Flight Issuing', parent: root.id, keyType: 'ec-p256' });
    await rpc('sandbox:start', {});
    const bind = async (commonName: string) => {
      const cert = await rpc('certs:issue', { ca: issuing.id, subject: { commonName }, source: { kind: 'generated' } });
      await bindAtSandboxDemo(rpc, cert.id);
      return cert;
    };
    const first = await bind('flight-one');
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();

    // ── One tenant, one binding: it runs at once and shows the result ──
    await palette(page, 'run diagnostics');
    await expect(page.getByTestId('nav-diagnostics')).toHaveAttribute('aria-current', 'page');
    const summary = page.getByTestId('diagnostics-summary');
    await expect(summary).toHaveAttribute('data-ok', 'true');
    await expect(page.getByTestId('diagnostics-meta')).toContainText(first.sha256Base64url);
    await expect(page.getByTestId('diagnostics-palette-choice')).toHaveCount(0);

    // ── Two tenants, none chosen yet, and two bindings: it asks which tenant, then which certificate ──
    const second = await bind('flight-two');
    await rpc('tenants:add', {
      name: 'Acme Staging',
      environment: 'staging',
      domain: 'acme-staging.eu.auth0.com',
      clientId: 'cid',
      clientSecret: 'secret',
    });
    await page.reload();
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await palette(page, 'run diagnostics');
    const choice = page.getByTestId('diagnostics-palette-choice');
    const tenantOptions = choice.getByTestId('diagnostics-palette-choice-option');
    await expect(tenantOptions).toHaveCount(2);
    await expect(choice).toContainText('which tenant');
    const sandboxAt = (await tenantOptions.allTextContents()).findIndex((text) => text.startsWith('Sandbox'));
    for (let i = 0; i < sandboxAt; i++) await page.keyboard.press('ArrowDown');
    await expect(tenantOptions.nth(sandboxAt)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('diagnostics-workspace')).toHaveAttribute('data-tenant-name', 'Sandbox');
    await expect(choice).toContainText('which certificate');
    await expect(choice.getByTestId('diagnostics-palette-choice-option')).toHaveCount(2);
    await expect(choice.getByTestId('diagnostics-palette-choice-option').first()).toBeFocused();
    // Newest first: the older binding is the second choice, one ArrowDown away.
    const options = choice.getByTestId('diagnostics-palette-choice-option');
    await expect(options.first()).toContainText('flight-two');
    await page.keyboard.press('ArrowDown');
    await expect(options.nth(1)).toBeFocused();
    await expect(options.nth(1)).toContainText('flight-one');
    await page.keyboard.press('ArrowDown');
    await expect(options.first()).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(choice).toBeHidden();
    await expect(page.getByTestId('diagnostics-results')).toHaveAttribute('data-running', 'false');
    await expect(summary).toHaveAttribute('data-ok', 'true');
    await expect(page.getByTestId('diagnostics-meta')).toContainText(second.sha256Base64url);
  } finally {
    await host.stop();
  }
});

test('palette: what is typed after Ctrl+K while its chunk is still on the way is kept, Enter included, and Escape gives the focus back', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  try {
    // The palette's chunk is held back until the test lets it go: the first Ctrl+K finds no palette yet.
    const PALETTE_CHUNK = /\/assets\/CommandPalette-[\w-]+\.js(\?.*)?$/;
    const paletteChunk = await holdRoute(page, PALETTE_CHUNK);
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await expect.poll(paletteChunk.asked).toBe(true);
    const inventoryLink = page.getByTestId('nav-inventory');
    await inventoryLink.focus();

    await page.keyboard.press('Control+K');
    await expect(page.getByTestId('command-palette-loading')).toBeVisible();
    await page.keyboard.type('audxt');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('it');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    // No palette yet: Tab and Enter did not reach the focused link beneath, so the page did not change.
    await expect(page.getByTestId('command-palette-input')).toHaveCount(0);
    await expect(inventoryLink).toBeFocused();
    await expect(page.getByTestId('nav-authorities')).toHaveAttribute('aria-current', 'page');
    paletteChunk.release();
    // The palette arrives, takes "audit", and the Enter typed ahead chooses its first row: the Audit page.
    await expect(page.getByTestId('nav-audit')).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('command-palette-input')).toBeHidden();
    await expect(page.getByTestId('command-palette-loading')).toHaveCount(0);

    // With the palette there: Escape closes it and gives the focus back where it was.
    await inventoryLink.focus();
    await page.keyboard.press('Control+K');
    const input = page.getByTestId('command-palette-input');
    await expect(input).toBeFocused();
    await expect(input).toHaveValue('');
    const items = page.getByTestId('command-palette-item');
    await page.keyboard.press('ArrowDown');
    await expect(items.nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Escape');
    await expect(input).toBeHidden();
    await expect(inventoryLink).toBeFocused();

    // Each opening, and each change of the query, starts on the first row again, even a query typed back.
    await page.keyboard.press('Control+K');
    await expect(items.first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.type('a');
    await page.keyboard.press('ArrowDown');
    await expect(items.nth(1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.type('u');
    await page.keyboard.press('Backspace');
    await expect(input).toHaveValue('a');
    await expect(items.first()).toHaveAttribute('aria-selected', 'true');

    // Closed with Ctrl+K as it was opened: the next opening starts empty, as after Escape.
    await page.keyboard.press('Control+K');
    await expect(input).toBeHidden();
    await page.keyboard.press('Control+K');
    await expect(input).toBeFocused();
    await expect(input).toHaveValue('');
  } finally {
    await host.stop();
  }
});
