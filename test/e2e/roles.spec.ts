import { hostRpc } from './host-rpc.ts';
import { operator } from './operator-cli.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

const NETWORK_PAGES = ['tenants', 'bindings', 'edge', 'diagnostics'];
const LOCAL_PAGES = ['authorities', 'inventory', 'schedule', 'audit', 'settings'];

test('roles: an offline signer shows its badge, hides every networked page, and its channels refuse ROLE_OFFLINE', async ({
  page,
  dataDir,
}) => {
  // The operator sets the role at the terminal before the host starts: no channel can.
  await operator(dataDir, ['role', 'set', 'signer', '--confirm', 'signer']);
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    const badge = page.getByTestId('workstation-role');
    await expect(badge).toHaveText('Offline signer');
    await expect(badge).toHaveAttribute('data-role', 'signer');

    for (const id of LOCAL_PAGES) await expect(page.getByTestId(`nav-${id}`)).toBeVisible();
    for (const id of NETWORK_PAGES) await expect(page.getByTestId(`nav-${id}`)).toHaveCount(0);
    // A signer makes its CAs: creation stays.
    await expect(page.getByTestId('new-root-ca')).toBeVisible();

    // A hidden page's channel, called straight through the host, is refused by the main process.
    const rpc = hostRpc(host);
    await expect(
      rpc('tenants:add', { name: 'Acme', environment: 'development', domain: 'acme.test', clientId: 'cid', clientSecret: 'secret' }),
    ).rejects.toThrow(/tenants:add failed: ROLE_OFFLINE \(role\): This data folder is an offline signer/);
    await expect(rpc('diagnostics:run', { tenant: 'Acme', clientId: 'cid' })).rejects.toThrow(/ROLE_OFFLINE/);
    expect(await rpc('tenants:list', {})).toEqual([]);
    expect(await rpc('app:info', {})).toMatchObject({ role: 'signer' });
  } finally {
    await host.stop();
  }
});

test('roles: a publisher shows its badge and offers no CA creation or issuing; ca:create is refused ROLE_NO_CA_KEY', async ({
  page,
  dataDir,
}) => {
  await operator(dataDir, ['role', 'set', 'publisher', '--confirm', 'publisher']);
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await expect(page.getByTestId('workstation-role')).toHaveText('Publisher');
    for (const id of [...LOCAL_PAGES, ...NETWORK_PAGES]) await expect(page.getByTestId(`nav-${id}`)).toBeVisible();

    await expect(page.getByTestId('ca-empty-publisher')).toBeVisible();
    await expect(page.getByTestId('new-root-ca')).toHaveCount(0);
    await expect(page.getByTestId('empty-create-root')).toHaveCount(0);
    await page.getByTestId('nav-inventory').click();
    await expect(page.getByTestId('cert-import')).toBeVisible();
    await expect(page.getByTestId('issue-cert')).toHaveCount(0);

    await expect(hostRpc(host)('ca:create', { name: 'Root' })).rejects.toThrow(/ca:create failed: ROLE_NO_CA_KEY \(role\)/);
    expect(await hostRpc(host)('ca:list', {})).toEqual([]);
  } finally {
    await host.stop();
  }
});

test('roles: a standalone folder shows no role badge and every page', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    for (const id of [...LOCAL_PAGES, ...NETWORK_PAGES]) await expect(page.getByTestId(`nav-${id}`)).toBeVisible();
    await expect(page.getByTestId('workstation-role')).toHaveCount(0);
    await expect(page.getByTestId('new-root-ca')).toBeVisible();
  } finally {
    await host.stop();
  }
});
