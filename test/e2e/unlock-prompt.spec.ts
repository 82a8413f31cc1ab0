import { setUpPassphrase } from './app-actions.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

const PASSPHRASE = 'e2e unlock prompt passphrase';

test('the unlock prompt: fetched when first needed, a wrong passphrase named, cancel empties it, the right one unlocks', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  const dialogChunks: string[] = [];
  page.on('requestfinished', (request) => {
    if (/\/assets\/UnlockDialog-[\w-]+\.js$/.test(request.url())) dialogChunks.push(request.url());
  });
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await setUpPassphrase(page, PASSPHRASE);
    const section = page.getByTestId('settings-key-protection');
    await page.getByTestId('vault-lock-now').click();
    await expect(section).toHaveAttribute('data-vault-state', 'locked');
    // Nothing asked for the passphrase yet: the dialog's chunk has not been fetched.
    expect(dialogChunks).toEqual([]);

    // The header's lock opens the prompt, focused on its field.
    await page.getByTestId('key-protection').click();
    const prompt = page.getByTestId('unlock-prompt');
    await expect(prompt).toBeVisible();
    expect(dialogChunks).toHaveLength(1);
    const field = page.getByTestId('unlock-prompt-passphrase');
    await expect(field).toBeFocused();
    await field.fill('not the passphrase');
    await page.getByTestId('unlock-prompt-submit').click();
    await expect(prompt).toContainText('does not unlock');
    await expect(section).toHaveAttribute('data-vault-state', 'locked');

    // Cancel drops what was typed and the error: the next prompt starts empty.
    await prompt.getByRole('button', { name: 'Cancel' }).click();
    await expect(prompt).toBeHidden();
    await page.getByTestId('key-protection').click();
    await expect(prompt).toBeVisible();
    await expect(field).toHaveValue('');
    await expect(prompt).not.toContainText('does not unlock');

    await field.fill(PASSPHRASE);
    await page.keyboard.press('Enter');
    await expect(prompt).toBeHidden();
    await expect(section).toHaveAttribute('data-vault-state', 'ready');
    expect(dialogChunks).toHaveLength(1);
  } finally {
    await host.stop();
  }
});
