import type { Locator, Page } from '@playwright/test';
import { expect } from './web-host-fixture.ts';

/** Creates a CA through the Authorities page and waits for its row. */
export async function createCa(page: Page, kind: 'root' | 'issuing', name: string, keyType?: string): Promise<void> {
  await page.getByTestId('nav-authorities').click();
  await page.getByTestId(kind === 'root' ? 'new-root-ca' : 'new-issuing-ca').click();
  const dialog = page.getByTestId('create-ca-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('ca-name').fill(name);
  if (keyType) {
    await dialog.getByTestId('ca-key-type').click();
    await page.getByRole('option', { name: keyType }).click();
  }
  await dialog.getByTestId('ca-submit').click();
  await expect(dialog).toBeHidden();
  await expect(page.locator(`[data-testid="ca-row"][data-ca-name="${name}"]`)).toBeVisible();
}

/** Sets up passphrase protection from Settings (the store is new) and leaves Settings open, the keys unlocked. */
export async function setUpPassphrase(page: Page, passphrase: string): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('vault-choice-passphrase').click();
  await page.getByTestId('vault-passphrase').fill(passphrase);
  await page.getByTestId('vault-passphrase-confirm').fill(passphrase);
  await page.getByTestId('vault-init-submit').click();
  await page.getByTestId('vault-passphrase-warning-confirm').click();
  await expect(page.getByTestId('settings-key-protection')).toHaveAttribute('data-vault-state', 'ready');
}

/**
 * Picks `option` from a Mantine Select. Once in a full CI run (966 tests, two workers), a Select's
 * dropdown stayed unrendered after the click while its input said expanded; it is opened again if no
 * listbox shows within a few seconds, so what the spec checks is the choice's effect, not that race.
 */
export async function pickOption(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  const choice = page.getByRole('option', { name: option });
  await expect(async () => {
    if (!(await choice.isVisible())) {
      if ((await select.getAttribute('aria-expanded')) === 'true') await select.press('Escape');
      await select.click();
    }
    await expect(choice).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
  await choice.click();
}
