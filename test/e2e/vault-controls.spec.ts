import { setUpPassphrase } from './app-actions.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

const OLD = 'e2e workstation passphrase';
const NEW = 'e2e replacement passphrase';

test('passphrase store: lock now, auto-lock setting, and a confirmed change of passphrase', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await setUpPassphrase(page, OLD);
    const section = page.getByTestId('settings-key-protection');

    // Lock now, from the keyboard.
    await page.getByTestId('vault-lock-now').focus();
    await page.keyboard.press('Enter');
    await expect(section).toHaveAttribute('data-vault-state', 'locked');
    await page.getByTestId('vault-unlock-passphrase').fill(OLD);
    await page.keyboard.press('Enter');
    await expect(section).toHaveAttribute('data-vault-state', 'ready');
    // One toast for the store's state at a time: "Keys unlocked" replaced "Keys locked" (and "Key protection
    // set up") rather than stacking on them. Looked at within 2 s, before those would have closed on their own.
    const toasts = page.locator('.mantine-Notification-root');
    await expect
      .poll(async () => (await toasts.allInnerTexts()).map((text) => text.split('\n')[0]), { timeout: 2_000 })
      .toEqual(['Keys unlocked']);

    // The auto-lock setting: out of range is named on its field; a valid one is saved.
    const minutes = page.getByTestId('vault-auto-lock-minutes');
    await expect(minutes).toHaveValue('15');
    await minutes.fill('2000');
    await page.getByTestId('vault-auto-lock-submit').click();
    await expect(page.getByTestId('vault-auto-lock')).toContainText('Auto-lock: enter whole minutes');
    await minutes.fill('5');
    await page.getByTestId('vault-auto-lock-submit').click();
    await expect(page.getByTestId('vault-auto-lock-saved')).toContainText('The keys lock after 5 idle minutes.');

    // Change of passphrase: the confirmation must match, a wrong current one is named, the change is confirmed first.
    const form = page.getByTestId('vault-change-passphrase');
    await page.getByTestId('vault-change-current').fill('not the passphrase');
    await page.getByTestId('vault-change-new').fill(NEW);
    await page.getByTestId('vault-change-confirm').fill(`${NEW}x`);
    await page.getByTestId('vault-change-submit').click();
    await expect(form).toContainText('Confirm new passphrase: the two new passphrases differ');
    await page.getByTestId('vault-change-confirm').fill(NEW);
    await page.getByTestId('vault-change-submit').click();
    await page.getByTestId('vault-change-confirm-submit').click();
    await expect(form).toContainText('The current passphrase is not right');
    await page.getByTestId('vault-change-current').fill(OLD);
    await page.getByTestId('vault-change-submit').click();
    const confirm = page.getByTestId('vault-change-confirm-dialog');
    await expect(confirm).toContainText('stops working');
    await page.getByTestId('vault-change-confirm-submit').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByText('Only the new passphrase unlocks the keys from now on.')).toBeVisible();
    await expect(page.getByTestId('vault-change-current')).toHaveValue('');

    // Afterwards only the new passphrase unlocks. From the keyboard: a pointer left where a toast then
    // shows holds that toast open (hovered), and one over the Unlock button would take the click.
    await page.getByTestId('vault-lock-now').focus();
    await page.keyboard.press('Enter');
    await expect(section).toHaveAttribute('data-vault-state', 'locked');
    await page.getByTestId('vault-unlock-passphrase').fill(OLD);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('vault-unlock')).toContainText('does not unlock');
    await page.getByTestId('vault-unlock-passphrase').fill(NEW);
    await page.keyboard.press('Enter');
    await expect(section).toHaveAttribute('data-vault-state', 'ready');
    await expect(toasts).toHaveCount(1);
    await expect(toasts).toContainText('Keys unlocked');

    // Locked from the command palette: the page and the header's lock follow at once, and its toast replaces the last.
    await page.keyboard.press('Control+K');
    await expect(page.getByTestId('command-palette-input')).toBeFocused();
    await page.keyboard.type('lock the vault');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('key-protection')).toHaveAttribute('data-vault-state', 'locked');
    await expect(section).toHaveAttribute('data-vault-state', 'locked');
    await expect
      .poll(async () => (await toasts.allInnerTexts()).map((text) => text.split('\n')[0]), { timeout: 2_000 })
      .toEqual(['Keys locked']);
  } finally {
    await host.stop();
  }
});
