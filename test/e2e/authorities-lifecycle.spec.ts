import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openssl } from '../support/openssl.ts';
import { createCa } from './app-actions.ts';
import { hostRpc } from './host-rpc.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

const LONG = 'W'.repeat(64);

test('at 1024 px: Cancel closes at the first click, an over-long name is refused by name, long text truncates, the drawer closes', async ({
  page,
  dataDir,
}) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();

    // The name field has focus; one click on Cancel closes, though leaving the field would flag it as required.
    await page.getByTestId('new-root-ca').click();
    const dialog = page.getByTestId('create-ca-dialog');
    await expect(dialog.getByTestId('ca-name')).toBeFocused();
    await dialog.getByTestId('ca-cancel').click();
    await expect(dialog).toBeHidden();

    // 300 characters: kept as typed, refused with the field and the limit, nothing created.
    await page.getByTestId('new-root-ca').click();
    const name300 = 'N'.repeat(300);
    await dialog.getByTestId('ca-name').fill(name300);
    await expect(dialog.getByTestId('ca-name')).toHaveValue(name300);
    await dialog.getByTestId('ca-submit').click();
    await expect(dialog).toContainText('Name is 300 characters long; the limit is 64');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('ca-cancel').click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('ca-row')).toHaveCount(0);
    expect(await hostRpc(host)('ca:list', {})).toEqual([]);

    // The longest name and organization there can be, without a space to wrap at.
    await page.getByTestId('new-root-ca').click();
    await dialog.getByTestId('ca-name').fill(LONG);
    await dialog.getByTestId('ca-organization').fill('O'.repeat(64));
    await dialog.getByTestId('ca-submit').click();
    await expect(dialog).toBeHidden();
    const row = page.locator(`[data-testid="ca-row"][data-ca-name="${LONG}"]`);
    await expect(row).toBeVisible();
    // One line of text each, cut with an ellipsis, not a column of single characters.
    const rowBox = (await row.boundingBox())!;
    expect(rowBox.height).toBeLessThan(120);
    const subject = row.getByTestId('ca-subject-cell');
    expect(await subject.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).textOverflow)).toBe('ellipsis');
    await subject.hover();
    await expect(page.getByRole('tooltip')).toContainText(`CN=${LONG}`);

    await row.click();
    const drawer = page.getByTestId('ca-details');
    await expect(drawer).toBeVisible();
    const close = drawer.locator('.mantine-Drawer-close');
    await expect(close).toBeInViewport();
    await close.click();
    await expect(drawer).toBeHidden();
  } finally {
    await host.stop();
  }
});

test('import a CA from files, retire and reinstate it, revoke an issuing CA onto its root CRL; the table shows the CRL', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  const rpc = hostRpc(host);
  // The openssl root's files, keys among them: removed with the test.
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-import-ca-'));
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();

    // A root made by openssl, imported through the page from its two files (read in the page, sent as content).
    const key = join(dir, 'root.key');
    const other = join(dir, 'other.key');
    const cert = join(dir, 'root.pem');
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', other]);
    openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      key,
      '-subj',
      '/CN=OpenSSL Root',
      '-days',
      '3650',
      '-out',
      cert,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await page.getByTestId('import-ca').click();
    const importDialog = page.getByTestId('import-ca-dialog');
    await importDialog.getByTestId('import-ca-cert-file').setInputFiles(cert);
    await importDialog.getByTestId('import-ca-key-file').setInputFiles(other);
    await importDialog.getByTestId('import-ca-submit').click();
    await expect(importDialog.getByTestId('import-ca-key-error')).toContainText('not the key of the CA certificate');
    await expect(page.getByTestId('ca-row')).toHaveCount(0);
    await importDialog.getByTestId('import-ca-key-file').setInputFiles(key);
    await importDialog.getByTestId('import-ca-submit').click();
    await expect(importDialog).toBeHidden();
    const rootRow = page.locator('[data-testid="ca-row"][data-ca-name="OpenSSL Root"]');
    await expect(rootRow).toBeVisible();
    await expect(rootRow.getByTestId('ca-crl-state')).toHaveAttribute('data-crl-state', 'none');

    // The imported root's key signs: an issuing CA under it.
    await createCa(page, 'issuing', 'Lifecycle Issuing');
    const issuingRow = page.locator('[data-testid="ca-row"][data-ca-name="Lifecycle Issuing"]');
    const issuing = (await rpc('ca:list', {})).find((a) => a.name === 'Lifecycle Issuing')!;

    // Retire: confirmed, shown in the table, and issuance under it is refused by name.
    await issuingRow.click();
    const drawer = page.getByTestId('ca-details');
    await drawer.getByTestId('ca-retire').click();
    const confirm = page.getByTestId('ca-lifecycle-confirm');
    await expect(confirm).toContainText('will sign no new certificate');
    await confirm.getByTestId('ca-lifecycle-confirm-submit').click();
    await expect(confirm).toBeHidden();
    await expect(issuingRow.getByTestId('ca-state')).toHaveAttribute('data-ca-state', 'retired');
    await expect(
      rpc('certs:issue', { ca: issuing.id, subject: { commonName: 'refused' }, days: 30, source: { kind: 'generated' } }),
    ).rejects.toThrow(/CA_RETIRED \(ca\)/);
    await drawer.getByTestId('ca-reinstate').click();
    await confirm.getByTestId('ca-lifecycle-confirm-submit').click();
    await expect(issuingRow.getByTestId('ca-state')).toHaveCount(0);

    // Revoke under the root: confirmed with a reason; the root signs a CRL that lists it at once.
    await drawer.getByTestId('ca-revoke').click();
    await expect(confirm).toContainText('cannot be undone');
    await confirm.getByTestId('ca-revoke-reason').click();
    await page.getByRole('option', { name: /Key compromise/ }).click();
    await confirm.getByTestId('ca-lifecycle-confirm-submit').click();
    await expect(confirm).toBeHidden();
    await expect(issuingRow.getByTestId('ca-state')).toHaveAttribute('data-ca-state', 'revoked');
    await expect(drawer.getByTestId('ca-lifecycle-state')).toContainText('keyCompromise');
    await page.keyboard.press('Escape');
    await expect(rootRow.getByTestId('ca-crl-state')).toHaveAttribute('data-crl-state', 'fresh');
    await expect(rootRow.getByTestId('ca-crl-state')).toContainText('#1');
    await expect(rootRow.getByTestId('ca-crl-state')).toContainText('next update in 7 days');

    // openssl reads the root's CRL as the drawer offers it: the issuing CA is on it.
    await rootRow.click();
    await drawer.getByTestId('ca-generate-crl').click();
    const crlPem = (await drawer.getByTestId('ca-crl-pem').innerText()).trim();
    await expect(rootRow.getByTestId('ca-crl-state')).toContainText('#2');
    const dump = openssl(['crl', '-noout', '-text'], `${crlPem}\n`).output;
    expect(dump.toUpperCase()).toContain(issuing.serialHex.toUpperCase().replace(/^0+/, ''));
    expect(dump).toContain('Key Compromise');
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
