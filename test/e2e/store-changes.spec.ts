import { operator } from './operator-cli.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

test("the CLI's writes show on the open pages without a reload: a new certificate, a revocation, a new CA", async ({ page, dataDir }) => {
  await operator(dataDir, ['ca', 'create', '--name', 'Terminal Root']);
  await operator(dataDir, ['ca', 'create', '--name', 'Terminal Issuing', '--parent', 'Terminal Root']);
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await page.getByTestId('nav-inventory').click();
    await expect(page.getByTestId('cert-row')).toHaveCount(0);

    // Issued at the terminal while the Inventory is open: its row comes in by itself.
    const issued = (await operator(dataDir, ['issue', '--ca', 'Terminal Issuing', '--cn', 'from-the-terminal'])) as { id: string };
    const row = page.locator('[data-testid="cert-row"][data-cert-cn="from-the-terminal"]');
    await expect(row).toBeVisible({ timeout: 10_000 });

    // Revoked at the terminal: the row's status follows.
    await operator(dataDir, ['revoke', issued.id, '--reason', 'keyCompromise']);
    await expect(row).toContainText(/revoked/i, { timeout: 10_000 });

    // A CA made at the terminal shows on the Authorities page, which the app had read at start.
    await page.getByTestId('nav-authorities').click();
    await expect(page.locator('[data-testid="ca-row"][data-ca-name="Terminal Issuing"]')).toBeVisible();
    await operator(dataDir, ['ca', 'create', '--name', 'Second Issuing', '--parent', 'Terminal Root']);
    await expect(page.locator('[data-testid="ca-row"][data-ca-name="Second Issuing"]')).toBeVisible({ timeout: 10_000 });
  } finally {
    await host.stop();
  }
});
