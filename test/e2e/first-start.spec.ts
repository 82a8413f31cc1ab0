import type { Request } from '@playwright/test';
import { expect, inProcessHost, startHost, test } from './web-host-fixture.ts';

const PASSPHRASE = 'e2e first start passphrase';

test('without a Secret Service: one plain error, Settings pre-selects a passphrase and explains it, and a CA follows', async ({
  page,
  dataDir,
}) => {
  // A session bus that is not there: what a workstation without a desktop keyring looks like.
  const host = await startHost(dataDir, { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/certdesk-e2e-bus' });
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await expect(page.getByTestId('ca-vault-setup-needed')).toBeVisible();

    // Trying anyway: the dialog says it once, in one sentence, with the in-app fix, no D-Bus text, no CLI.
    await page.getByTestId('new-root-ca').click();
    const dialog = page.getByTestId('create-ca-dialog');
    await dialog.getByTestId('ca-name').fill('No Keychain Root');
    await dialog.getByTestId('ca-submit').click();
    const error = dialog.getByTestId('ca-create-error');
    await expect(error).toBeVisible();
    await expect(error).toHaveAttribute('data-code', 'KEYCHAIN_UNAVAILABLE');
    const text = await error.innerText();
    expect(text).toContain('passphrase mode in Settings');
    expect(text).not.toMatch(/dbus|socket|nonexistent|certdesk vault/i);
    expect(text.match(/Secret Service/g)).toHaveLength(1);
    await expect(error).toBeInViewport();
    await dialog.getByTestId('ca-cancel').click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('ca-row')).toHaveCount(0);

    // Settings: the keychain is not offered, passphrase mode is chosen and explained.
    await page.getByTestId('ca-open-settings').click();
    await expect(page.getByTestId('vault-keychain-missing')).toContainText('passphrase mode');
    await expect(page.getByTestId('vault-choice-keychain')).toBeDisabled();
    await expect(page.getByTestId('vault-choice-passphrase')).toHaveAttribute('data-checked', 'true');
    await expect(page.getByTestId('vault-passphrase-explanation')).toContainText('cannot be recovered');
    await page.getByTestId('vault-passphrase').fill(PASSPHRASE);
    await page.getByTestId('vault-passphrase-confirm').fill(PASSPHRASE);
    await page.getByTestId('vault-init-submit').click();
    await page.getByTestId('vault-passphrase-warning-confirm').click();
    await expect(page.getByTestId('settings-key-protection')).toHaveAttribute('data-vault-state', 'ready');

    await page.getByTestId('nav-authorities').click();
    await expect(page.getByTestId('ca-vault-setup-needed')).toBeHidden();
    await page.getByTestId('new-root-ca').click();
    await dialog.getByTestId('ca-name').fill('Passphrase Root');
    await dialog.getByTestId('ca-submit').click();
    await expect(page.locator('[data-testid="ca-row"][data-ca-name="Passphrase Root"]')).toBeVisible();
  } finally {
    await host.stop();
  }
});

test('web mode: a connection banner when the host goes away, gone when it is back; a restarted host asks for its new link', async ({
  page,
  dataDir,
}) => {
  const inProcess = inProcessHost(dataDir);
  const token = 'e2e-connection-banner-token-0123456789abcdef';
  let host = await inProcess.start({ token });
  const pageErrors: string[] = [];
  try {
    // The create dialog's chunk (and the chunks it imports), fetched right after the first page's paint.
    const createDialogChunk = page.waitForResponse((response) => /\/assets\/CreateAuthorityModal-[\w-]+\.js$/.test(response.url()));
    const assetsInFlight = new Set<Request>();
    page.on('request', (request) => void (request.url().includes('/assets/') && assetsInFlight.add(request)));
    page.on('requestfinished', (request) => void assetsInFlight.delete(request));
    page.on('requestfailed', (request) => void assetsInFlight.delete(request));
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await expect(page.getByTestId('connection-banner')).toBeHidden();
    // The first page's own chunk, and its create dialog's, have arrived before the host goes away.
    await expect(page.getByTestId('new-root-ca')).toBeVisible();
    expect((await createDialogChunk).status()).toBe(200);
    await expect.poll(() => assetsInFlight.size).toBe(0);

    page.on('pageerror', (error) => pageErrors.push(error.message));
    const port = host.port;
    await host.close();
    const banner = page.getByTestId('connection-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toHaveAttribute('data-connection-state', 'lost');
    await expect(banner).toContainText('not answering');

    // An action meanwhile fails by name, and the banner stays above the dialog.
    await page.getByTestId('new-root-ca').click();
    await page.getByTestId('create-ca-dialog').getByTestId('ca-name').fill('While Away');
    await page.getByTestId('create-ca-dialog').getByTestId('ca-submit').click();
    await expect(page.getByTestId('ca-create-error')).toContainText('not reachable');
    await expect(banner).toBeInViewport();

    // A CA made while the page could hear nothing: once back, the page reads the store again and shows it.
    await inProcess.service.createAuthority({ name: 'Made Meanwhile' });

    host = await inProcess.start({ token, port });
    await expect(banner).toBeHidden();
    await expect(page.locator('[data-testid="ca-row"][data-ca-name="Made Meanwhile"]')).toBeAttached();
    await page.getByTestId('create-ca-dialog').getByTestId('ca-submit').click();
    await expect(page.locator('[data-testid="ca-row"][data-ca-name="While Away"]')).toBeVisible();

    // A new run has a new token: the page cannot use it and says what to do.
    await host.close();
    await expect(banner).toHaveAttribute('data-connection-state', 'lost');
    host = await inProcess.start({ port });
    await expect(banner).toHaveAttribute('data-connection-state', 'token-rejected');
    await expect(banner).toContainText('Open the new link');
    // Nothing the page did while the host was away (a page's chunk included) threw out of the shell.
    expect(pageErrors).toEqual([]);
  } finally {
    await host.close();
    await inProcess.close();
  }
});
