import type { Page } from '@playwright/test';
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
