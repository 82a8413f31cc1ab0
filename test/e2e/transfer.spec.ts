/**
 * The transfer page across the air gap, on two web hosts over two data folders: a signer and a
 * publisher pair in the UI (each compares the other's fingerprint), then a request crosses to the
 * signer and its certificate comes back, every bundle exported as a browser download and imported as
 * an upload, every item reviewed and approved on the page. openssl verifies the certificate the
 * publisher ends up holding. A tampered bundle is refused by name with nothing staged.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { openssl } from '../support/openssl.ts';
import { hostRpc, rpcCallTo } from './host-rpc.ts';
import { operator } from './operator-cli.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

const AUDIT_CHUNK = /\/assets\/AuditPage-[\w-]+\.js(\?.*)?$/;

/** Clicks `testId` and saves the download it starts into `dir`, returning the file's path. */
async function download(page: Page, testId: string, dir: string): Promise<string> {
  const started = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  const file = await started;
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

async function openTransfer(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByTestId('app-ready')).toBeVisible();
  await page.getByTestId('nav-transfer').click();
  await expect(page.getByTestId('transfer-page')).toBeVisible();
}

/** Imports the peer's pairing file after comparing its fingerprint with the one the peer's own page shows. */
async function pairWith(page: Page, peerPage: Page, pairingFile: string) {
  const peerShows = (await peerPage.getByTestId('pair-own-fingerprint').textContent())!.trim();
  await page.getByTestId('pair-import-file').setInputFiles(pairingFile);
  await expect(page.getByTestId('pair-inspected-fingerprint')).toHaveText(peerShows);
  await expect(page.getByTestId('pair-submit')).toBeDisabled();
  await page.getByTestId('pair-confirm').fill(peerShows);
  await page.getByTestId('pair-submit').click();
  await expect(page.getByTestId('pair-done')).toContainText(peerShows);
  await expect(page.getByTestId('pair-peer-fingerprint')).toHaveText(peerShows);
}

/** Reopens the transfer page, so it reads what the CLI changed meanwhile. */
async function reopen(page: Page) {
  await page.getByTestId('nav-audit').click();
  await page.getByTestId('nav-transfer').click();
  await expect(page.getByTestId('transfer-page')).toBeVisible();
}

async function approveAll(page: Page, importView: ReturnType<Page['getByTestId']>) {
  await importView.getByTestId('review-approve-all').click();
  await expect(page.getByTestId('approve-all-modal')).toBeVisible();
  await page.getByTestId('approve-all-confirm').click();
  await expect(page.getByTestId('approve-all-modal')).toBeHidden();
}

test('transfer: pair in the UI, carry a request to the signer and its certificate back, reviewed and approved on each page', async ({
  page,
  context,
  dataDir: signerDir,
  peerDataDir: publisherDir,
}) => {
  test.setTimeout(240_000);
  // Downloads and uploads pass through here, as an operator's removable medium would.
  const files = signerDir;

  // Set up at the terminals: the signer's CAs and its role, the publisher's role.
  await operator(signerDir, ['ca', 'create', '--name', 'Offline Root']);
  await operator(signerDir, ['ca', 'create', '--name', 'Offline Issuing', '--parent', 'Offline Root']);
  await operator(signerDir, ['role', 'set', 'signer', '--confirm', 'signer']);
  await operator(publisherDir, ['role', 'set', 'publisher', '--confirm', 'publisher']);

  const signerHost = await startHost(signerDir);
  const publisherHost = await startHost(publisherDir);
  try {
    const signer = page;
    const publisher = await context.newPage();
    // The narrowest window the app supports.
    await signer.setViewportSize({ width: 1024, height: 800 });
    await openTransfer(signer, signerHost.url);
    await openTransfer(publisher, publisherHost.url);

    // ── Pairing: each side downloads its file, the other checks its fingerprint against the first one's page ──
    await expect(signer.getByTestId('pair-peer-fingerprint-none')).toBeVisible();
    const signerPairing = await download(signer, 'pair-export', files);
    const publisherPairing = await download(publisher, 'pair-export', files);
    expect(JSON.parse(readFileSync(signerPairing, 'utf8'))).toMatchObject({ role: 'signer' });
    await pairWith(publisher, signer, signerPairing);
    await pairWith(signer, publisher, publisherPairing);
    await expect(signer.getByTestId('pair-peer-fingerprint')).toHaveText(
      (await publisher.getByTestId('pair-own-fingerprint').textContent())!.trim(),
    );

    // ── Signer → publisher: the CA certificates, so the publisher can request under them ──
    await operator(signerDir, ['transfer', 'send-ca']);
    await reopen(signer);
    await expect(signer.getByTestId('outbox-count')).toHaveAttribute('data-count', '2');
    await expect(signer.getByTestId('outbox-sequence')).toHaveAttribute('data-sequence', '1');
    const caBundle = await download(signer, 'outbox-export', files);
    await expect(signer.getByTestId('outbox-exported')).toHaveAttribute('data-sequence', '1');
    await expect(signer.getByTestId('outbox-empty')).toBeVisible();
    // A download lost on the way is fetched again, byte for byte, without a new sequence.
    const firstBytes = readFileSync(caBundle);
    await expect(signer.getByTestId('outbox-last-export')).toHaveAttribute('data-sequence', '1');
    expect(readFileSync(await download(signer, 'outbox-export-again', files))).toEqual(firstBytes);
    await expect(signer.getByTestId('outbox-exported-again')).toHaveAttribute('data-sequence', '1');
    await expect(signer.getByTestId('outbox-sequence')).toHaveAttribute('data-sequence', '2');

    await publisher.getByTestId('bundle-import-file').setInputFiles(caBundle);
    const caImport = publisher.getByTestId('review-import');
    await expect(caImport.locator('[data-kind="ca-certificate"]')).toHaveCount(2);
    // The queue read the approval starts is held until the page has been left and opened again, after
    // the terminal's changes below: the reopened page must read afresh, not take that earlier answer.
    let releaseEarlyRead: (() => void) | null = null;
    const earlyReadHeld = new Promise<void>((resolve) => (releaseEarlyRead = resolve));
    let outboxReads = 0;
    let readsReleased = false;
    const outboxRead = rpcCallTo('transfer:outbox');
    await publisher.route(outboxRead, async (route) => {
      outboxReads += 1;
      if (readsReleased) return route.continue();
      // Read by the host now; its answer reaches the page only later. Reads the page makes again when the
      // terminal's changes reach it (the store watch) are held the same way, so the first stays the earliest.
      const response = await route.fetch();
      await earlyReadHeld;
      await route.fulfill({ response });
    });
    await approveAll(publisher, caImport);
    await expect(caImport.locator('[data-decision="pending"]')).toHaveCount(0);
    await expect(caImport.locator('[data-kind="ca-certificate"][data-decision="approved"]')).toHaveCount(2);

    // ── Publisher → signer: an issue request, queued at the terminal, listed and exported on the page ──
    await operator(publisherDir, [
      'request',
      'issue',
      '--ca',
      'Offline Issuing',
      '--cn',
      'payments-api',
      '--days',
      '30',
      '--note',
      'new workload',
    ]);
    await operator(publisherDir, ['request', 'issue', '--ca', 'Offline Issuing', '--cn', 'billing-api', '--note', 'not approved']);
    // The approval's read, from before the terminal's changes, is still held (with any read after them).
    expect(outboxReads).toBeGreaterThanOrEqual(1);
    // The operator leaves for the audit page and comes back before it has loaded (its chunk held here):
    // the transfer page shown again is opened afresh, not revealed as it was.
    let releaseAuditChunk: (() => void) | null = null;
    const auditChunkHeld = new Promise<void>((resolve) => (releaseAuditChunk = resolve));
    await publisher.route(AUDIT_CHUNK, async (route) => {
      await auditChunkHeld;
      await route.continue();
    });
    await publisher.getByTestId('nav-audit').click();
    await expect(publisher.getByTestId('page-loading')).toBeVisible();
    await publisher.getByTestId('nav-transfer').click();
    await expect(publisher.getByTestId('transfer-page')).toBeVisible();
    readsReleased = true;
    releaseEarlyRead!();
    releaseAuditChunk!();
    await publisher.unroute(AUDIT_CHUNK);
    // The reopened page read again, after the terminal's changes.
    await expect.poll(() => outboxReads).toBeGreaterThanOrEqual(2);
    await expect(publisher.getByTestId('transfer-outbox')).toContainText('Queued for the signer');
    const queued = publisher.getByTestId('outbox-item');
    await expect(queued).toHaveCount(2);
    await expect(queued.first()).toContainText('CN=payments-api');
    await expect(queued.first()).toContainText('auth0-mtls-client');
    await expect(publisher.getByTestId('outbox-count')).toHaveAttribute('data-count', '2');
    await publisher.unroute(outboxRead);
    const requestBundle = await download(publisher, 'outbox-export', files);

    await signer.getByTestId('bundle-import-file').setInputFiles(requestBundle);
    const request = signer.getByTestId('review-import').filter({ has: signer.locator('[data-kind="sign-request"]') });
    const item = request.locator('[data-kind="sign-request"]').filter({ hasText: 'payments-api' });
    await expect(item).toHaveAttribute('data-decision', 'pending');
    await expect(item.getByTestId('review-item-effect')).toContainText('payments-api');
    const details = item.getByTestId('review-item-details');
    await expect(details.locator('[data-detail="subject"]')).toContainText('CN=payments-api');
    await expect(details.locator('[data-detail="profile"]')).toContainText('auth0-mtls-client');
    await expect(details.locator('[data-detail="validity"]')).toContainText('30 days');
    await expect(details.locator('[data-detail="note"]')).toContainText('new workload');
    // Approving one item is one keyboard press away.
    await item.getByTestId('review-item-approve').focus();
    await signer.keyboard.press('Enter');
    await expect(item).toHaveAttribute('data-decision', 'approved');

    // Refusing needs a reason: an empty one is refused in place, by name.
    const other = request.locator('[data-kind="sign-request"]').filter({ hasText: 'billing-api' });
    await other.getByTestId('review-item-refuse').click();
    const refuse = signer.getByTestId('refuse-modal');
    await expect(refuse).toContainText('billing-api');
    await refuse.getByTestId('refuse-submit').click();
    await expect(refuse).toContainText('Reason is required');
    await expect(refuse.getByTestId('refuse-reason')).toBeFocused();
    await expect(other).toHaveAttribute('data-decision', 'pending');
    await refuse.getByTestId('refuse-reason').fill('billing-api has no owner yet');
    await refuse.getByTestId('refuse-submit').click();
    await expect(refuse).toBeHidden();
    await expect(other).toHaveAttribute('data-decision', 'refused');
    await expect(other.getByTestId('review-item-reason')).toContainText('billing-api has no owner yet');

    await reopen(signer);
    await expect(signer.getByTestId('outbox-item').filter({ hasText: 'payments-api' })).toHaveAttribute('data-kind', 'issued-certificate');
    await expect(signer.getByTestId('outbox-item').filter({ hasText: 'billing-api has no owner yet' })).toHaveAttribute(
      'data-kind',
      'refusal',
    );
    const answerBundle = await download(signer, 'outbox-export', files);

    // ── A tampered answer is refused by name, and nothing is staged ──
    const envelope = JSON.parse(readFileSync(answerBundle, 'utf8')) as { items: Array<{ data: string }> };
    const body = Buffer.from(envelope.items[0]!.data, 'base64').toString('utf8');
    const altered = body.replace(/"kind":"(\w)/, (match, c: string) => match.slice(0, -1) + (c === 'i' ? 'j' : 'i'));
    expect(altered).not.toBe(body);
    envelope.items[0]!.data = Buffer.from(altered).toString('base64');
    const tampered = join(files, 'tampered.cdx');
    writeFileSync(tampered, JSON.stringify(envelope));
    const publisherRpc = hostRpc(publisherHost);
    const reviewBefore = await publisherRpc('transfer:review', {});
    await publisher.getByTestId('bundle-import-file').setInputFiles(tampered);
    await expect(publisher.getByTestId('bundle-import-error')).toHaveAttribute('data-code', 'TRANSFER_TAMPERED');
    await expect(publisher.getByTestId('bundle-import-error')).toContainText('tampered.cdx');
    expect(await publisherRpc('transfer:review', {})).toEqual(reviewBefore);

    // ── The real answer, approved on the publisher, lands in its inventory ──
    await publisher.getByTestId('bundle-import-file').setInputFiles(answerBundle);
    const answer = publisher.getByTestId('review-import').filter({ has: publisher.locator('[data-kind="issued-certificate"]') });
    await expect(answer.locator('[data-kind="issued-certificate"]').getByTestId('review-item-effect')).toContainText('payments-api');
    // The signer's refusal came back with its reason.
    await expect(answer.locator('[data-kind="refusal"]')).toContainText('billing-api has no owner yet');
    await approveAll(publisher, answer);
    await expect(answer.locator('[data-kind="issued-certificate"]')).toHaveAttribute('data-decision', 'approved');
    await expect(answer.locator('[data-kind="refusal"]')).toHaveAttribute('data-decision', 'approved');

    await publisher.getByTestId('nav-inventory').click();
    await expect(publisher.getByText('payments-api').first()).toBeVisible();

    // openssl, independently: the certificate chains to the signer's CAs.
    const listed = await publisherRpc('certs:list', {});
    const summary = listed.items.find((c) => c.commonName === 'payments-api');
    expect(summary).toBeDefined();
    const cert = await publisherRpc('certs:get', { cert: summary!.id });
    const cas = await publisherRpc('ca:list', {});
    const root = cas.find((c) => c.name === 'Offline Root')!;
    const issuing = cas.find((c) => c.name === 'Offline Issuing')!;
    writeFileSync(join(files, 'root.pem'), root.pem);
    writeFileSync(join(files, 'issuing.pem'), issuing.pem);
    writeFileSync(join(files, 'leaf.pem'), cert.pem);
    const verified = openssl([
      'verify',
      '-CAfile',
      join(files, 'root.pem'),
      '-untrusted',
      join(files, 'issuing.pem'),
      join(files, 'leaf.pem'),
    ]);
    expect(verified.stdout.trim(), verified.stderr).toBe(`${join(files, 'leaf.pem')}: OK`);
  } finally {
    await signerHost.stop();
    await publisherHost.stop();
  }
});

test('transfer: the page is not offered on a standalone folder', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await expect(page.getByTestId('nav-audit')).toBeVisible();
    await expect(page.getByTestId('nav-transfer')).toHaveCount(0);
    await expect(hostRpc(host)('transfer:outbox', {})).rejects.toThrow(/transfer:outbox failed: TRANSFER_ROLE \(role\)/);
  } finally {
    await host.stop();
  }
});
