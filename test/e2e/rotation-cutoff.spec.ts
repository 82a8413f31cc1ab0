import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROTATION_STEP_COUNT, rotationStep } from '../../src/shared/contract/index.ts';
import { createCa, pickOption } from './app-actions.ts';
import { hostRpc } from './host-rpc.ts';
import { operator } from './operator-cli.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

/** A certificate due for renewal (20 days, inside the profile's window), bound at the built-in sandbox's demo client. */
async function boundDueAtSandbox(page: Page, commonName: string) {
  await createCa(page, 'root', 'Cutoff Root');
  await createCa(page, 'issuing', 'Cutoff Issuing');
  await page.getByTestId('nav-inventory').click();
  await page.getByTestId('issue-cert').click();
  const issue = page.getByTestId('issue-dialog');
  await issue.getByTestId('issue-cn').fill(commonName);
  await issue.getByTestId('issue-days').fill('20');
  await issue.getByTestId('issue-submit').click();
  await expect(issue).toBeHidden();
  await page.keyboard.press('Escape');

  await page.getByTestId('nav-tenants').click();
  await page.getByTestId('sandbox-card').getByTestId('sandbox-start').click();
  await expect(page.locator('[data-testid="tenant-row"][data-tenant-name="Sandbox"]')).toBeVisible();
  await page.getByTestId('nav-bindings').click();
  const workspace = page.getByTestId('bindings-workspace');
  await workspace.getByTestId('bind-open').click();
  const bind = page.getByTestId('bind-dialog');
  await bind.getByTestId('bind-cert').click();
  await page.getByRole('option', { name: new RegExp(commonName) }).click();
  await bind.getByTestId('bind-client').click();
  await page.getByRole('option', { name: 'Demo mTLS client' }).click();
  await bind.getByTestId('bind-api').press('Enter');
  await expect(bind).toBeHidden();
  await workspace.getByTestId('apply-run').click();
  await expect(workspace.getByTestId('apply-outcome')).toHaveAttribute('data-outcome', 'applied');
}

test('rotation: past its deadline without evidence the job "Needs you"; Extend moves the deadline, Force cut-off (confirmed) retires the old credential', async ({
  page,
  dataDir,
}) => {
  const host = await startHost(dataDir, { CERTDESK_SANDBOX_DIR: join(dataDir, 'sandbox') });
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await boundDueAtSandbox(page, 'cutoff-me');
    // The operator names the edge's access log (empty: the edge has seen no one yet), so old credentials retire on evidence.
    const accessLog = join(dataDir, 'edge-access.log');
    writeFileSync(accessLog, '');
    await operator(dataDir, ['usage', '--source', accessLog]);
    const rpc = hostRpc(host);

    await page.getByTestId('nav-schedule').click();
    const row = page.locator('[data-testid="schedule-row"][data-schedule-name="cutoff-me"]');
    await row.getByTestId('schedule-rotate').click();
    const dialog = page.getByTestId('rotate-dialog');
    await expect(dialog.getByTestId('rotate-evidence-note')).toContainText('the overlap is the deadline, past which certdesk asks you');
    // No overlap: the deadline is already past when the successor is verified.
    await dialog.getByTestId('rotate-overlap').click();
    await page.getByRole('option', { name: /No overlap/ }).click();
    await dialog.getByTestId('rotate-start').click();
    await expect(dialog.getByTestId('rotation-outcome')).toHaveAttribute('data-state', 'waiting');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const [waiting] = await rpc('rotation:list', {});
    expect(waiting).toMatchObject({ state: 'waiting', step: rotationStep('verify'), retireOn: 'evidence', awaitingOperator: true });
    const job = page.locator(`[data-testid="rotation-job"][data-state="waiting"]`);
    await expect(job.getByTestId('rotation-awaiting-operator')).toHaveText('Needs you');
    await job.getByRole('button', { name: /cutoff-me/ }).click();
    await expect(job.getByTestId('rotation-evidence-wait')).toContainText(waiting!.message!);

    // Extend by a day: the deadline moves a day past now, so the job no longer needs the operator.
    await pickOption(page, job.getByTestId('rotation-extend-by'), '1 day');
    const before = Date.now();
    await job.getByTestId('rotation-extend').click();
    await expect(job.getByTestId('rotation-awaiting-operator')).toHaveCount(0);
    const [extended] = await rpc('rotation:list', {});
    expect(extended).toMatchObject({ state: 'waiting', awaitingOperator: false, forceCutoff: false });
    expect(Date.parse(extended!.overlapUntil!)).toBeGreaterThanOrEqual(before + 86_400_000 - 1000);
    await expect(job.getByTestId('rotation-evidence-wait')).toHaveCount(0);

    // Force cut-off asks first, and Cancel ("Keep waiting") has the focus: Enter changes nothing.
    await job.getByTestId('rotation-force-cutoff').click();
    const confirm = page.getByRole('dialog', { name: 'Force the cut-off?' });
    await expect(confirm).toContainText('whether or not the workload has switched: the edge has not shown that it did');
    await expect(confirm.getByTestId('rotation-force-keep')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(confirm).toBeHidden();
    expect((await rpc('rotation:list', {}))[0]).toMatchObject({ state: 'waiting', forceCutoff: false });

    await job.getByTestId('rotation-force-cutoff').click();
    await confirm.getByTestId('rotation-force-go').click();
    await expect(page.locator(`[data-testid="rotation-job"][data-state="done"]`)).toHaveCount(1);
    const [done] = await rpc('rotation:list', {});
    expect(done).toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT, forceCutoff: true });
    expect(done!.journal.filter((e) => e.phase === 'end').map((e) => e.name)).toContain('remove-old');
    // Only the successor's binding is left.
    const bindings = await rpc('bindings:list', {});
    expect(bindings.filter((b) => b.state === 'active').map((b) => b.certificateId)).toEqual([done!.successorId]);
    // Both decisions are in the audit log.
    const audit = (await rpc('audit:list', { offset: 0, limit: 200 })).items.map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['rotation.extend', 'rotation.force-cutoff']));
  } finally {
    await host.stop();
  }
});
