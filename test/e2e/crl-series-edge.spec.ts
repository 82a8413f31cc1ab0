import { hostRpc } from './host-rpc.ts';
import { createCa } from './app-actions.ts';
import { operator } from './operator-cli.ts';
import { seedPresignedPublisher } from './presigned-seed.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

test('schedule: a publisher is warned before its last pre-signed CRL runs out, in red once one has', async ({ page, dataDir }) => {
  await seedPresignedPublisher(dataDir);
  await operator(dataDir, ['role', 'set', 'publisher', '--confirm', 'publisher']);
  const host = await startHost(dataDir);
  try {
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await page.getByTestId('nav-schedule').click();
    const notice = page.getByTestId('crl-series-notice');
    await expect(notice).toBeVisible();
    // The root's series ran out: the notice is red, and says what to do and how.
    await expect(notice).toHaveAttribute('data-state', 'expired');
    await expect(notice).toContainText('Pre-signed CRLs have run out');
    const items = notice.getByTestId('crl-series-item');
    await expect(items).toHaveCount(2);
    const root = notice.locator('[data-testid="crl-series-item"][data-state="expired"]');
    await expect(root).toContainText(
      /Gap Root: the last pre-signed CRL ran out \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(1 day \d+ hours? ago\)/,
    );
    const issuing = notice.locator('[data-testid="crl-series-item"][data-state="warn"]');
    await expect(issuing).toContainText(
      /Gap Issuing: the last pre-signed CRL runs out \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(in 7 days( \d+ hours?)?\)/,
    );
    await expect(notice).toContainText('certdesk request crl "Gap Root"');
    await expect(notice).toContainText('Transfer page');
    // The notice fits the page at 1024 px: nothing sticks out sideways.
    const box = await notice.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(1024);
    expect(await hostRpc(host)('schedule:crl-series', {})).toEqual([
      expect.objectContaining({ name: 'Gap Root', state: 'expired', warnDays: 14 }),
      expect.objectContaining({ name: 'Gap Issuing', state: 'warn', warnDays: 14 }),
    ]);
  } finally {
    await host.stop();
  }
});

test('edge: picking a tenant fills the server name from its custom domain, and the edge trusts a set of issuing CAs', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Set Root');
    await createCa(page, 'issuing', 'Old Issuing');
    await createCa(page, 'issuing', 'New Issuing');
    const rpc = hostRpc(host);
    await rpc('tenants:add', {
      name: 'Acme',
      environment: 'development',
      domain: 'acme.eu.auth0.com',
      customDomain: 'login.acme.test',
      clientId: 'cid',
      clientSecret: 'secret',
    });
    await rpc('tenants:add', {
      name: 'Plain',
      environment: 'development',
      domain: 'plain.eu.auth0.com',
      clientId: 'cid2',
      clientSecret: 's2',
    });

    await page.getByTestId('nav-edge').click();
    const serverName = page.getByTestId('edge-server-name');
    await expect(serverName).toHaveValue('');
    await page.getByTestId('edge-tenant').click();
    await page.getByRole('option', { name: 'Acme (login.acme.test)' }).click();
    await expect(serverName).toHaveValue('login.acme.test');
    // Editable: the operator's change stays.
    await serverName.fill('mtls.acme.test');
    await expect(serverName).toHaveValue('mtls.acme.test');
    // A tenant without a custom domain leaves the server name alone.
    await page.getByTestId('edge-tenant').click();
    await page.getByRole('option', { name: 'Plain (no custom domain)' }).click();
    await expect(serverName).toHaveValue('mtls.acme.test');
    await page.getByTestId('edge-tenant').click();
    await page.getByRole('option', { name: 'Acme (login.acme.test)' }).click();
    await expect(serverName).toHaveValue('login.acme.test');

    // Both issuing CAs, for a rollover: the preview's bundle holds both chains and every CRL.
    // By keyboard: the first issuing CA is chosen already; arrow down opens the list.
    await page.getByTestId('edge-ca').focus();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option', { name: 'New Issuing' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('edge-server-cert').fill('/etc/nginx/tls/edge.crt');
    await page.getByTestId('edge-server-key').fill('/etc/nginx/tls/edge.key');
    await page.getByTestId('edge-upstream').fill('https://acme.edge.tenants.auth0.com');
    await page.getByTestId('edge-cname-file').fill('/etc/nginx/secrets/cname.conf');
    await page.getByTestId('edge-preview').click();
    const preview = page.getByTestId('edge-preview-section');
    await expect(preview).toBeVisible();
    await expect(preview.getByTestId('edge-preview-result')).toContainText('Trusts Old Issuing, Set Root, New Issuing;');
  } finally {
    await host.stop();
  }
});
