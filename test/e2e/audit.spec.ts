import { readFileSync } from 'node:fs';
import { hostRpc } from './host-rpc.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

test('audit log: subjects by name, filters in the core, readable details, links and CSV export', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    const rpc = hostRpc(host);
    const root = await rpc('ca:create', { name: 'Audit Root' });
    await rpc('ca:create', { name: 'Audit Issuing', parent: root.id });
    const cn = '=HYPERLINK("http://evil.test","x")';
    const cert = await rpc('certs:issue', { ca: 'Audit Issuing', subject: { commonName: cn }, source: { kind: 'generated' } });

    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await page.getByTestId('nav-audit').click();

    // Subjects by name; a certificate row opens its drawer.
    const issueRow = page.locator('[data-testid="audit-row"][data-action="cert.issue"]');
    await expect(issueRow.getByTestId('audit-subject-link')).toContainText(cn);
    await expect(issueRow.getByTestId('audit-row-details')).toContainText('serial: ');
    await issueRow.getByTestId('audit-subject-link').click();
    await expect(page.getByTestId('cert-detail-subject')).toContainText('HYPERLINK');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('cert-detail-subject')).toBeHidden();

    // A CA row opens the CA's drawer.
    const createRows = page.locator('[data-testid="audit-row"][data-action="ca.create"]');
    await createRows
      .getByTestId('audit-subject-link')
      .filter({ hasText: /^Audit Root$/ })
      .click();
    await expect(page.getByTestId('ca-details-title')).toContainText('Audit Root');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('ca-details-title')).toBeHidden();

    // Every detail, in full.
    await issueRow.getByTestId('audit-row-open').click();
    const entry = page.getByTestId('audit-entry');
    await expect(entry.locator('[data-testid="audit-entry-detail"][data-key="serial"]')).toContainText(cert.serialHex);
    await page.keyboard.press('Escape');
    await expect(entry).toBeHidden();

    // Kind (several may be chosen): only what matches comes back from the core.
    await page.getByTestId('audit-filter-kind').click();
    await page.getByRole('option', { name: 'cert.issue', exact: true }).click();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('audit-total')).toHaveText('1 entry');
    await expect(page.getByTestId('audit-row')).toHaveCount(1);
    await page.getByTestId('audit-filter-clear').click();

    // Subject text matches resolved names.
    await page.getByTestId('audit-filter-subject').fill('audit issuing');
    await expect(page.locator('[data-testid="audit-row"][data-action="ca.create"]')).toHaveCount(1);
    await expect(page.locator('[data-testid="audit-row"][data-action="ca.create"]')).toContainText('Audit Issuing');
    await page.getByTestId('audit-filter-clear').click();

    // A UTC date range; a reversed one is refused on its field.
    await page.getByTestId('audit-filter-since').fill('2999-01-01');
    await expect(page.getByTestId('audit-no-match')).toBeVisible();
    await page.getByTestId('audit-filter-until').fill('2998-01-01');
    await expect(page.getByText(/is not before until/)).toBeVisible();
    await page.getByTestId('audit-filter-clear').click();
    await expect(page.locator('[data-testid="audit-row"][data-action="cert.issue"]')).toHaveCount(1);

    // Export of the filtered rows: a browser download, formulas neutralised.
    await page.getByTestId('audit-filter-subject').fill('HYPERLINK');
    await expect(page.getByTestId('audit-row')).toHaveCount(1);
    const download = page.waitForEvent('download');
    await page.getByTestId('audit-export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^certdesk-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await file.path())!, 'utf8').split('\r\n');
    expect(csv[0]).toBe('seq,at,actor,action,subject_kind,subject,subject_id,details,hash');
    expect(csv[1]).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")`);
    expect(csv.filter(Boolean)).toHaveLength(2);

    // The chain still verifies.
    await page.getByTestId('audit-verify').click();
    await expect(page.getByTestId('audit-verify-result')).toHaveAttribute('data-ok', 'true');
  } finally {
    await host.stop();
  }
});
