import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { createCa } from './app-actions.ts';
import { externalSandbox } from './external-sandbox.ts';
import { hostRpc } from './host-rpc.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

/** Issues a client certificate through the Inventory page's form and closes its detail panel. */
async function issue(page: Page, commonName: string) {
  await page.getByTestId('nav-inventory').click();
  await page.getByTestId('issue-cert').click();
  const dialog = page.getByTestId('issue-dialog');
  await dialog.getByTestId('issue-cn').fill(commonName);
  await dialog.getByTestId('issue-o').fill('Bindings E2E');
  await dialog.getByTestId('issue-submit').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('cert-detail')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('cert-detail')).toBeHidden();
}

/** Opens a Mantine select and picks the option whose name contains `name`. */
async function choose(page: Page, select: ReturnType<Page['getByTestId']>, name: string) {
  await select.click();
  await page.getByRole('option', { name }).click();
}

test('bindings: sandbox started from Tenants, bind with PoP → plan → apply step by step → no changes; the only binding cannot be unbound', async ({
  page,
  dataDir,
}) => {
  // The sandbox keeps its state inside the test's data folder, never in ~/.certdesk-sandbox; the host stops it on exit.
  const host = await startHost(dataDir, { CERTDESK_SANDBOX_DIR: join(dataDir, 'sandbox') });
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Bindings Root');
    await createCa(page, 'issuing', 'Bindings Issuing');
    await issue(page, 'bindings-client');

    // ── Bindings before any tenant: the empty state says what to do ──
    await page.getByTestId('nav-bindings').click();
    await expect(page.getByTestId('bindings-no-tenants')).toContainText('Tenants page');
    await page.getByTestId('bindings-open-tenants').click();

    // ── Tenants: start the sandbox, the "Sandbox" development tenant appears ──
    await expect(page.getByTestId('tenants-empty')).toBeVisible();
    const card = page.getByTestId('sandbox-card');
    await expect(card.getByTestId('sandbox-status')).toHaveAttribute('data-running', 'false');
    await expect(card.getByTestId('sandbox-stop')).toHaveCount(0);
    await card.getByTestId('sandbox-start').click();
    await expect(card.getByTestId('sandbox-status')).toHaveAttribute('data-owner', 'this-app');
    await expect(card.getByTestId('sandbox-tenant')).toContainText('Sandbox');
    await expect(card.getByTestId('sandbox-dir')).toContainText(join(dataDir, 'sandbox'));
    // Both CAs existed before the start, so the sandbox has an mTLS edge that trusts them.
    await expect(card.getByTestId('sandbox-edge-url')).toContainText(/https:\/\/127\.0\.0\.1:\d+/);
    await expect(card.getByTestId('sandbox-edge-note')).toContainText('follows their CRLs');
    const sandboxRow = page.locator('[data-testid="tenant-row"][data-tenant-name="Sandbox"]');
    await expect(sandboxRow).toBeVisible();
    await expect(sandboxRow).toHaveAttribute('data-tenant-env', 'development');

    // ── Bindings: the only tenant is chosen, nothing bound yet ──
    await page.getByTestId('nav-bindings').click();
    const workspace = page.getByTestId('bindings-workspace');
    await expect(workspace).toHaveAttribute('data-tenant-name', 'Sandbox');
    await expect(workspace.getByTestId('bindings-empty')).toBeVisible();
    await expect(workspace.getByTestId('outbox-empty')).toBeVisible();

    // ── Bind the certificate to the demo application, with PoP ──
    await workspace.getByTestId('bind-open').click();
    const bind = page.getByTestId('bind-dialog');
    await expect(bind).toBeVisible();
    await expect(bind.getByTestId('bind-cert')).toBeFocused();
    await choose(page, bind.getByTestId('bind-cert'), 'bindings-client');
    // The tenant's applications, without certdesk's own M2M application.
    await bind.getByTestId('bind-client').click();
    await expect(page.getByRole('option')).toHaveCount(1);
    await page.getByRole('option', { name: 'Demo mTLS client' }).click();
    await bind.getByTestId('bind-pop').check();
    await expect(bind.getByTestId('bind-pop')).toBeChecked();
    // Enter submits the form.
    await bind.getByTestId('bind-api').press('Enter');
    await expect(bind).toBeHidden();

    const row = workspace.getByTestId('binding-row');
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-state', 'active');
    await expect(row.getByTestId('binding-subject')).toContainText('CN=bindings-client');
    await expect(row.getByTestId('binding-credential-id')).toHaveText('not created yet');
    await expect(row.getByTestId('binding-pop')).toBeVisible();
    await expect(workspace.getByTestId('outbox-item')).toHaveCount(1);
    await expect(workspace.getByTestId('outbox-item')).toHaveAttribute('data-state', 'pending');

    // ── Plan: three steps, a readable diff, no drift ──
    await workspace.getByTestId('plan-run').click();
    const steps = workspace.getByTestId('plan-step');
    await expect(steps).toHaveCount(3);
    await expect(steps.nth(0)).toHaveAttribute('data-kind', 'create-credential');
    await expect(steps.nth(1)).toHaveAttribute('data-kind', 'set-auth-methods');
    await expect(steps.nth(2)).toHaveAttribute('data-kind', 'set-client-pop');
    await expect(steps.nth(0).getByTestId('plan-step-before')).toContainText('- absent');
    await expect(steps.nth(2).getByTestId('plan-step-before')).toContainText('require_proof_of_possession false');
    await expect(steps.nth(2).getByTestId('plan-step-after')).toContainText('require_proof_of_possession true');
    await expect(workspace.getByTestId('plan-drift')).toHaveCount(0);
    await expect(workspace.getByTestId('apply-run')).toBeEnabled();

    // ── Apply: every step done, the binding gets its credential id, the outbox entry is done ──
    await workspace.getByTestId('apply-run').click();
    const outcome = workspace.getByTestId('apply-outcome');
    await expect(outcome).toHaveAttribute('data-outcome', 'applied');
    await expect(outcome).toContainText('Applied 3 changes to "Sandbox"');
    const applied = workspace.getByTestId('apply-step');
    await expect(applied).toHaveCount(3);
    for (let index = 0; index < 3; index += 1) await expect(applied.nth(index)).toHaveAttribute('data-status', 'done');
    await expect(row).toHaveAttribute('data-credential-id', /^cred_/);
    await expect(row.getByTestId('binding-credential-id')).toHaveText(/^cred_/);
    await expect(row.getByTestId('binding-applied-at')).not.toHaveText('not yet');
    await expect(workspace.getByTestId('outbox-item')).toHaveAttribute('data-state', 'done');

    // The plan is read again after apply: nothing left to do.
    await expect(workspace.getByTestId('plan-empty')).toBeVisible();
    await expect(workspace.getByTestId('plan-step')).toHaveCount(0);
    await expect(workspace.getByTestId('plan-client')).toContainText('Demo mTLS client');

    // ── Unbinding the only binding is refused with the server's reason ──
    await row.getByTestId('binding-unbind').click();
    const unbind = page.getByTestId('unbind-dialog');
    await expect(unbind).toBeVisible();
    await expect(unbind.getByTestId('unbind-confirm')).toHaveCount(0);
    await unbind.getByTestId('unbind-submit').click();
    const refused = unbind.getByTestId('unbind-error');
    await expect(refused).toHaveAttribute('data-code', 'CONFLICT');
    await expect(refused).toContainText('It is the only certificate bound to');
    await page.keyboard.press('Escape');
    await expect(unbind).toBeHidden();
    await expect(row).toHaveAttribute('data-state', 'active');

    // ── The sandbox stops from the Tenants page ──
    await page.getByTestId('nav-tenants').click();
    await card.getByTestId('sandbox-stop').click();
    await expect(card.getByTestId('sandbox-status')).toHaveAttribute('data-running', 'false');
    await expect(card.getByTestId('sandbox-start')).toBeVisible();
  } finally {
    await host.stop();
  }
});

test('bindings on an unreachable production tenant: client id by hand, apply needs the typed name and is queued, unbind asks for the name too', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir, { CERTDESK_SANDBOX_DIR: join(dataDir, 'sandbox') });
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Prod Root');
    await createCa(page, 'issuing', 'Prod Issuing');
    await issue(page, 'prod-client');

    // A production tenant nobody can reach: `.invalid` never resolves (RFC 6761).
    await page.getByTestId('nav-tenants').click();
    await page.getByTestId('tenant-add').click();
    const add = page.getByTestId('tenant-add-dialog');
    await add.getByTestId('tenant-name').fill('acme-prod');
    await add.getByTestId('tenant-env').getByText('Production', { exact: true }).click();
    await add.getByTestId('tenant-domain').fill('prod.unreachable.invalid');
    await add.getByTestId('tenant-client-id').fill('e2eProdClient');
    await add.getByTestId('tenant-client-secret').fill('e2e-Prod-Secret-bindings');
    await add.getByTestId('tenant-add-submit').click();
    await expect(add).toBeHidden();

    await page.getByTestId('nav-bindings').click();
    const workspace = page.getByTestId('bindings-workspace');
    await expect(workspace).toHaveAttribute('data-tenant-env', 'production');
    await expect(workspace.getByTestId('bindings-production')).toBeVisible();

    // The applications cannot be listed: the client id is typed by hand.
    await workspace.getByTestId('bind-open').click();
    const bind = page.getByTestId('bind-dialog');
    await choose(page, bind.getByTestId('bind-cert'), 'prod-client');
    const offline = bind.getByTestId('bind-clients-error');
    // Main reports a tenant it gave up on after retries as unavailable (a single try as unreachable).
    await expect(offline).toHaveAttribute('data-code', /^AUTH0_(UNREACHABLE|UNAVAILABLE)$/);
    await expect(offline).toContainText('prod.unreachable.invalid could not be reached');
    // A field error lands on its field, with the cursor in it.
    await bind.getByTestId('bind-submit').click();
    await expect(bind.getByTestId('bind-client-id')).toBeFocused();
    await expect(bind).toContainText('Type the application’s client ID');
    await bind.getByTestId('bind-client-id').fill('prodAppClientId');
    await bind.getByTestId('bind-client-id').press('Enter');
    await expect(bind).toBeHidden();
    const row = workspace.getByTestId('binding-row');
    await expect(row).toHaveAttribute('data-client-id', 'prodAppClientId');
    await expect(workspace.getByTestId('outbox-item')).toHaveAttribute('data-state', 'pending');

    // Plan cannot read the tenant: the error is shown as main wrote it.
    await workspace.getByTestId('plan-run').click();
    const planError = workspace.getByTestId('plan-error');
    await expect(planError).toHaveAttribute('data-code', /^AUTH0_(UNREACHABLE|UNAVAILABLE)$/);
    await expect(planError).toContainText('prod.unreachable.invalid could not be reached');

    // Apply asks for the tenant's name first, then the work is queued in the outbox.
    await workspace.getByTestId('apply-run').click();
    const confirm = page.getByTestId('apply-confirm-dialog');
    await expect(confirm).toBeVisible();
    const go = confirm.getByTestId('apply-confirm-submit');
    await expect(go).toBeDisabled();
    await confirm.getByTestId('apply-confirm-input').fill('ACME-PROD');
    await expect(go).toBeDisabled();
    await confirm.getByTestId('apply-confirm-input').fill('acme-prod');
    await expect(go).toBeEnabled();
    await go.click();
    await expect(confirm).toBeHidden();
    await expect(workspace.getByTestId('apply-outcome')).toHaveAttribute('data-outcome', 'queued');
    const item = workspace.getByTestId('outbox-item');
    await expect(item).toHaveAttribute('data-state', 'pending');
    await expect(item.getByTestId('outbox-last-error')).toContainText('prod.unreachable.invalid');
    await expect(row.getByTestId('binding-credential-id')).toHaveText('not created yet');

    // Unbinding on production needs the name too; then the last binding is still refused.
    await row.getByTestId('binding-unbind').click();
    const unbind = page.getByTestId('unbind-dialog');
    await expect(unbind.getByTestId('unbind-submit')).toBeDisabled();
    await unbind.getByTestId('unbind-confirm').fill('acme-prod');
    await unbind.getByTestId('unbind-submit').click();
    await expect(unbind.getByTestId('unbind-error')).toHaveAttribute('data-code', 'CONFLICT');
  } finally {
    await host.stop();
  }
});

test('bindings: apply against a slow tenant shows each step running, then done, as it happens', async ({ page, dataDir }) => {
  // A sandbox this test runs (the host finds it by its folder), every Management API answer a second late.
  const sandboxDir = join(dataDir, 'slow-sandbox');
  const host = await startHost(dataDir, { CERTDESK_SANDBOX_DIR: sandboxDir });
  let sandbox: Sandbox | undefined;
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Slow Root');
    await createCa(page, 'issuing', 'Slow Issuing');
    await issue(page, 'slow-client');
    const rpc = hostRpc(host);
    sandbox = await externalSandbox(rpc, sandboxDir, 'Slow');
    const app = sandbox.admin.createClient({ name: 'slow app' });
    const cert = (await rpc('certs:list', { search: 'slow-client' })).items.find((c) => c.commonName === 'slow-client')!;
    await rpc('bindings:create', { cert: cert.id, tenant: 'Slow', clientId: app.clientId });
    sandbox.setFaults({ latencyMs: 1000, appliesTo: 'management' });

    await page.getByTestId('nav-bindings').click();
    const workspace = page.getByTestId('bindings-workspace');
    await expect(workspace).toHaveAttribute('data-tenant-name', 'Slow');
    await workspace.getByTestId('apply-run').click();
    const steps = workspace.getByTestId('apply-step');
    // Seen while it runs: a step in progress, with those before it done.
    await expect(workspace.locator('[data-testid="apply-step"][data-status="running"]')).toHaveCount(1);
    await expect(workspace.getByTestId('apply-outcome')).toHaveAttribute('data-outcome', 'applied');
    await expect(workspace.locator('[data-testid="apply-step"][data-status="running"]')).toHaveCount(0);
    const count = await steps.count();
    expect(count).toBeGreaterThanOrEqual(2);
    await expect(workspace.locator('[data-testid="apply-step"][data-status="done"]')).toHaveCount(count);
  } finally {
    await host.stop();
    await sandbox?.stop();
  }
});
