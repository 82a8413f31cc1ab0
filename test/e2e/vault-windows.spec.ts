import { setUpPassphrase } from './app-actions.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

const PASSPHRASE = 'e2e two windows passphrase';

test('two windows on one host: a lock or an unlock in one shows in the other, and frees the call it held', async ({
  page,
  context,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await setUpPassphrase(page, PASSPHRASE);
    const other = await context.newPage();
    await other.goto(host.url);
    await expect(other.getByTestId('app-ready')).toBeVisible();
    const badge = other.getByTestId('key-protection');
    await expect(badge).toHaveAttribute('data-vault-state', 'ready');

    // Locked in the first window: the second's header follows, with no call of its own.
    await page.getByTestId('vault-lock-now').click();
    await expect(page.getByTestId('settings-key-protection')).toHaveAttribute('data-vault-state', 'locked');
    await expect(badge).toHaveAttribute('data-vault-state', 'locked');

    // The second window makes a CA: the lock holds the call at its unlock prompt.
    await other.getByTestId('nav-authorities').click();
    await other.getByTestId('new-root-ca').click();
    const dialog = other.getByTestId('create-ca-dialog');
    await dialog.getByTestId('ca-name').fill('Two Windows Root');
    await dialog.getByTestId('ca-submit').click();
    const prompt = other.getByTestId('unlock-prompt');
    await expect(prompt).toBeVisible();

    // Unlocked in the first window: the prompt in the second closes, and the held call runs again.
    await page.getByTestId('vault-unlock-passphrase').fill(PASSPHRASE);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('settings-key-protection')).toHaveAttribute('data-vault-state', 'ready');
    await expect(prompt).toBeHidden();
    await expect(dialog).toBeHidden();
    await expect(other.locator('[data-testid="ca-row"][data-ca-name="Two Windows Root"]')).toBeVisible();
    await expect(badge).toHaveAttribute('data-vault-state', 'ready');
  } finally {
    await host.stop();
  }
});
