import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Page } from '@playwright/test';
import { createCa } from './app-actions.ts';
import { operator } from './operator-cli.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

/**
 * The reload presets run `nginx` and `docker` from the web host's PATH, without a shell. These
 * stand-ins print what nginx would and exit as it would; `docker exec edge-broken …` fails as a
 * broken configuration does.
 */
function reloadTools(dataDir: string): NodeJS.ProcessEnv {
  const bin = join(dataDir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'nginx'), '#!/bin/sh\necho "nginx $*: reloaded"\n', { mode: 0o755 });
  writeFileSync(
    join(bin, 'docker'),
    '#!/bin/sh\nif [ "$2" = edge-broken ]; then echo "nginx: [emerg] bad config" >&2; exit 3; fi\necho reloaded\n',
    { mode: 0o755 },
  );
  return { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
}

async function issue(page: Page, commonName: string, days: number) {
  await page.getByTestId('nav-inventory').click();
  await page.getByTestId('issue-cert').click();
  const dialog = page.getByTestId('issue-dialog');
  await dialog.getByTestId('issue-cn').fill(commonName);
  await dialog.getByTestId('issue-days').fill(String(days));
  await dialog.getByTestId('issue-submit').click();
  await expect(dialog).toBeHidden();
  // The new certificate opens in the detail panel; close it before the next step.
  await expect(page.getByTestId('cert-detail')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('cert-detail')).toBeHidden();
}

/**
 * Away to the Schedule and back, so the Edge page mounts again and reads what the operator changed
 * from the CLI. The Schedule must have rendered first: a lazy page whose chunk is still loading keeps
 * the Edge page on screen, and a second click would land on the same, never re-read, page.
 */
async function leaveAndReturnToEdge(page: Page): Promise<void> {
  await page.getByTestId('nav-schedule').click();
  await expect(page.getByRole('heading', { level: 2, name: 'Schedule' })).toBeVisible();
  await page.getByTestId('nav-edge').click();
}
test('schedule: urgency order, due banner, heat map, .ics; edge: preview, publish, history', async ({ page, dataDir }) => {
  const host = await startHost(dataDir, reloadTools(dataDir));
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Schedule Root');
    await createCa(page, 'issuing', 'Schedule Issuing');
    // Nothing is due yet: CAs renew years ahead.
    await expect(page.getByTestId('due-banner')).toHaveCount(0);

    await issue(page, 'long-lived', 90);
    await issue(page, 'short-lived', 10);

    // ── Schedule ──
    await page.getByTestId('nav-schedule').click();
    const rows = page.getByTestId('schedule-row');
    await expect(rows).toHaveCount(4);
    // Most urgent first: a 10-day certificate starts inside its 30-day renewal window, so it is due at once.
    await expect(rows.first()).toHaveAttribute('data-schedule-name', 'short-lived');
    await expect(rows.first()).toHaveAttribute('data-schedule-state', 'due');
    await expect(rows.first()).toHaveAttribute('data-schedule-kind', 'leaf');
    await expect(page.locator('[data-testid="schedule-row"][data-schedule-name="long-lived"]')).toHaveAttribute(
      'data-schedule-state',
      'ok',
    );
    await expect(page.locator('[data-testid="schedule-row"][data-schedule-kind="ca"]')).toHaveCount(2);
    await expect(page.locator('[data-testid="schedule-count"][data-state="due"]')).toHaveAttribute('data-count', '1');

    // The banner counts what is due, on every page.
    const banner = page.getByTestId('due-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toHaveAttribute('data-due-count', '1');

    // The heat map: 26 ISO weeks, the short certificate's renewal (due now) in this week.
    const weeks = page.getByTestId('heatmap-week');
    await expect(weeks).toHaveCount(26);
    await expect(weeks.first()).toHaveAttribute('data-count', /^[1-9]/);
    expect(await page.locator('[data-testid="heatmap-week"]:not([data-count="0"])').count()).toBeGreaterThan(0);
    // Keyboard: the first week is the tab stop; the arrow key moves focus to the next.
    await weeks.first().focus();
    await page.keyboard.press('ArrowRight');
    await expect(weeks.nth(1)).toBeFocused();

    // The timeline: an image with a summary, one bar per item.
    const timeline = page.getByTestId('schedule-timeline');
    await expect(timeline).toHaveAttribute('role', 'img');
    await expect(timeline).toHaveAttribute('aria-label', /2 CAs and 2 certificates/);
    await expect(page.getByTestId('timeline-bar')).toHaveCount(4);

    // "Within 30 days" leaves the due certificate only.
    await page.getByTestId('schedule-within').fill('30');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-schedule-name', 'short-lived');
    await page.getByTestId('schedule-within').fill('');
    await expect(rows).toHaveCount(4);

    // A leaf row opens the certificate's detail panel, from the keyboard too.
    await rows.first().focus();
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('cert-detail');
    await expect(detail).toBeVisible();
    await expect(detail.getByTestId('cert-detail-subject')).toContainText('CN=short-lived');
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();

    // The calendar file.
    const download = page.waitForEvent('download');
    await page.getByTestId('schedule-ics').click();
    const icsPath = join(dataDir, 'schedule.ics');
    await (await download).saveAs(icsPath);
    const ics = readFileSync(icsPath, 'utf8');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('SUMMARY:Renew short-lived');

    // ── Edge ──
    await page.getByTestId('nav-edge').click();
    await expect(banner).toHaveAttribute('data-due-count', '1');
    await expect(page.getByTestId('edge-listen')).toHaveValue('443');
    await expect(page.getByTestId('edge-history-empty')).toBeVisible();
    await page.getByTestId('edge-server-name').fill('auth.example.com');
    await page.getByTestId('edge-server-cert').fill('/etc/nginx/tls/edge.crt');
    await page.getByTestId('edge-server-key').fill('/etc/nginx/tls/edge.key');
    await page.getByTestId('edge-upstream').fill('https://tenant.edge.tenants.auth0.com/oauth');
    await page.getByTestId('edge-cname-file').fill('/etc/nginx/certdesk/cname.conf');
    await page.getByTestId('edge-bundle-dir').fill('/etc/nginx/certdesk');

    // Mistakes are shown on their fields before anything is sent.
    await page.getByTestId('edge-preview').click();
    await expect(page.getByText('An origin only: https://host')).toBeVisible();
    await expect(page.getByText('Keep it outside /etc/nginx/certdesk')).toBeVisible();
    await expect(page.getByTestId('edge-preview-result')).toHaveCount(0);
    await page.getByTestId('edge-upstream').fill('https://tenant.edge.tenants.auth0.com');
    await page.getByTestId('edge-cname-file').fill('/etc/nginx/secrets/cname-api-key.conf');

    await page.getByTestId('edge-preview').click();
    const config = page.locator('[data-testid="edge-preview-file"][data-file="certdesk-edge.conf"]');
    await expect(config).toContainText('ssl_verify_client      on;');
    await expect(config).toContainText('server_name auth.example.com;');
    await expect(page.getByTestId('edge-preview-tab')).toHaveCount(4);
    await page.locator('[data-testid="edge-preview-tab"][data-file="ca-bundle.pem"]').click();
    await expect(page.locator('[data-testid="edge-preview-file"][data-file="ca-bundle.pem"]')).toBeVisible();
    await expect(page.locator('[data-testid="edge-preview-file"][data-file="ca-bundle.pem"]')).toContainText('BEGIN CERTIFICATE');

    // Publish into a folder of the test's data dir, with a reload command that succeeds.
    const outDir = join(dataDir, 'edge-out');
    // Web mode can neither choose the folder nor approve settings: the page says what the operator runs on this machine.
    await expect(page.getByTestId('edge-folder-missing')).toContainText('certdesk edge folder set DIR');
    await operator(dataDir, ['edge', 'folder', 'set', outDir]);
    const approve = (await page.getByTestId('edge-approve-command').textContent()) ?? '';
    expect(approve).toMatch(/^certdesk edge settings set --server-name auth\.example\.com /);
    await operator(dataDir, approve.split(' ').slice(1));
    await leaveAndReturnToEdge(page);
    await expect(page.getByTestId('edge-out-dir')).toHaveValue(outDir);
    await expect(page.getByTestId('edge-settings-approved')).toBeVisible();
    await page.getByTestId('edge-reload').selectOption('nginx');
    await page.getByTestId('edge-publish').click();
    const confirm = page.getByTestId('edge-publish-dialog');
    await expect(confirm).toBeVisible();
    await expect(confirm.getByTestId('edge-publish-dir')).toContainText(outDir);
    await expect(confirm.getByTestId('edge-publish-reload')).toContainText('nginx -t → nginx -s reload');
    await confirm.getByTestId('edge-publish-confirm').click();
    await expect(confirm).toBeHidden();
    const result = page.getByTestId('edge-publish-result');
    await expect(result).toHaveAttribute('data-reload-status', '0');
    await expect(result.getByTestId('edge-reload-output')).toContainText('reloaded');
    await expect(result.getByTestId('edge-reload-output')).toContainText('nginx -s reload: reloaded');
    for (const file of ['certdesk-edge.conf', 'ca-bundle.pem', 'crl.pem', 'README.md']) expect(existsSync(join(outDir, file))).toBe(true);
    expect(readFileSync(join(outDir, 'ca-bundle.pem'), 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(readFileSync(join(outDir, 'certdesk-edge.conf'), 'utf8')).toContain('include /etc/nginx/secrets/cname-api-key.conf;');

    const history = page.getByTestId('edge-history-row');
    await expect(history).toHaveCount(1);
    await expect(history.first()).toContainText('Schedule Issuing');
    await expect(history.first()).toContainText(outDir);
    await expect(history.first().getByTestId('edge-history-reload')).toHaveText('exit 0');
    await expect(history.first().getByTestId('edge-history-reload')).toHaveAttribute(
      'data-argv',
      '[["nginx","-t"],["nginx","-s","reload"]]',
    );

    // The banner is dismissed for the session: gone after a reload too. The edge settings are remembered.
    await banner.getByTestId('due-banner-dismiss').click();
    await expect(banner).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await page.getByTestId('nav-edge').click();
    await expect(page.getByTestId('edge-server-name')).toHaveValue('auth.example.com');
    await expect(page.getByTestId('edge-out-dir')).toHaveValue(outDir);
    await expect(page.getByTestId('edge-history-row')).toHaveCount(1);
    await page.getByTestId('nav-schedule').click();
    await expect(page.getByTestId('schedule-row')).toHaveCount(4);
    await expect(page.getByTestId('due-banner')).toHaveCount(0);

    // Dismissed for what it showed: a certificate falling due since brings it back, counting both, at the
    // next check (the next page change).
    await issue(page, 'short-lived-2', 10);
    await page.getByTestId('nav-authorities').click();
    await expect(page.getByTestId('due-banner')).toHaveAttribute('data-due-count', '2');
    await page.getByTestId('due-banner-dismiss').click();
    await expect(page.getByTestId('due-banner')).toHaveCount(0);
  } finally {
    await host.stop();
  }
});

test('edge errors: a server field error on its field, an unwritable folder in the dialog, a failed reload in red', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir, reloadTools(dataDir));
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await page.getByTestId('nav-edge').click();
    await expect(page.getByTestId('edge-empty')).toBeVisible();
    await createCa(page, 'root', 'Edge Root');
    await createCa(page, 'issuing', 'Edge Issuing');
    await page.getByTestId('nav-edge').click();
    await page.getByTestId('edge-server-name').fill('auth.example.com');
    await page.getByTestId('edge-server-cert').fill('/etc/nginx/tls/edge.crt');
    await page.getByTestId('edge-server-key').fill('/etc/nginx/tls/edge.key');
    await page.getByTestId('edge-upstream').fill('https://tenant.edge.tenants.auth0.com');
    await page.getByTestId('edge-cname-file').fill('/etc/nginx/secrets/cname-api-key.conf');

    // A limit only the server checks: its error lands on the field it names (`settings.serverCertificatePath`).
    const longPath = `/${'a'.repeat(5000)}`;
    await page.getByTestId('edge-server-cert').fill(longPath);
    await page.getByTestId('edge-preview').click();
    await expect(page.getByTestId('edge-server-cert')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText(/serverCertificatePath is longer than 4096/)).toBeVisible();
    await expect(page.getByTestId('edge-server-cert')).toBeFocused();
    await page.getByTestId('edge-server-cert').fill('/etc/nginx/tls/edge.crt');

    // The operator approves these settings and sets a folder main cannot create (its parent is a file): main names `dir`,
    // the error stays in the dialog, the form keeps everything.
    // The command follows the form as it renders: read it once it carries the restored path and the issuing CA.
    const approveCommand = page.getByTestId('edge-approve-command');
    await expect(approveCommand).toContainText('--server-cert /etc/nginx/tls/edge.crt ');
    await expect(approveCommand).toContainText(/--ca \S+$/);
    await operator(dataDir, ((await approveCommand.textContent()) ?? '').split(' ').slice(1));
    await operator(dataDir, ['edge', 'folder', 'set', join(dataDir, 'certdesk.sqlite3', 'edge')]);
    await leaveAndReturnToEdge(page);
    await expect(page.getByTestId('edge-settings-approved')).toBeVisible();
    await page.getByTestId('edge-publish').click();
    const confirm = page.getByTestId('edge-publish-dialog');
    await confirm.getByTestId('edge-publish-confirm').click();
    await expect(confirm.getByTestId('edge-publish-error')).toBeVisible();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByTestId('edge-publish-result')).toHaveCount(0);
    await expect(page.getByTestId('edge-history-empty')).toBeVisible();
    await expect(page.getByTestId('edge-server-name')).toHaveValue('auth.example.com');

    await operator(dataDir, ['edge', 'folder', 'set', join(dataDir, 'edge-fail')]);
    await leaveAndReturnToEdge(page);
    await expect(page.getByTestId('edge-out-dir')).toHaveValue(join(dataDir, 'edge-fail'));
    // A container name that is not one is refused on its field before anything is sent.
    await page.getByTestId('edge-reload').selectOption('docker');
    await page.getByTestId('edge-reload-container').fill('edge; touch /tmp/x');
    await page.getByTestId('edge-publish').click();
    await expect(page.getByTestId('edge-reload-container')).toHaveAttribute('aria-invalid', 'true');
    await expect(confirm).toBeHidden();
    await page.getByTestId('edge-reload-container').fill('edge-broken');
    await page.getByTestId('edge-publish').click();
    await confirm.getByTestId('edge-publish-confirm').click();
    const result = page.getByTestId('edge-publish-result');
    await expect(result).toHaveAttribute('data-reload-status', '3');
    await expect(result.getByTestId('edge-reload-status')).toHaveText('exit 3');
    await expect(result.getByTestId('edge-reload-output')).toContainText('[emerg] bad config');
    await expect(page.getByTestId('edge-history-row').first()).toHaveAttribute('data-reload-status', '3');
    // The schedule has the two CAs, nothing due: no banner.
    await page.getByTestId('nav-schedule').click();
    await expect(page.getByTestId('schedule-row')).toHaveCount(2);
    await expect(page.getByTestId('due-banner')).toHaveCount(0);
  } finally {
    await host.stop();
  }
});
