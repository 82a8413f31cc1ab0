import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { CertificateDetail, TargetAddResult, TargetView } from '../../src/shared/contract/index.ts';
import { createCa } from './app-actions.ts';
import { operator } from './operator-cli.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

/** Opens a certificate's panel from the inventory (afresh: the panel reads its targets when it opens). */
async function openCertificate(page: Page, id: string) {
  await page.getByTestId('nav-inventory').click();
  await page.locator(`[data-testid="cert-row"][data-cert-id="${id}"]`).click();
  await expect(page.getByTestId('cert-detail')).toHaveAttribute('data-cert-id', id);
}

async function closePanel(page: Page) {
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('cert-detail')).toBeHidden();
}

test('delivery targets: web-mode add, test, deliver to a folder, history, inherited by the renewal, remove', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    // The width of a small laptop: a long path must shorten, not widen the panel.
    await page.setViewportSize({ width: 1024, height: 900 });
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Targets Root');
    await createCa(page, 'issuing', 'Targets Issuing');

    await page.getByTestId('nav-inventory').click();
    await page.getByTestId('issue-cert').click();
    const issue = page.getByTestId('issue-dialog');
    await issue.getByTestId('issue-cn').fill('payments-workload');
    await issue.getByTestId('issue-submit').click();
    await expect(issue).toBeHidden();
    const detail = page.getByTestId('cert-detail');
    await expect(detail).toHaveAttribute('data-cert-id', /^cert_/);
    const certId = (await detail.getAttribute('data-cert-id'))!;

    // No target yet: nothing to deliver.
    const delivery = detail.getByTestId('cert-delivery');
    await expect(delivery).toHaveAttribute('data-count', '0');
    await expect(delivery.getByTestId('delivery-targets-empty')).toBeVisible();
    await expect(delivery.getByTestId('delivery-history-empty')).toBeVisible();
    await expect(delivery.getByTestId('cert-deliver')).toBeDisabled();

    // Web mode cannot choose where a key is written: Add explains and gives the exact command, no form.
    await delivery.getByTestId('delivery-add').click();
    const help = delivery.getByTestId('delivery-add-web');
    await expect(help).toBeVisible();
    await expect(help.getByTestId('delivery-add-command')).toHaveText(`certdesk target add ${certId} --kind folder --path DIR`);
    await expect(help.getByRole('button', { name: 'Copy the target add command' })).toBeVisible();
    await expect(delivery.getByTestId('delivery-add')).toHaveAttribute('aria-expanded', 'true');
    await expect(delivery.locator('input')).toHaveCount(0);
    await closePanel(page);

    // The operator adds a folder target on this machine, on the web host's data folder. The path is long on purpose.
    const folder = join(dataDir, 'workloads', `payments-service-production-eu-west-${'x'.repeat(40)}`, 'tls-releases-for-the-workload');
    mkdirSync(folder, { recursive: true });
    const added = (await operator(dataDir, ['target', 'add', certId, '--kind', 'folder', '--path', folder])) as { target: TargetView };
    expect(added.target.spec).toMatchObject({ kind: 'folder', path: folder, keyFormat: 'pem' });

    await openCertificate(page, certId);
    await expect(delivery).toHaveAttribute('data-count', '1');
    const row = delivery.locator(`[data-testid="delivery-target"][data-target-id="${added.target.id}"]`);
    await expect(row).toHaveAttribute('data-kind', 'folder');
    await expect(row).toHaveAttribute('data-inherited', 'false');
    await expect(row.getByTestId('delivery-target-key-format')).toContainText('PKCS#8 PEM');
    await expect(row.getByTestId('delivery-target-last')).toHaveAttribute('data-status', 'never');

    // The long path is cut with an ellipsis inside the panel, whole in its tooltip; the panel does not scroll sideways.
    const where = row.getByTestId('delivery-target-where');
    await expect(where).toHaveAttribute('data-full', folder);
    // Both boxes in one read, in one frame: read apart, the drawer's layout could change between the two
    // reads, and once in a CI rehearsal they were 20 px apart (the path's right edge past the body's).
    const { sizes, bodyBox } = await where.evaluate((el) => {
      const body = el.closest('.mantine-Drawer-body')!;
      return {
        sizes: { scroll: el.scrollWidth, client: el.clientWidth, right: el.getBoundingClientRect().right },
        bodyBox: { scroll: body.scrollWidth, client: body.clientWidth, right: body.getBoundingClientRect().right },
      };
    });
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    expect(bodyBox.scroll).toBeLessThanOrEqual(bodyBox.client);
    expect(sizes.right).toBeLessThanOrEqual(bodyBox.right);
    await where.hover();
    await expect(page.getByRole('tooltip').filter({ hasText: folder })).toBeVisible();

    // Keyboard: Tab walks the section's controls in reading order, the long path included (its tooltip opens on focus).
    const tooltip = page.getByRole('tooltip').filter({ hasText: folder });
    await page.mouse.move(0, 0);
    await expect(tooltip).toBeHidden();
    await delivery.getByTestId('delivery-add').focus();
    await page.keyboard.press('Tab');
    await expect(delivery.getByTestId('cert-deliver')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(where).toBeFocused();
    await expect(tooltip).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(row.getByTestId('delivery-target-test')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(row.getByTestId('delivery-target-remove')).toBeFocused();

    // Test: every check passes, nothing delivered yet, shown under the target.
    await row.getByRole('button', { name: `Test folder target ${folder}` }).click();
    const tested = row.getByTestId('delivery-target-test-result');
    await expect(tested).toHaveAttribute('data-ok', 'true');
    await expect(row.locator('[data-testid="delivery-target-check"][data-ok="false"]')).toHaveCount(0);
    await expect(row.locator('[data-testid="delivery-target-check"][data-name="writable"]')).toHaveAttribute('data-ok', 'true');
    expect(existsSync(join(folder, 'current'))).toBe(false);

    // Deliver now writes a release: current/ holds this certificate and a key readable only by its owner.
    const shown = (await operator(dataDir, ['show', '--', certId])) as CertificateDetail;
    const certPem = shown.pem.trim();
    await delivery.getByTestId('cert-deliver').click();
    const result = delivery.getByTestId('cert-deliver-result');
    await expect(result).toHaveAttribute('data-outcome', 'done');
    const releaseId = (await result.getByTestId('cert-deliver-release').getAttribute('data-release-id'))!;
    expect(releaseId).toBeTruthy();
    await expect(result).toContainText(releaseId);
    expect(lstatSync(join(folder, 'current')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(folder, 'current'))).toBe(`releases/${releaseId}`);
    expect(readFileSync(join(folder, 'current', 'cert.pem'), 'utf8').trim()).toBe(certPem);
    expect(readFileSync(join(folder, 'current', 'key.pem'), 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
    expect(lstatSync(join(folder, 'current', 'key.pem')).mode & 0o777).toBe(0o600);

    // The attempt is in the history and is the target's last delivery.
    const history = delivery.getByTestId('delivery-history-row');
    await expect(history).toHaveCount(1);
    await expect(history.first()).toHaveAttribute('data-status', 'done');
    await expect(history.first()).toHaveAttribute('data-release-id', releaseId);
    await expect(row.getByTestId('delivery-target-last')).toHaveAttribute('data-status', 'done');
    await expect(row.getByTestId('delivery-target-last')).toHaveAttribute('data-serial', shown.serialHex);

    // Again: the target already holds this serial, so it is skipped, and that attempt is recorded too.
    await delivery.getByTestId('cert-deliver').click();
    await expect(result).toHaveAttribute('data-outcome', 'skip');
    await expect(history).toHaveCount(2);
    await expect(history.first()).toHaveAttribute('data-status', 'skipped');
    expect(readlinkSync(join(folder, 'current'))).toBe(`releases/${releaseId}`);

    // The renewal inherits the target: its panel lists it, and Deliver now moves current/ to the successor.
    await detail.getByTestId('cert-renew').click();
    const renew = page.getByTestId('renew-dialog');
    await renew.getByTestId('renew-submit').click();
    await expect(renew).toBeHidden();
    await expect(detail).not.toHaveAttribute('data-cert-id', certId);
    const successorId = (await detail.getAttribute('data-cert-id'))!;
    const inherited = delivery.locator(`[data-testid="delivery-target"][data-target-id="${added.target.id}"]`);
    await expect(inherited).toHaveAttribute('data-inherited', 'true');
    const successorPem = ((await operator(dataDir, ['show', '--', successorId])) as CertificateDetail).pem.trim();
    await delivery.getByTestId('cert-deliver').click();
    await expect(result).toHaveAttribute('data-outcome', 'done');
    const successorRelease = (await result.getByTestId('cert-deliver-release').getAttribute('data-release-id'))!;
    expect(successorRelease).not.toBe(releaseId);
    expect(readFileSync(join(folder, 'current', 'cert.pem'), 'utf8').trim()).toBe(successorPem);
    expect(readlinkSync(join(folder, 'previous'))).toBe(`releases/${releaseId}`);

    // Remove, from the keyboard: the dialog names the target and focuses Cancel, so Enter keeps it.
    const remove = inherited.getByRole('button', { name: `Remove folder target ${folder}…` });
    await remove.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('delivery-remove-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(folder);
    await expect(dialog.getByTestId('delivery-remove-cancel')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(inherited).toBeVisible();
    expect(((await operator(dataDir, ['target', 'list', successorId])) as TargetView[]).map((t) => t.id)).toEqual([added.target.id]);

    // Confirmed: the target is gone for the lineage; the files already delivered stay.
    await remove.click();
    await dialog.getByTestId('delivery-remove-confirm').click();
    await expect(dialog).toBeHidden();
    await expect(delivery).toHaveAttribute('data-count', '0');
    await expect(delivery.getByTestId('delivery-targets-empty')).toBeVisible();
    await expect(delivery.getByTestId('cert-deliver')).toBeDisabled();
    expect((await operator(dataDir, ['target', 'list', successorId])) as TargetView[]).toEqual([]);
    expect(readFileSync(join(folder, 'current', 'cert.pem'), 'utf8').trim()).toBe(successorPem);
  } finally {
    await host.stop();
  }
});

test('a delivery that fails is named in place, recorded, and writes nothing into the other tree', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Failing Root');
    await createCa(page, 'issuing', 'Failing Issuing');
    await page.getByTestId('nav-inventory').click();
    await page.getByTestId('issue-cert').click();
    const issue = page.getByTestId('issue-dialog');
    await issue.getByTestId('issue-cn').fill('swapped-folder');
    await issue.getByTestId('issue-submit').click();
    await expect(issue).toBeHidden();
    const detail = page.getByTestId('cert-detail');
    await expect(detail).toHaveAttribute('data-cert-id', /^cert_/);
    const certId = (await detail.getAttribute('data-cert-id'))!;
    await closePanel(page);

    const folder = join(dataDir, 'workload-tls');
    mkdirSync(folder);
    const added = (await operator(dataDir, ['target', 'add', certId, '--kind', 'folder', '--path', folder])) as { target: TargetView };
    // After it was approved, the folder is swapped for a link into another tree: a key must never follow it.
    const elsewhere = join(dataDir, 'elsewhere');
    mkdirSync(elsewhere);
    rmSync(folder, { recursive: true });
    symlinkSync(elsewhere, folder);

    await openCertificate(page, certId);
    const delivery = detail.getByTestId('cert-delivery');
    const row = delivery.locator(`[data-testid="delivery-target"][data-target-id="${added.target.id}"]`);
    await row.getByTestId('delivery-target-test').click();
    await expect(row.getByTestId('delivery-target-test-result')).toHaveAttribute('data-ok', 'false');
    const writable = row.locator('[data-testid="delivery-target-check"][data-name="writable"]');
    await expect(writable).toHaveAttribute('data-ok', 'false');
    await expect(writable).toContainText('symbolic link');

    await delivery.getByTestId('cert-deliver').click();
    const error = delivery.getByTestId('cert-deliver-error');
    await expect(error).toHaveAttribute('data-code', 'TARGET_PATH_UNSAFE');
    await expect(error).toContainText('symbolic link');
    await expect(delivery.getByTestId('cert-deliver-result')).toHaveCount(0);
    expect(readdirSync(elsewhere)).toEqual([]);

    // The failed attempt is the target's last delivery and the history's newest row.
    await expect(row.getByTestId('delivery-target-last')).toHaveAttribute('data-status', 'failed');
    const history = delivery.getByTestId('delivery-history-row');
    await expect(history).toHaveCount(1);
    await expect(history.first()).toHaveAttribute('data-status', 'failed');
    await expect(history.first().getByTestId('delivery-history-detail')).toContainText('TARGET_PATH_UNSAFE');
  } finally {
    await host.stop();
  }
});

test('rollback from the panel: confirmed in a dialog that focuses Cancel, named when there is nothing to roll back to', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Rollback Root');
    await createCa(page, 'issuing', 'Rollback Issuing');
    await page.getByTestId('nav-inventory').click();
    await page.getByTestId('issue-cert').click();
    const issue = page.getByTestId('issue-dialog');
    await issue.getByTestId('issue-cn').fill('rollback-workload');
    await issue.getByTestId('issue-submit').click();
    await expect(issue).toBeHidden();
    const detail = page.getByTestId('cert-detail');
    await expect(detail).toHaveAttribute('data-cert-id', /^cert_/);
    const certId = (await detail.getAttribute('data-cert-id'))!;
    await closePanel(page);

    // The operator's folder target got the certificate, then its renewal: `previous` holds the first.
    const folder = join(dataDir, 'workload-tls');
    mkdirSync(folder);
    const added = (await operator(dataDir, ['target', 'add', certId, '--kind', 'folder', '--path', folder])) as { target: TargetView };
    await operator(dataDir, ['deliver', '--', certId]);
    const first = readlinkSync(join(folder, 'current'));
    const successor = (await operator(dataDir, ['renew', '--', certId])) as CertificateDetail;
    await operator(dataDir, ['deliver', '--', successor.id]);
    const second = readlinkSync(join(folder, 'current'));
    const firstPem = ((await operator(dataDir, ['show', '--', certId])) as CertificateDetail).pem.trim();
    // A second target that never received anything: nothing to roll back to.
    const empty = join(dataDir, 'empty-tls');
    mkdirSync(empty);
    const fresh = (await operator(dataDir, ['target', 'add', successor.id, '--kind', 'folder', '--path', empty])) as { target: TargetView };

    // The renewal was made from the terminal: the panel of the first certificate links to it.
    await openCertificate(page, certId);
    await detail.locator(`button[data-cert-id="${successor.id}"]`).click();
    await expect(detail).toHaveAttribute('data-cert-id', successor.id);
    const delivery = detail.getByTestId('cert-delivery');
    const row = delivery.locator(`[data-testid="delivery-target"][data-target-id="${added.target.id}"]`);
    const rollback = row.getByRole('button', { name: `Roll back folder target ${folder}…` });

    // From the keyboard: the dialog names the target and focuses Cancel, so Enter keeps the release.
    await rollback.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('delivery-rollback-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAttribute('data-target-id', added.target.id);
    await expect(dialog).toContainText(folder);
    await expect(dialog.getByTestId('delivery-rollback-cancel')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    expect(readlinkSync(join(folder, 'current'))).toBe(second);

    // Confirmed: current is the first release again, whole; the panel says which, and the history has it.
    await rollback.click();
    await dialog.getByTestId('delivery-rollback-confirm').click();
    await expect(dialog).toBeHidden();
    const outcome = delivery.getByTestId('delivery-rollback-result');
    await expect(outcome).toHaveAttribute('data-release-id', first.slice('releases/'.length));
    expect(readlinkSync(join(folder, 'current'))).toBe(first);
    expect(readlinkSync(join(folder, 'previous'))).toBe(second);
    expect(readFileSync(join(folder, 'current', 'cert.pem'), 'utf8').trim()).toBe(firstPem);
    // The target's last entry names the certificate it holds now (the history is kept under that certificate).
    const firstSerial = ((await operator(dataDir, ['show', '--', certId])) as CertificateDetail).serialHex;
    await expect(row.getByTestId('delivery-target-last')).toHaveAttribute('data-serial', firstSerial);

    // And back again.
    await rollback.click();
    await dialog.getByTestId('delivery-rollback-confirm').click();
    await expect(outcome).toHaveAttribute('data-release-id', second.slice('releases/'.length));
    expect(readlinkSync(join(folder, 'current'))).toBe(second);
    await expect(row.getByTestId('delivery-target-last')).toHaveAttribute('data-serial', successor.serialHex);

    // Nothing to roll back to: the error is named in the dialog, and the folder stays empty.
    const freshRow = delivery.locator(`[data-testid="delivery-target"][data-target-id="${fresh.target.id}"]`);
    await freshRow.getByTestId('delivery-target-rollback').click();
    await dialog.getByTestId('delivery-rollback-confirm').click();
    const error = dialog.getByTestId('delivery-rollback-error');
    await expect(error).toHaveAttribute('data-code', 'NO_PREVIOUS_RELEASE');
    await expect(error).toContainText(empty);
    await dialog.getByTestId('delivery-rollback-cancel').click();
    await expect(dialog).toBeHidden();
    expect(readdirSync(empty)).toEqual([]);
  } finally {
    await host.stop();
  }
});

test("an ssh target's row shows its client key's authorized_keys line, with a Copy button", async ({ page, dataDir, context }) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Ssh Root');
    await createCa(page, 'issuing', 'Ssh Issuing');
    await page.getByTestId('nav-inventory').click();
    await page.getByTestId('issue-cert').click();
    const issue = page.getByTestId('issue-dialog');
    await issue.getByTestId('issue-cn').fill('remote-workload');
    await issue.getByTestId('issue-submit').click();
    await expect(issue).toBeHidden();
    const detail = page.getByTestId('cert-detail');
    await expect(detail).toHaveAttribute('data-cert-id', /^cert_/);
    const certId = (await detail.getAttribute('data-cert-id'))!;
    await closePanel(page);

    // Adding pins the host key the operator compared; no connection is made until a delivery.
    const hostKey = `SHA256:${'A'.repeat(43)}`;
    const added = (await operator(dataDir, [
      'target',
      'add',
      certId,
      '--kind',
      'ssh',
      '--host',
      'tls-host.example',
      '--user',
      'deploy',
      '--path',
      '/etc/workload/tls',
      '--host-key',
      hostKey,
    ])) as TargetAddResult;
    expect(added.authorizedKey).toMatch(/^ssh-ed25519 /);

    await openCertificate(page, certId);
    const row = detail.locator(`[data-testid="delivery-target"][data-target-id="${added.target.id}"]`);
    await expect(row).toHaveAttribute('data-kind', 'ssh');
    const key = row.getByTestId('delivery-target-client-key');
    await expect(key).toHaveAttribute('data-fingerprint', added.clientKeyFingerprint!);
    await expect(key).toContainText('append this line to ~/.ssh/authorized_keys of deploy on tls-host.example');
    await expect(row.getByTestId('delivery-target-authorized-key')).toHaveText(added.authorizedKey!);

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(host.url).origin });
    const copy = row.getByRole('button', {
      name: `Copy the authorized_keys line for ssh target deploy@tls-host.example:/etc/workload/tls`,
    });
    await copy.click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe(added.authorizedKey);
  } finally {
    await host.stop();
  }
});
