// Issue 13, "Inventory and issuing": what the inventory and the Schedule show is true, in the real
// renderer on the real web host: every copied fingerprint finds its certificate, a revocation says
// whether a CRL lists it yet, lineage reads by serial and subject, and imported certificates say why
// certdesk cannot rotate them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createCa } from './app-actions.ts';
import { hostRpc } from './host-rpc.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

async function issue(page: Page, cn: string): Promise<void> {
  await page.getByTestId('issue-cert').click();
  const dialog = page.getByTestId('issue-dialog');
  await dialog.getByTestId('issue-cn').fill(cn);
  await dialog.getByTestId('issue-submit').click();
  await expect(dialog).toBeHidden();
}

async function searchFinds(page: Page, text: string, cn: string): Promise<void> {
  await page.getByTestId('cert-search').fill(text);
  await expect(page.getByTestId('cert-row'), text).toHaveCount(1);
  await expect(page.getByTestId('cert-row').first(), text).toHaveAttribute('data-cert-cn', cn);
}

test('search by every copied form, lineage by serial and subject, a revocation says whether a CRL lists it, no hold offered', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Root');
    await createCa(page, 'issuing', 'Issuing');
    await page.getByTestId('nav-inventory').click();
    await issue(page, 'search-me');
    const detail = page.getByTestId('cert-detail');
    await expect(detail).toBeVisible();
    // A fresh 90-day certificate is not a warning: its profile renews at day 60.
    await expect(detail.getByTestId('cert-detail-expires')).toHaveAttribute('data-tone', 'ok');
    await expect(detail.getByTestId('cert-detail-expires')).toContainText(/in (89|90) days/);
    const sha256 = /[0-9A-F]{2}(?::[0-9A-F]{2}){31}/.exec(await detail.getByTestId('cert-detail-sha256').innerText())![0];
    const x5t = /[A-Za-z0-9_-]{43}/.exec(await detail.getByTestId('cert-detail-x5t').innerText())![0];
    const sha1 = /[0-9A-F]{2}(?::[0-9A-F]{2}){19}/.exec(await detail.getByTestId('cert-detail-sha1').innerText())![0];
    const original = (await hostRpc(host)('certs:list', { search: 'search-me' })).items[0]!;
    await page.keyboard.press('Escape');
    await issue(page, 'someone-else');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('cert-row')).toHaveCount(2);
    await expect(page.locator('[data-testid="cert-row-expires"][data-tone="ok"]')).toHaveCount(2);

    // Every form the detail panel shows and copies, typed into the search box.
    const colonSerial = original.serialHex.toUpperCase().match(/../g)!.join(':');
    for (const form of [sha256, sha256.toLowerCase(), sha256.replaceAll(':', ''), x5t, sha1, colonSerial, original.serialHex])
      await searchFinds(page, form, 'search-me');
    await page.getByTestId('cert-search').fill('no-such-certificate');
    await expect(page.getByTestId('cert-row')).toHaveCount(0);
    await page.getByTestId('cert-search').fill('');
    await expect(page.getByTestId('cert-row')).toHaveCount(2);

    // Renew: the lineage reads by subject and serial, and no internal id is shown.
    await page.locator('[data-testid="cert-row"][data-cert-cn="search-me"]').click();
    await detail.getByTestId('cert-renew').click();
    await page.getByTestId('renew-submit').click();
    await expect(page.getByTestId('renew-dialog')).toBeHidden();
    await expect(detail.getByTestId('cert-replaces-subject')).toHaveText('CN=search-me');
    await expect(detail.getByTestId('cert-replaces-serial')).toHaveText(`Serial ${colonSerial}`);
    await expect(detail.getByTestId('cert-lineage')).not.toContainText(original.id);

    // Revoke: no certificateHold on offer; then the status says "on the next CRL" until a CRL lists it.
    await detail.getByTestId('cert-revoke').click();
    const revoke = page.getByTestId('revoke-dialog');
    await revoke.getByTestId('revoke-reason').click();
    await expect(page.getByRole('option', { name: /Key compromise/ })).toBeVisible();
    await expect(page.getByRole('option', { name: /hold/i })).toHaveCount(0);
    await page.keyboard.press('Escape');
    await revoke.getByTestId('revoke-confirm-input').fill('search-me');
    await revoke.getByTestId('revoke-submit').click();
    await expect(revoke).toBeHidden();
    await expect(detail.getByTestId('cert-revocation')).toHaveAttribute('data-on-crl', 'false');
    await expect(detail.getByTestId('cert-revocation')).toContainText('Revoked; on the next CRL');
    await expect(detail.getByTestId('cert-detail-status')).not.toContainText('Listed on the CRL');
    await page.keyboard.press('Escape');
    const revokedBadge = page.locator('[data-testid="cert-row"][data-cert-status="revoked"] [data-testid="cert-status-badge"]');
    await expect(revokedBadge).toHaveAttribute('title', /on the next CRL/);

    // A CRL from the Authorities page lists it: now, and only now, it reads "listed".
    await page.getByTestId('nav-authorities').click();
    await page.locator('[data-testid="ca-row"][data-ca-name="Issuing"]').click();
    await page.getByTestId('ca-generate-crl').click();
    await expect(page.getByTestId('ca-crl-revoked-count')).toContainText('1');
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-inventory').click();
    await expect(revokedBadge).toHaveAttribute('title', /Listed on the CRL/);
    await page.locator('[data-testid="cert-row"][data-cert-status="revoked"]').click();
    await expect(detail.getByTestId('cert-revocation')).toHaveAttribute('data-on-crl', 'true');
    await expect(detail.getByTestId('cert-revocation')).toContainText('Revoked; listed on the CRL');
    await page.keyboard.press('Escape');

    // PKCS#12 in web mode is a browser download, and the success names the file the browser got.
    await page.locator('[data-testid="cert-row"][data-cert-cn="someone-else"]').click();
    await detail.getByTestId('cert-export').click();
    const exp = page.getByTestId('export-dialog');
    await exp.getByTestId('export-format-p12').click();
    await exp.getByTestId('export-passphrase').fill('e2e export passphrase');
    await exp.getByTestId('export-passphrase-confirm').fill('e2e export passphrase');
    await exp.getByTestId('export-contains-key').check();
    const download = page.waitForEvent('download');
    await exp.getByTestId('export-submit').click();
    expect((await download).suggestedFilename()).toBe('someone-else.p12');
    await expect(exp.getByTestId('export-written-title')).toContainText('Downloaded someone-else.p12');
    await expect(exp.getByTestId('export-copy-path')).toHaveCount(0);
  } finally {
    await host.stop();
  }
});

test('an imported certificate is tracked but not offered for rotation, and "Rotate all due" says why it is disabled', async ({
  page,
  dataDir,
}) => {
  // A client certificate from another CA (openssl's), 30 days long: due for renewal from its first day.
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  run([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-subj',
    '/CN=Elsewhere CA',
    '-days',
    '365',
  ]);
  run([
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
    '-subj',
    '/CN=tracked-elsewhere',
  ]);
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30']);
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await page.getByTestId('nav-inventory').click();
    await page.getByTestId('cert-import').click();
    await page.getByTestId('import-pem').fill(readFileSync(join(dataDir, 'leaf.pem'), 'utf8'));
    await page.getByTestId('import-submit').click();
    await expect(page.locator('[data-testid="cert-row"][data-cert-cn="tracked-elsewhere"]')).toHaveCount(1);
    // The import opens the certificate's panel; close it before moving on.
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('cert-detail')).toBeHidden();

    await page.getByTestId('nav-schedule').click();
    const row = page.locator('[data-testid="schedule-row"][data-schedule-name="tracked-elsewhere"]');
    await expect(row).toHaveAttribute('data-schedule-state', 'due');
    await expect(row.getByTestId('schedule-rotate')).toHaveCount(0);
    await expect(row.getByTestId('schedule-rotate-unavailable')).toHaveText('Imported for tracking only');
    await expect(page.getByTestId('rotate-all')).toBeDisabled();
    await expect(page.getByTestId('rotate-all-why')).toContainText('imported for tracking only');
  } finally {
    await host.stop();
  }
});
