import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa } from './app-actions.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

test('creates a root and an issuing CA through the UI; they survive a restart; openssl accepts the chain', async ({ page, dataDir }) => {
  let host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    // The token left the visible URL as soon as the page read it.
    expect(page.url()).not.toContain('token=');
    await expect(page.getByTestId('ca-empty')).toBeVisible();

    await createCa(page, 'root', 'E2E Root CA', 'ECDSA P-384');
    await createCa(page, 'issuing', 'E2E Issuing CA');
    await expect(page.locator('[data-testid="ca-row"][data-ca-kind="root"]')).toHaveCount(1);
    await expect(page.locator('[data-testid="ca-row"][data-ca-kind="issuing"]')).toHaveCount(1);
    await expect(page.getByTestId('key-protection')).toHaveAttribute('data-vault-state', 'ready');

    // A server-side rule (unique names) is shown on the field it concerns, and the form keeps its values.
    await page.getByTestId('new-root-ca').click();
    const dialog = page.getByTestId('create-ca-dialog');
    await dialog.getByTestId('ca-name').fill('e2e root ca');
    await dialog.getByTestId('ca-submit').click();
    await expect(dialog.getByText(/already exists/)).toBeVisible();
    await expect(dialog.getByTestId('ca-name')).toHaveValue('e2e root ca');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // Restart the host: same data folder, new process, new token.
    await host.stop();
    host = await startHost(dataDir);
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await expect(page.getByTestId('ca-row')).toHaveCount(2);

    // The detail drawer shows both DN forms and the PEM; openssl checks what the UI shows.
    await page.locator('[data-testid="ca-row"][data-ca-name="E2E Root CA"]').click();
    const rootPem = (await page.getByTestId('ca-detail-pem').innerText()).trim();
    await expect(page.getByTestId('ca-detail-subject')).toContainText('CN=E2E Root CA');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="ca-row"][data-ca-name="E2E Issuing CA"]').click();
    const issuingPem = (await page.getByTestId('ca-detail-pem').innerText()).trim();
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-pem-'));
    try {
      writeFileSync(join(dir, 'root.pem'), `${rootPem}\n`);
      writeFileSync(join(dir, 'issuing.pem'), `${issuingPem}\n`);
      const out = execFileSync('openssl', [
        'verify',
        '-x509_strict',
        '-CAfile',
        join(dir, 'root.pem'),
        join(dir, 'issuing.pem'),
      ]).toString();
      expect(out).toContain('issuing.pem: OK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await page.keyboard.press('Escape');

    // The restored keys are usable: the restarted app signs a second issuing CA with the root's key.
    await createCa(page, 'issuing', 'E2E Issuing CA 2');
    await expect(page.getByTestId('ca-row')).toHaveCount(3);
  } finally {
    await host.stop();
  }
});

test('settings show where keys are protected and the data folder', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await page.getByTestId('nav-settings').click();
    await expect(page.getByTestId('settings-data-dir')).toContainText(dataDir);
    await expect(page.getByTestId('settings-key-protection')).toHaveAttribute('data-vault-state', 'uninitialized');
    await page.getByTestId('vault-choice-keychain').click();
    await page.getByTestId('vault-init-submit').click();
    await expect(page.getByTestId('settings-key-protection')).toHaveAttribute('data-vault-state', 'ready');
    await expect(page.getByTestId('settings-vault-detail')).toContainText('Secret Service');
  } finally {
    await host.stop();
  }
});

test('without the access token the page says how to open it, and the API refuses', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url.replace(/#token=.*/, ''));
    await expect(page.getByTestId('no-token')).toBeVisible();
    const status = await page.evaluate(
      async () => (await fetch('/rpc/ca:list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status,
    );
    expect(status).toBe(401);
  } finally {
    await host.stop();
  }
});
