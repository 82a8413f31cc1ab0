import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import type { EdgeSettings } from '../../src/shared/contract/index.ts';
import { hostRpc } from './host-rpc.ts';
import { operator } from './operator-cli.ts';
import { bindAtSandboxDemo } from './sandbox-binding.ts';
import { expect, startHost, test, type RunningHost } from './web-host-fixture.ts';

/**
 * The README's pictures, taken from a realistic data folder so they never go stale. A normal run
 * drives the same pages and checks what they show; `npm run screenshots` (CERTDESK_SCREENSHOTS=1)
 * also writes docs/screenshots/*.png.
 */
const SHOTS = process.env.CERTDESK_SCREENSHOTS === '1' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : null;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  // Toasts come and go with timing; the picture is of the page.
  await page.screenshot({
    path: join(SHOTS, `${name}.png`),
    animations: 'disabled',
    style: '.mantine-Notifications-root { display: none; }',
  });
}

/** A dozen client certificates: [common name, days]. Under 30 days is inside the renewal window, so due. */
const CERTIFICATES: Array<[string, number]> = [
  ['payments-api-prod', 365],
  ['payments-api-staging', 180],
  ['ledger-sync', 14],
  ['invoice-worker', 90],
  ['risk-scoring', 21],
  ['partner-gateway-eu', 365],
  ['partner-gateway-us', 365],
  ['reporting-batch', 60],
  ['kyc-verifier', 27],
  ['mobile-bff', 120],
  ['audit-exporter', 200],
  ['settlement-cron', 45],
];
const DUE = CERTIFICATES.filter(([, days]) => days < 30).length;

const EDGE: EdgeSettings = {
  serverName: 'auth.acme-payments.example',
  listen: '443',
  serverCertificatePath: '/etc/nginx/tls/edge.crt',
  serverKeyPath: '/etc/nginx/tls/edge.key',
  upstream: 'https://acme-payments.edge.tenants.auth0.com',
  cnameApiKeyInclude: '/etc/nginx/secrets/cname-api-key.conf',
  bundleDir: '/etc/nginx/certdesk',
};

/**
 * The operator's data folder: a root and an issuing CA, the certificates, the sandbox tenant with the
 * first certificate bound to its demo application, and (with `edge`) an edge publication.
 */
async function seed(host: RunningHost, dataDir: string, certificates: Array<[string, number]>, edge: boolean): Promise<void> {
  const rpc = hostRpc(host);
  const root = await rpc('ca:create', { name: 'Acme Root CA', keyType: 'ec-p384' });
  const issuing = await rpc('ca:create', { name: 'Acme Issuing CA 2026', parent: root.id, keyType: 'ec-p256' });
  const ids: string[] = [];
  for (const [commonName, days] of certificates) {
    const subject = { commonName, organization: 'Acme Payments', country: 'US' };
    ids.push((await rpc('certs:issue', { ca: issuing.id, subject, days, source: { kind: 'generated' } })).id);
  }
  await rpc('sandbox:start', {});
  await bindAtSandboxDemo(rpc, ids[0]!);
  if (!edge) return;
  await operator(dataDir, ['edge', 'folder', 'set', join(dataDir, 'edge-out')]);
  await operator(dataDir, [
    ...['edge', 'settings', 'set', '--server-name', EDGE.serverName, '--listen', EDGE.listen],
    ...['--server-cert', EDGE.serverCertificatePath, '--server-key', EDGE.serverKeyPath, '--upstream', EDGE.upstream],
    ...['--cname-api-key-file', EDGE.cnameApiKeyInclude, '--bundle-dir', EDGE.bundleDir, '--ca', issuing.name],
  ]);
  await rpc('edge:publish', { ca: issuing.id, settings: EDGE });
}

async function open(page: Page, host: RunningHost): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  await expect(page.getByTestId('app-ready')).toBeVisible();
}

test('README screenshots: Schedule, Inventory, a certificate, Authorities and Edge of a seeded data folder', async ({ page, dataDir }) => {
  const host = await startHost(dataDir, { CERTDESK_SANDBOX_DIR: join(dataDir, 'sandbox') });
  try {
    await seed(host, dataDir, CERTIFICATES, true);
    await open(page, host);

    // ── Schedule ──
    await page.getByTestId('nav-schedule').click();
    await expect(page.getByTestId('schedule-row')).toHaveCount(CERTIFICATES.length + 2);
    await expect(page.getByTestId('due-banner')).toHaveAttribute('data-due-count', String(DUE));
    // Most urgent first: the due certificates lead.
    await expect(page.locator('[data-testid="schedule-row"][data-schedule-state="due"]')).toHaveCount(DUE);
    await expect(page.getByTestId('schedule-row').first()).toHaveAttribute('data-schedule-state', 'due');
    await shot(page, 'schedule');

    // ── Inventory, and one certificate's drawer ──
    await page.getByTestId('nav-inventory').click();
    await expect(page.getByTestId('cert-row')).toHaveCount(CERTIFICATES.length);
    await shot(page, 'inventory');
    await page.getByTestId('cert-row').filter({ hasText: CERTIFICATES[0]![0] }).click();
    const detail = page.getByTestId('cert-detail');
    await expect(detail.getByTestId('cert-detail-subject')).toContainText(`CN=${CERTIFICATES[0]![0]}`);
    await expect(detail.getByTestId('cert-bindings')).toHaveAttribute('data-count', '1');
    await shot(page, 'certificate');
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();

    // ── Authorities ──
    await page.getByTestId('nav-authorities').click();
    await expect(page.getByTestId('ca-row')).toHaveCount(2);
    await expect(page.locator('[data-testid="ca-row"][data-ca-name="Acme Issuing CA 2026"]')).toBeVisible();
    await shot(page, 'authorities');

    // ── Edge: the approved settings and the publication ──
    await page.getByTestId('nav-edge').click();
    await expect(page.getByTestId('edge-history-row')).toHaveCount(1);
    await expect(page.getByTestId('edge-history-row')).toContainText(EDGE.serverName);
    await page.getByTestId('edge-use-approved').click();
    await expect(page.getByTestId('edge-settings-approved')).toBeVisible();
    await shot(page, 'edge');
  } finally {
    await host.stop();
  }
});

test('README screenshots: Diagnostics, the flight check started from the command palette, passes at the sandbox', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir, { CERTDESK_SANDBOX_DIR: join(dataDir, 'sandbox') });
  try {
    await seed(host, dataDir, CERTIFICATES.slice(0, 1), false);
    await open(page, host);
    // Typed at once after Ctrl+K, as an operator does: no key is lost while the palette opens.
    await page.keyboard.press('Control+K');
    await page.keyboard.type('run diagnostics');
    await expect(page.getByTestId('command-palette-input')).toHaveValue('run diagnostics');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('diagnostics-summary')).toHaveAttribute('data-ok', 'true');
    await expect(page.getByTestId('diagnostic-stage')).toHaveCount(8);
    await shot(page, 'diagnostics');
  } finally {
    await host.stop();
  }
});

test('README screenshots: Transfer on an offline signer, ready to pair', async ({ page, dataDir }) => {
  // The operator makes the folder an offline signer at the terminal: only then does the Transfer page exist.
  await operator(dataDir, ['ca', 'create', '--name', 'Acme Offline Root']);
  await operator(dataDir, ['role', 'set', 'signer', '--confirm', 'signer']);
  const host = await startHost(dataDir);
  try {
    await open(page, host);
    await expect(page.getByTestId('workstation-role')).toHaveAttribute('data-role', 'signer');
    await page.getByTestId('nav-transfer').click();
    await expect(page.getByTestId('transfer-page')).toBeVisible();
    await expect(page.getByTestId('pair-own-fingerprint')).not.toBeEmpty();
    await shot(page, 'transfer');
  } finally {
    await host.stop();
  }
});
