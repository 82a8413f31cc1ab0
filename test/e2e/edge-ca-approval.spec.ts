import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createCa } from './app-actions.ts';
import { hostRpc } from './host-rpc.ts';
import { operator } from './operator-cli.ts';
import { expect, startHost, test } from './web-host-fixture.ts';
import type { Page } from '@playwright/test';

/**
 * The publish dialog closes. When it stays open, the failure quotes what it shows (an error alert,
 * a spinner on the button), so a log alone says why.
 */
async function publishDialogCloses(page: Page): Promise<void> {
  const dialog = page.getByTestId('edge-publish-dialog');
  const state = async () => {
    if (!(await dialog.isVisible())) return 'closed';
    const busy = await dialog
      .getByTestId('edge-publish-confirm')
      .getAttribute('data-loading', { timeout: 1_000 })
      .catch(() => null);
    const text = await dialog.innerText({ timeout: 1_000 }).catch(() => '');
    return `open${busy !== null ? ', still publishing' : ''}: ${text.replace(/\s+/g, ' ')}`;
  };
  await expect.poll(state, { timeout: 30_000 }).toBe('closed');
}

const SETTINGS = [
  '--server-name',
  'auth.example.com',
  '--upstream',
  'https://tenant.edge.tenants.auth0.com',
  '--server-cert',
  '/etc/nginx/tls/edge.crt',
  '--server-key',
  '/etc/nginx/tls/edge.key',
  '--cname-api-key-file',
  '/etc/nginx/secrets/cname.conf',
  '--bundle-dir',
  '/etc/nginx/certdesk',
];

test('edge: the page starts from the approved issuing CAs, says before publishing that a new one needs the operator, and the refusal lands on the field', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  try {
    await page.setViewportSize({ width: 1024, height: 900 });
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Gate Root');
    await createCa(page, 'issuing', 'Old Issuing');
    await createCa(page, 'issuing', 'New Issuing');
    await createCa(page, 'issuing', 'Arrived Issuing');
    const rpc = hostRpc(host);
    const idOf = async (name: string) => (await rpc('ca:list', {})).find((ca) => ca.name === name)!.id;
    const outDir = join(dataDir, 'edge-out');
    // The operator, at this machine's terminal: the folder, the settings, and a rollover's two issuing CAs.
    await operator(dataDir, ['edge', 'folder', 'set', outDir]);
    await operator(dataDir, ['edge', 'settings', 'set', ...SETTINGS, '--ca', 'Old Issuing', '--ca', 'New Issuing']);

    await page.getByTestId('nav-edge').click();
    const pills = page.locator('.mantine-MultiSelect-pill');
    await expect(pills).toHaveCount(2);
    await expect(pills.filter({ hasText: 'Old Issuing' })).toHaveCount(1);
    await expect(pills.filter({ hasText: 'New Issuing' })).toHaveCount(1);
    await page.getByTestId('edge-use-approved').click();
    await expect(page.getByTestId('edge-settings-approved')).toBeVisible();
    await expect(page.getByTestId('edge-ca-unapproved')).toHaveCount(0);

    // Adding a CA that arrived later: the page says so before anything is sent, with the command to copy.
    await page.getByTestId('edge-ca').focus();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option', { name: 'Arrived Issuing' }).click();
    await page.keyboard.press('Escape');
    const notice = page.getByTestId('edge-ca-unapproved');
    await expect(notice).toContainText('"Arrived Issuing" is not among the issuing CAs the operator approved');
    const command = (await notice.getByTestId('edge-ca-approve-command').textContent()) ?? '';
    expect(command).toMatch(/^certdesk edge settings set --server-name auth\.example\.com .* --ca \S+ --ca \S+ --ca \S+$/);
    expect(command).toContain(`--ca ${await idOf('Arrived Issuing')}`);
    const box = await notice.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(1024);

    // Sent anyway: main refuses, the error lands on the CA field, nothing is written.
    await page.getByTestId('edge-publish').click();
    await page.getByTestId('edge-publish-dialog').getByTestId('edge-publish-confirm').click();
    await publishDialogCloses(page);
    await expect(page.getByTestId('edge-ca')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText(/"Arrived Issuing" \(SHA-256 [0-9a-f]{16}…\) is not among the issuing CAs approved/)).toBeVisible();
    expect(existsSync(outDir)).toBe(false);
    expect(await rpc('edge:history', {})).toEqual([]);

    // Back to the approved set: published without any approval.
    await notice.getByTestId('edge-ca-use-approved').click();
    await expect(pills).toHaveCount(2);
    await expect(page.getByTestId('edge-ca-unapproved')).toHaveCount(0);
    await page.getByTestId('edge-publish').click();
    await page.getByTestId('edge-publish-dialog').getByTestId('edge-publish-confirm').click();
    await expect(page.getByTestId('edge-publish-result')).toBeVisible();
    expect(readdirSync(outDir).sort()).toEqual(['README.md', 'ca-bundle.pem', 'certdesk-edge.conf', 'crl.pem']);

    // Narrower (the old CA retired): explained, and published without approval.
    await pills.filter({ hasText: 'Old Issuing' }).locator('button').click();
    await expect(page.getByTestId('edge-ca-narrower')).toContainText('The edge will no longer trust "Old Issuing"');
    await page.getByTestId('edge-publish').click();
    await page.getByTestId('edge-publish-dialog').getByTestId('edge-publish-confirm').click();
    await publishDialogCloses(page);
    expect(await rpc('edge:history', {})).toHaveLength(2);

    // The operator runs the copied command: the wider set is approved, and the page publishes it.
    await operator(dataDir, command.split(' ').slice(1));
    await page.getByTestId('nav-schedule').click();
    await page.getByTestId('nav-edge').click();
    await expect(pills).toHaveCount(3);
    await expect(page.getByTestId('edge-ca-unapproved')).toHaveCount(0);
    await page.getByTestId('edge-publish').click();
    await page.getByTestId('edge-publish-dialog').getByTestId('edge-publish-confirm').click();
    await publishDialogCloses(page);
    const [latest] = await rpc('edge:history', {});
    expect(latest!.authorityIds).toHaveLength(3);
  } finally {
    await host.stop();
  }
});
