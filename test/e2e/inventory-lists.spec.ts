import { createCa } from './app-actions.ts';
import { expect, startHost, test } from './web-host-fixture.ts';
import type { Page } from '@playwright/test';

async function issue(page: Page, cn: string): Promise<void> {
  await page.getByTestId('issue-cert').click();
  const dialog = page.getByTestId('issue-dialog');
  await dialog.getByTestId('issue-cn').fill(cn);
  await dialog.getByTestId('issue-o').fill('YourOrg');
  await dialog.getByTestId('issue-submit').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('cert-detail')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('cert-detail')).toBeHidden();
}

test('inventory filters narrow the paged table, Import and Lint ask for a certificate, the audit log pages in', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Lists Root');
    await createCa(page, 'issuing', 'Lists Issuing');
    await page.getByTestId('nav-inventory').click();
    await issue(page, 'alpha-client');
    await issue(page, 'beta-client');

    // Both rows, read through the paged list after each issue.
    const total = page.getByTestId('cert-total');
    await expect(total).toHaveAttribute('data-total', '2');
    await expect(page.getByTestId('cert-row')).toHaveCount(2);

    // The search narrows the table once it is sent; clearing the filters brings both back.
    await page.getByTestId('cert-search').fill('alpha');
    await expect(total).toHaveAttribute('data-total', '1');
    await expect(total).toContainText('1 certificate match');
    await expect(page.getByTestId('cert-row')).toHaveCount(1);
    await expect(page.getByTestId('cert-row')).toHaveAttribute('data-cert-cn', 'alpha-client');
    await page.getByTestId('cert-search').fill('no-such-name');
    await expect(page.getByTestId('cert-empty')).toHaveAttribute('data-reason', 'filtered');
    await page.getByTestId('cert-clear-filters').click();
    await expect(page.getByTestId('cert-search')).toHaveValue('');
    await expect(total).toHaveAttribute('data-total', '2');
    await expect(page.getByTestId('cert-row')).toHaveCount(2);

    // The filters are the browser's own selects, worked from the keyboard: on the Status filter ArrowDown steps
    // from "Any status" to Active (both rows match), typing "r" jumps to Revoked (none does), and the label
    // names the control.
    const status = page.getByTestId('cert-status-filter');
    await expect(page.getByLabel('Status')).toHaveAttribute('data-testid', 'cert-status-filter');
    await status.focus();
    await page.keyboard.press('ArrowDown');
    await expect(status).toHaveValue('active');
    await expect(total).toContainText('2 certificates match');
    await page.keyboard.type('r');
    await expect(status).toHaveValue('revoked');
    await expect(page.getByTestId('cert-empty')).toHaveAttribute('data-reason', 'filtered');
    await page.getByTestId('cert-clear-filters').click();
    await expect(status).toHaveValue('');
    await expect(total).toHaveAttribute('data-total', '2');
    // The Issuer filter lists the issuing CAs and the roots apart, each under its heading.
    const issuer = page.getByTestId('cert-issuer-filter');
    await expect(issuer.locator('optgroup')).toHaveCount(2);
    await expect(issuer.locator('optgroup').first()).toHaveAttribute('label', 'Issuing CAs');
    await issuer.selectOption({ label: 'Lists Root' });
    await expect(page.getByTestId('cert-empty')).toHaveAttribute('data-reason', 'filtered');
    await page.getByTestId('cert-clear-filters').click();
    await expect(total).toHaveAttribute('data-total', '2');

    // Import with nothing given: the check lands on the field, nothing is sent.
    await page.getByTestId('cert-import').click();
    const importDialog = page.getByTestId('import-dialog');
    await importDialog.getByTestId('import-submit').click();
    await expect(importDialog.getByTestId('import-pem-error')).toHaveText('Paste the certificate, or drop or choose its file.');
    // Typing clears it.
    await importDialog.getByTestId('import-pem').fill('-----BEGIN CERTIFICATE-----');
    await expect(importDialog.getByTestId('import-pem-error')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(importDialog).toBeHidden();

    // Lint the same way.
    await page.getByTestId('cert-lint-file').click();
    const lintDialog = page.getByTestId('lint-dialog');
    await lintDialog.getByTestId('lint-submit').click();
    await expect(lintDialog.getByTestId('lint-pem-error')).toHaveText('Paste the certificate, or drop or choose its file.');
    await page.keyboard.press('Escape');
    await expect(lintDialog).toBeHidden();

    // The audit log lists what was done, newest first, and a refresh keeps it.
    await page.getByTestId('nav-audit').click();
    const rows = page.getByTestId('audit-row');
    await expect(rows.first()).toBeVisible();
    const count = await rows.count();
    expect(count).toBeGreaterThanOrEqual(4);
    await expect(page.getByTestId('audit-total')).toContainText(`${count} entries`);
    const seqs = await rows.evaluateAll((elements) => elements.map((e) => Number(e.getAttribute('data-seq'))));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    await page.getByTestId('audit-refresh').click();
    await expect(rows).toHaveCount(count);
  } finally {
    await host.stop();
  }
});
