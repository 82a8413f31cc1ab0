import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeychainSecretStore } from '../../src/main/core/secrets/keychain-secret-store.ts';
import { CertdeskService } from '../../src/main/core/service.ts';
import { inProcessGap } from '../support/gap-pair.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

test('schedule: a publisher rotation waiting at the offline signer says so, with the request and what to carry', async ({
  page,
  dataDir,
}) => {
  // The folder the host opens: a publisher whose certificate the signer issued, its rotation waiting for the signer's answer.
  const made: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-gap-'));
    made.push(dir);
    return dir;
  };
  const publisher = CertdeskService.open({ dataDir, secretStore: new KeychainSecretStore(), mode: 'cli' });
  let job: string;
  let request: string;
  let certId: string;
  try {
    const gap = await inProcessGap(publisher, newDir);
    const [cert] = await gap.issue(publisher, 'payments-client');
    certId = cert!.id;
    await gap.closeSigner();
    const waiting = await publisher.rotate({ cert: cert!.id, verify: false });
    job = waiting.id;
    request = publisher.offline.requests().find((r) => r.rotationJobId === job)!.requestId;
  } finally {
    publisher.close();
    await publisher.audit.settle();
  }

  const host = await startHost(dataDir);
  try {
    await page.setViewportSize({ width: 1024, height: 900 });
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await page.getByTestId('nav-schedule').click();
    const row = page.getByTestId('rotation-job').filter({ has: page.getByTestId('rotation-at-signer') });
    await expect(row).toHaveAttribute('data-state', 'waiting');
    await expect(row.getByTestId('rotation-at-signer')).toHaveText('At the signer');
    // At 1024 px the badge sits on the job's line, not cut off at the right edge.
    await row.getByTestId('rotation-at-signer').scrollIntoViewIfNeeded();
    await expect(row.getByTestId('rotation-at-signer')).toBeInViewport();
    const box = (await row.getByTestId('rotation-at-signer').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    // Opened: which request, and the three things the operator does, in order.
    await row.getByRole('button', { name: /payments-client/ }).click();
    const next = row.getByTestId('rotation-at-signer-next');
    await expect(next).toBeVisible();
    await expect(next.getByTestId('rotation-at-signer-request')).toHaveText(request);
    await expect(next).toContainText('Export a bundle: certdesk transfer export --out FILE');
    await expect(next).toContainText('Carry it to the signer');
    await expect(next).toContainText('certdesk transfer import FILE');
    // The job waits; it offers Resume (which asks nothing twice) and Cancel as every waiting job does.
    await expect(row.getByTestId('rotation-resume')).toBeVisible();
    await expect(row.getByTestId('rotation-cancel')).toBeVisible();
    expect(job).toMatch(/^rot_/);

    // Cancelling asks first, since it destroys the job's new key: "Keep it" is focused, Escape keeps the job.
    await row.getByTestId('rotation-cancel').click();
    const confirm = page.getByTestId('rotation-cancel-confirm');
    await expect(confirm).toContainText('destroyed');
    await expect(page.getByTestId('rotation-cancel-keep')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();
    await expect(row).toHaveAttribute('data-state', 'waiting');
    await row.getByTestId('rotation-cancel').click();
    await page.getByTestId('rotation-cancel-go').click();
    const cancelled = page.locator(`[data-testid="rotation-job"][data-cert-id="${certId}"]`);
    await expect(cancelled).toHaveAttribute('data-state', 'cancelled');
    await expect(cancelled.getByTestId('rotation-cancel')).toHaveCount(0);
  } finally {
    await host.stop();
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  }
});
