import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCa } from './app-actions.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

const EXPORT_PASS = 'e2e export passphrase';

test('issue → view → renew → revoke → CRL → export, each checked by openssl', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'E2E Root');
    await createCa(page, 'issuing', 'E2E Issuing');

    // Issue with a generated key.
    await page.getByTestId('nav-inventory').click();
    await page.getByTestId('issue-cert').click();
    const issue = page.getByTestId('issue-dialog');
    await expect(issue).toBeVisible();
    await issue.getByTestId('issue-cn').fill('app-client-prod');
    await issue.getByTestId('issue-o').fill('YourOrg');
    await issue.getByTestId('issue-submit').click();
    await expect(issue).toBeHidden();

    // View: the detail opens on the new certificate with its checklist all green.
    const detail = page.getByTestId('cert-detail');
    await expect(detail).toBeVisible();
    await expect(detail.getByTestId('cert-detail-subject')).toContainText('CN=app-client-prod,O=YourOrg');
    await expect(detail.getByTestId('lint-check')).toHaveCount(7);
    // No edge access log is read in this store: the panel says so rather than "never seen".
    await expect(detail.getByTestId('cert-edge-usage')).toHaveAttribute('data-state', 'none');
    await expect(detail.locator('[data-testid="lint-check"][data-ok="false"]')).toHaveCount(0);
    const firstSha = (await detail.getByTestId('cert-detail-sha256').innerText()).replaceAll(':', '').trim().toLowerCase();

    // Renew (re-key by default): the detail moves to the successor, linked to the original.
    await detail.getByTestId('cert-renew').click();
    const renew = page.getByTestId('renew-dialog');
    await expect(renew.getByTestId('renew-same-key')).not.toBeChecked();
    await renew.getByTestId('renew-submit').click();
    await expect(renew).toBeHidden();
    await expect(detail.getByTestId('cert-replaces')).toBeVisible();
    const renewedSha = (await detail.getByTestId('cert-detail-sha256').innerText()).replaceAll(':', '').trim().toLowerCase();
    expect(renewedSha).not.toBe(firstSha);
    const renewedPem = (await detail.getByTestId('cert-detail-pem').innerText()).trim();
    const chainPem = (await detail.getByTestId('cert-detail-chain-pem').innerText()).trim();

    // Revoke, with the typed confirmation.
    await detail.getByTestId('cert-revoke').click();
    const revoke = page.getByTestId('revoke-dialog');
    await expect(revoke.getByTestId('revoke-submit')).toBeDisabled();
    await revoke.getByTestId('revoke-confirm-input').fill('app-client-prod');
    await revoke.getByTestId('revoke-submit').click();
    await expect(revoke).toBeHidden();
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-testid="cert-row"][data-cert-status="revoked"]')).toHaveCount(1);
    await expect(page.locator('[data-testid="cert-row"][data-cert-status="superseded"]')).toHaveCount(1);

    // Export the original (still valid) as PKCS#12: web mode hands it to the browser as a download, no path anywhere.
    await page.locator(`[data-testid="cert-row"][data-cert-status="superseded"]`).click();
    const originalPem = (await detail.getByTestId('cert-detail-pem').innerText()).trim();
    await detail.getByTestId('cert-export').click();
    const exp = page.getByTestId('export-dialog');
    await exp.getByTestId('export-format-p12').click();
    await expect(exp.getByTestId('export-path')).toHaveCount(0);
    await exp.getByTestId('export-passphrase').fill(EXPORT_PASS);
    await exp.getByTestId('export-passphrase-confirm').fill(EXPORT_PASS);
    await exp.getByTestId('export-contains-key').check();
    const p12Download = page.waitForEvent('download');
    await exp.getByTestId('export-submit').click();
    expect((await p12Download).suggestedFilename()).toBe('app-client-prod.p12');
    const p12Path = join(dataDir, 'downloaded.p12');
    await (await p12Download).saveAs(p12Path);
    await expect(exp.getByTestId('export-written-to')).toContainText('app-client-prod.p12');
    const p12Certs = execFileSync('openssl', ['pkcs12', '-in', p12Path, '-passin', `pass:${EXPORT_PASS}`, '-nokeys'], {
      encoding: 'utf8',
    });
    expect(p12Certs.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    await exp.getByTestId('export-done').click();

    // The key alone, as encrypted PEM: openssl opens it with the passphrase and finds the certificate's public key.
    await detail.getByTestId('cert-export').click();
    await exp.getByTestId('export-format-key').click();
    await exp.getByTestId('export-passphrase').fill(EXPORT_PASS);
    await exp.getByTestId('export-passphrase-confirm').fill(EXPORT_PASS);
    await exp.getByTestId('export-contains-key').check();
    const keyDownload = page.waitForEvent('download');
    await exp.getByTestId('export-submit').click();
    expect((await keyDownload).suggestedFilename()).toBe('app-client-prod.key.pem');
    const keyPath = join(dataDir, 'downloaded.key.pem');
    await (await keyDownload).saveAs(keyPath);
    expect(readFileSync(keyPath, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    writeFileSync(join(dataDir, 'original.pem'), `${originalPem}\n`);
    const keyPublic = execFileSync('openssl', ['pkey', '-in', keyPath, '-passin', `pass:${EXPORT_PASS}`, '-pubout'], { encoding: 'utf8' });
    const certPublic = execFileSync('openssl', ['x509', '-in', join(dataDir, 'original.pem'), '-noout', '-pubkey'], { encoding: 'utf8' });
    expect(keyPublic).toBe(certPublic);
    // Nothing was written on the host's side.
    expect(existsSync(join(dataDir, 'exports'))).toBe(false);
    await exp.getByTestId('export-done').click();
    await page.keyboard.press('Escape');

    // CRL from the Authorities page; openssl sees the revoked serial, and verify -crl_check refuses it.
    await page.getByTestId('nav-authorities').click();
    await page.locator('[data-testid="ca-row"][data-ca-name="E2E Issuing"]').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('ca-generate-crl').click();
    await expect(page.getByTestId('ca-crl-result')).toHaveAttribute('data-crl-number', '1');
    await expect(page.getByTestId('ca-crl-revoked-count')).toContainText('1');
    await page.getByTestId('ca-download-crl').click();
    const crlPath = join(dataDir, 'issuing.crl.pem');
    await (await download).saveAs(crlPath);
    const [, issuingPem, rootPem] = chainPem.split(/(?=-----BEGIN)/).filter((block) => block.startsWith('-----BEGIN'));
    writeFileSync(join(dataDir, 'cas.pem'), `${issuingPem}${rootPem}`);
    writeFileSync(join(dataDir, 'revoked.pem'), `${renewedPem}\n`);
    expect(readFileSync(crlPath, 'utf8')).toMatch(/^-----BEGIN X509 CRL-----/);
    const crlText = execFileSync('openssl', ['crl', '-in', crlPath, '-CAfile', join(dataDir, 'cas.pem'), '-noout', '-text'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(crlText).toContain('X509v3 CRL Number');
    const serial = execFileSync('openssl', ['x509', '-in', join(dataDir, 'revoked.pem'), '-noout', '-serial'], { encoding: 'utf8' })
      .split('=')[1]!
      .trim();
    expect(crlText).toContain(serial);
    let refused = '';
    try {
      execFileSync(
        'openssl',
        ['verify', '-crl_check', '-CAfile', join(dataDir, 'cas.pem'), '-CRLfile', crlPath, join(dataDir, 'revoked.pem')],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (error) {
      refused = String((error as { stdout?: string }).stdout) + String((error as { stderr?: string }).stderr);
    }
    expect(refused).toContain('certificate revoked');

    // The audit log verifies.
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('ca-crl-result')).toBeHidden();
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-verify').click();
    await expect(page.getByTestId('audit-verify-result')).toHaveAttribute('data-ok', 'true');
  } finally {
    await host.stop();
  }
});

test('a bad CSR is refused on its field and the pasted text is kept', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Root');
    await createCa(page, 'issuing', 'Issuing');
    await page.getByTestId('nav-inventory').click();
    await page.getByTestId('issue-cert').click();
    const issue = page.getByTestId('issue-dialog');
    await issue.getByTestId('issue-mode').getByText('Sign a CSR').click();
    const garbage = '-----BEGIN CERTIFICATE REQUEST-----\nnot base64 at all!\n-----END CERTIFICATE REQUEST-----';
    await issue.getByTestId('issue-csr').fill(garbage);
    await issue.getByTestId('issue-submit').click();
    await expect(issue.getByText(/damaged|not valid/)).toBeVisible();
    await expect(issue.getByTestId('issue-csr')).toHaveValue(garbage);
    await expect(page.getByTestId('cert-row')).toHaveCount(0);
  } finally {
    await host.stop();
  }
});

test('signing a CSR: its subject is shown, used only when asked, and a DN another lineage holds is refused', async ({ page, dataDir }) => {
  // The client's key and CSR, made by openssl: the CSR claims the identity of an existing client.
  const keyPath = join(dataDir, 'client.key');
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPath]);
  const csr = execFileSync(
    'openssl',
    ['req', '-new', '-key', keyPath, '-subj', '/O=YourOrg/CN=app-client-prod', '-addext', 'subjectAltName=DNS:app.example.com'],
    { encoding: 'utf8' },
  );
  const host = await startHost(dataDir);
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Root');
    await createCa(page, 'issuing', 'Issuing');
    await page.getByTestId('nav-inventory').click();

    // The existing client: lineage 1, with its DN.
    await page.getByTestId('issue-cert').click();
    const issue = page.getByTestId('issue-dialog');
    await issue.getByTestId('issue-cn').fill('app-client-prod');
    await issue.getByTestId('issue-o').fill('YourOrg');
    await issue.getByTestId('issue-submit').click();
    await expect(issue).toBeHidden();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('cert-row')).toHaveCount(1);

    await page.getByTestId('issue-cert').click();
    await issue.getByTestId('issue-mode').getByText('Sign a CSR').click();
    await issue.getByTestId('issue-csr').fill(csr);
    // What the CSR asks for, read-only; the operator's fields stay empty until asked.
    await expect(issue.getByTestId('issue-csr-subject')).toHaveText('CN=app-client-prod,O=YourOrg');
    await expect(issue.getByTestId('issue-csr-sans')).toHaveText('dns:app.example.com');
    await expect(issue.getByTestId('issue-cn')).toHaveValue('');
    await issue.getByTestId('issue-submit').click();
    await expect(issue.getByText('Enter the common name')).toBeVisible();

    // "Use the CSR's subject" fills the fields; main still refuses the DN lineage 1 holds.
    await issue.getByTestId('issue-use-csr-subject').click();
    await expect(issue.getByTestId('issue-cn')).toHaveValue('app-client-prod');
    await expect(issue.getByTestId('issue-o')).toHaveValue('YourOrg');
    await issue.getByTestId('issue-submit').click();
    await expect(issue.getByText(/already belongs to active certificate/)).toBeVisible();
    await expect(page.getByTestId('cert-row')).toHaveCount(1);

    // The operator's own subject goes into the certificate, with the CSR's SANs.
    await issue.getByTestId('issue-cn').fill('partner-client');
    await issue.getByTestId('issue-submit').click();
    await expect(issue).toBeHidden();
    const detail = page.getByTestId('cert-detail');
    await expect(detail.getByTestId('cert-detail-subject')).toContainText('CN=partner-client,O=YourOrg');
    await expect(detail.getByTestId('cert-detail-sans')).toContainText('app.example.com');
    const pem = (await detail.getByTestId('cert-detail-pem').innerText()).trim();
    writeFileSync(join(dataDir, 'partner.pem'), `${pem}\n`);
    const subject = execFileSync('openssl', ['x509', '-in', join(dataDir, 'partner.pem'), '-noout', '-subject', '-nameopt', 'RFC2253'], {
      encoding: 'utf8',
    });
    expect(subject.trim()).toBe('subject=CN=partner-client,O=YourOrg');
  } finally {
    await host.stop();
  }
});
