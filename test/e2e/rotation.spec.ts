import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { ROTATION_STEP_COUNT, rotationStep } from '../../src/shared/contract/index.ts';
import { createCa } from './app-actions.ts';
import { externalSandbox } from './external-sandbox.ts';
import { hostRpc, type HostRpc } from './host-rpc.ts';
import { expect, startHost, test, type RunningHost } from './web-host-fixture.ts';

async function issueDue(page: Page, commonName: string) {
  await page.getByTestId('nav-inventory').click();
  await page.getByTestId('issue-cert').click();
  const dialog = page.getByTestId('issue-dialog');
  await dialog.getByTestId('issue-cn').fill(commonName);
  await dialog.getByTestId('issue-o').fill('Rotation E2E');
  // 20 days: inside the profile's 30-day renewal window, so it is due at once.
  await dialog.getByTestId('issue-days').fill('20');
  await dialog.getByTestId('issue-submit').click();
  await expect(dialog).toBeHidden();
  await page.keyboard.press('Escape');
}

test('rotation: a due certificate bound at the sandbox is rotated from the Schedule with visible progress', async ({ page, dataDir }) => {
  const host = await startHost(dataDir, { CERTDESK_SANDBOX_DIR: join(dataDir, 'sandbox') });
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Rotation Root');
    await createCa(page, 'issuing', 'Rotation Issuing');
    await issueDue(page, 'rotate-me');

    // The sandbox tenant, and the certificate bound to its demo application.
    await page.getByTestId('nav-tenants').click();
    await page.getByTestId('sandbox-card').getByTestId('sandbox-start').click();
    await expect(page.locator('[data-testid="tenant-row"][data-tenant-name="Sandbox"]')).toBeVisible();
    await page.getByTestId('nav-bindings').click();
    const workspace = page.getByTestId('bindings-workspace');
    await workspace.getByTestId('bind-open').click();
    const bind = page.getByTestId('bind-dialog');
    await bind.getByTestId('bind-cert').click();
    await page.getByRole('option', { name: /rotate-me/ }).click();
    await bind.getByTestId('bind-client').click();
    await page.getByRole('option', { name: 'Demo mTLS client' }).click();
    await bind.getByTestId('bind-api').press('Enter');
    await expect(bind).toBeHidden();
    await workspace.getByTestId('apply-run').click();
    await expect(workspace.getByTestId('apply-outcome')).toHaveAttribute('data-outcome', 'applied');

    // The certificate's panel in the Inventory says where it is live at Auth0, and offers Rotate.
    await page.getByTestId('nav-inventory').click();
    await page.locator('[data-testid="cert-row"]').filter({ hasText: 'rotate-me' }).click();
    const panel = page.getByTestId('cert-bindings');
    await expect(panel).toHaveAttribute('data-count', '1');
    await expect(panel.getByTestId('cert-binding')).toContainText(/on Sandbox/);
    await expect(panel.getByTestId('cert-binding')).toContainText(/cred_/);
    await expect(panel.getByTestId('cert-rotate')).toBeVisible();
    await page.keyboard.press('Escape');

    // The schedule shows it due, and where it is live at Auth0.
    await page.getByTestId('nav-schedule').click();
    const row = page.locator('[data-testid="schedule-row"][data-schedule-name="rotate-me"]');
    await expect(row).toHaveAttribute('data-schedule-state', 'due');
    await expect(row.getByTestId('schedule-credential')).toContainText('on Sandbox, expires_at');
    await expect(page.getByTestId('rotate-all')).toContainText('Rotate all due (1)');
    // On the timeline, the Auth0 credential's expires_at is marked on the certificate's bar.
    await expect(
      page.locator('[data-testid="timeline-bar"][data-schedule-name="rotate-me"]').getByTestId('timeline-credential'),
    ).toHaveCount(1);

    const oldId = await row.getAttribute('data-schedule-id');
    // One click (and the options): the steps show as they happen.
    await row.getByTestId('schedule-rotate').click();
    const dialog = page.getByTestId('rotate-dialog');
    await expect(dialog).toBeVisible();
    // Up front: no delivery target and no edge evidence source, and what that means for the operator.
    await expect(dialog.getByTestId('rotate-delivery-note')).toContainText('install the successor on the workload by hand');
    await expect(dialog.getByTestId('rotate-evidence-note')).toContainText(
      'No edge evidence source: the old credential is removed when the overlap ends',
    );
    await dialog.getByTestId('rotate-overlap').click();
    await page.getByRole('option', { name: /No overlap/ }).click();
    // Turning verification off says what it gives up (here with no overlap either); back on, it is silent.
    await dialog.getByTestId('rotate-verify').uncheck();
    await expect(dialog.getByTestId('rotate-verify-warning')).toContainText(
      'With no overlap either, a broken binding cuts clients off at once',
    );
    await dialog.getByTestId('rotate-verify').check();
    await expect(dialog.getByTestId('rotate-verify-warning')).toHaveCount(0);
    // Verification is on: a real token through the sandbox's own mTLS edge, which trusts certdesk's CAs.
    await expect(dialog.getByTestId('rotate-verify')).toBeChecked();
    await dialog.getByTestId('rotate-start').click();
    await expect(dialog.getByTestId('rotation-outcome')).toHaveAttribute('data-state', 'done');
    // Web mode's stand-in for the OS notification, under the dialog: a toast over the dialog's Close button
    // (bottom right, both) took every click, and a hovered toast never closes.
    await expect(page.getByText('Rotation complete')).toBeVisible();
    const stacking = (locator: typeof dialog) =>
      locator.evaluate((el) => Number(el.ownerDocument.defaultView!.getComputedStyle(el).zIndex));
    expect(await stacking(page.locator('.mantine-Notifications-root').first())).toBeLessThan(
      await stacking(page.locator('.mantine-Modal-inner').filter({ has: dialog })),
    );
    const steps = dialog.getByTestId('rotation-step');
    await expect(steps).toHaveCount(ROTATION_STEP_COUNT);
    for (const [name, status] of [
      ['issue-successor', 'done'],
      ['deliver', 'skipped'],
      ['add-credential', 'done'],
      ['bind-both', 'done'],
      ['verify', 'done'],
      ['remove-old', 'done'],
      ['supersede', 'done'],
    ] as const) {
      const step = rotationStep(name);
      await expect(dialog.locator(`[data-testid="rotation-step"][data-step="${step}"]`)).toHaveAttribute('data-status', status);
    }
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The successor (same name, a full 90 days) replaces it in the schedule; the job is listed as done.
    await expect(page.locator(`[data-testid="schedule-row"][data-schedule-id="${oldId}"]`)).toHaveCount(0);
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-schedule-state', 'ok');
    await expect(row.getByTestId('schedule-credential')).toContainText('on Sandbox, expires_at');
    await expect(page.getByTestId('rotate-all')).toBeDisabled();
    await expect(page.getByTestId('rotation-job').first()).toHaveAttribute('data-state', 'done');

    // Bindings: the successor is bound with its own credential; the old binding is gone.
    await page.getByTestId('nav-bindings').click();
    await expect(workspace.locator('[data-testid="binding-row"][data-state="active"]')).toHaveCount(1);
    await expect(workspace.locator('[data-testid="binding-row"][data-state="active"]').getByTestId('binding-credential-id')).toHaveText(
      /^cred_/,
    );
  } finally {
    await host.stop();
  }
});

/**
 * Three due certificates, each bound to its own application at a sandbox this test runs (the host
 * finds it by its folder); its edge trusts certdesk's CAs and the tenant's flight check points at
 * it, so every rotation is verified with a real token.
 */
async function threeBoundDue(page: Page, host: RunningHost, sandboxDir: string): Promise<{ sandbox: Sandbox; rpc: HostRpc }> {
  await createCa(page, 'root', 'Bulk Root');
  await createCa(page, 'issuing', 'Bulk Issuing');
  for (const cn of ['bulk-a', 'bulk-b', 'bulk-c']) await issueDue(page, cn);
  const rpc = hostRpc(host);
  const trust = await rpc('edge:trust', {});
  const sandbox = await externalSandbox(rpc, sandboxDir, 'Bulk', { edge: { caBundlePem: trust.caBundlePem, crlPem: trust.crlPems } });
  await rpc('tenants:diagnostics', {
    tenant: 'Bulk',
    settings: { edgeAddress: new URL(sandbox.edgeUrl!).host, edgeCaPem: sandbox.edgeServerCaPem!, audience: sandbox.demo!.audience },
  });
  for (const cn of ['bulk-a', 'bulk-b', 'bulk-c']) {
    const app = sandbox.admin.createClient({ name: `app ${cn}` });
    sandbox.admin.grant({ clientId: app.clientId, audience: sandbox.demo!.audience, scopes: [] });
    const cert = (await rpc('certs:list', { search: cn })).items.find((c) => c.commonName === cn)!;
    await rpc('bindings:create', { cert: cert.id, tenant: 'Bulk', clientId: app.clientId, api: sandbox.demo!.audience, pop: true });
  }
  expect((await rpc('auth0:apply', { tenant: 'Bulk' })).outcome).toBe('applied');
  return { sandbox, rpc };
}

/** A web host with three bound due certificates (see `threeBoundDue`); both are stopped afterwards. */
async function bulkScene(page: Page, dataDir: string, run: (scene: { sandbox: Sandbox; rpc: HostRpc }) => Promise<void>): Promise<void> {
  const sandboxDir = join(dataDir, 'sandbox');
  const host = await startHost(dataDir, { CERTDESK_SANDBOX_DIR: sandboxDir });
  let sandbox: Sandbox | undefined;
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    const scene = await threeBoundDue(page, host, sandboxDir);
    sandbox = scene.sandbox;
    await run(scene);
  } finally {
    await host.stop();
    await sandbox?.stop();
  }
}

/** Opens "Rotate all due" from the Schedule and starts it with no overlap, `concurrency` jobs at a time. */
async function startRotateAll(page: Page, concurrency: number): Promise<Locator> {
  await page.getByTestId('nav-schedule').click();
  await expect(page.getByTestId('rotate-all')).toContainText('Rotate all due (3)');
  await page.getByTestId('rotate-all').click();
  const dialog = page.getByTestId('rotate-all-dialog');
  await dialog.getByTestId('rotate-all-concurrency').fill(String(concurrency));
  await dialog.getByTestId('rotate-all-overlap').click();
  await page.getByRole('option', { name: /No overlap/ }).click();
  await dialog.getByTestId('rotate-all-start').click();
  return dialog;
}

test('rotation: "Rotate all due" runs every due certificate with a progress bar, per-item status and a summary', async ({
  page,
  dataDir,
}) => {
  await bulkScene(page, dataDir, async ({ rpc }) => {
    const dialog = await startRotateAll(page, 2);
    const summary = dialog.getByTestId('rotate-all-summary');
    await expect(summary).toHaveAttribute('data-done', '3');
    await expect(summary).toHaveAttribute('data-failed', '0');
    await expect(dialog.locator('[data-testid="rotate-all-item"][data-state="done"]')).toHaveCount(3);
    await expect(dialog.getByTestId('rotate-all-progress')).toBeVisible();
    // Every job went through all its steps, verification included (none was skipped for want of a binding).
    for (const job of await rpc('rotation:list', {})) {
      expect(job.journal.filter((e) => e.phase === 'end').map((e) => e.name)).toEqual([
        'issue-successor',
        'add-credential',
        'bind-both',
        'verify',
        'remove-old',
        'supersede',
      ]);
      expect(job.journal.find((e) => e.step === rotationStep('verify') && e.phase === 'end')?.detail).toMatch(/token bound to x5t#S256/);
    }
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByTestId('rotate-all')).toBeDisabled();
    await expect(page.locator('[data-testid="schedule-row"][data-schedule-kind="leaf"][data-schedule-state="ok"]')).toHaveCount(3);
    await expect(page.locator('[data-testid="rotation-job"][data-state="done"]')).toHaveCount(3);
  });
});

test('rotation: "Rotate all due" can be cancelled from the dialog; the running job stops between steps, the others never start', async ({
  page,
  dataDir,
}) => {
  await bulkScene(page, dataDir, async ({ sandbox }) => {
    // A slow tenant (every Management API answer takes a second), one job at a time: time to cancel.
    sandbox.setFaults({ latencyMs: 1000, appliesTo: 'management' });
    const dialog = await startRotateAll(page, 1);
    await expect(dialog.locator('[data-testid="rotate-all-item"][data-state="running"]')).toHaveCount(1);
    await dialog.getByTestId('rotate-all-cancel').click();

    const summary = dialog.getByTestId('rotate-all-summary');
    await expect(summary).toContainText('3 cancelled');
    await expect(dialog.locator('[data-testid="rotate-all-item"][data-state="cancelled"]')).toHaveCount(3);
    await expect(page.getByText('Rotation cancelled').first()).toBeVisible();
    // Nothing was lost: every application still has a certificate credential bound.
    const apps = sandbox.state().clients.filter((c) => c.name?.startsWith('app bulk-'));
    expect(apps).toHaveLength(3);
    for (const app of apps) expect(app.client_authentication_methods?.tls_client_auth?.credentials.length ?? 0).toBeGreaterThanOrEqual(1);
  });
});
