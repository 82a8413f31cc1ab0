// Issue 13, "Inventory and issuing", in the real renderer on the real web host: the CSR preview gates
// signing, a pasted private key is called out and never sent, and typed input is refused, not changed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCa } from './app-actions.ts';
import { holdRoute } from './held-route.ts';
import { rpcCallTo, rpcChannelOf } from './host-rpc.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

test('issuing: typed validity and country are refused as typed, a private key is called out, a CSR is signed only after its preview', async ({
  page,
  dataDir,
}) => {
  const keyPath = join(dataDir, 'client.key');
  execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072', '-out', keyPath]);
  const csr = execFileSync(
    'openssl',
    ['req', '-new', '-key', keyPath, '-subj', '/O=YourOrg/CN=preview-client', '-addext', 'subjectAltName=DNS:preview.example.com'],
    { encoding: 'utf8' },
  );
  const privateKey = readFileSync(keyPath, 'utf8');
  const host = await startHost(dataDir);
  // Every call the page makes to main, to prove a pasted private key never leaves it.
  const sentBodies: string[] = [];
  page.on('request', (request) => {
    if (rpcChannelOf(request.url()) !== null) sentBodies.push(request.postData() ?? '');
  });
  try {
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await createCa(page, 'root', 'Root');
    await createCa(page, 'issuing', 'Issuing');
    await page.getByTestId('nav-inventory').click();
    await page.getByTestId('issue-cert').click();
    const issue = page.getByTestId('issue-dialog');

    // -1 stays -1 and "USA" stays "USA": each is refused with a message, nothing is issued.
    await issue.getByTestId('issue-cn').fill('typed-client');
    await issue.getByTestId('issue-days').fill('-1');
    await issue.getByTestId('issue-c').fill('usa');
    await issue.getByTestId('issue-submit').click();
    await expect(issue.getByTestId('issue-days')).toHaveValue('-1');
    await expect(issue.getByText('At least 1 day')).toBeVisible();
    await expect(issue.getByTestId('issue-c')).toHaveValue('USA');
    await expect(issue.getByText('Two capital letters (ISO 3166), such as US or DE')).toBeVisible();
    for (const days of ['0', '1.5']) {
      await issue.getByTestId('issue-days').fill(days);
      await issue.getByTestId('issue-submit').click();
      await expect(issue.getByTestId('issue-days')).toHaveValue(days);
      await expect(issue.getByText(days === '0' ? 'At least 1 day' : 'Enter a whole number of days')).toBeVisible();
    }
    await expect(page.getByTestId('cert-row')).toHaveCount(0);

    // A private key pasted as the CSR: called out, never sent, and the form does not sign.
    await issue.getByTestId('issue-mode').getByText('Sign a CSR').click();
    await issue.getByTestId('issue-csr').fill(privateKey);
    await expect(issue.getByTestId('issue-csr-private-key')).toContainText('This is a private key — do not share it');
    await expect(issue.getByTestId('issue-csr-preview')).toHaveCount(0);
    await issue.getByTestId('issue-submit').click();
    await expect(issue.getByTestId('issue-csr-error')).toContainText('This is a private key, not a CSR');
    const keyBody = privateKey.split('\n')[1]!;
    expect(sentBodies.filter((body) => body.includes(keyBody))).toEqual([]);

    // A damaged CSR: the refusal names the field as the form does.
    await issue.getByTestId('issue-csr').fill('-----BEGIN CERTIFICATE REQUEST-----\nMII!!\n-----END CERTIFICATE REQUEST-----');
    await expect(issue.getByTestId('issue-csr-error')).toContainText('certificate request (CSR)');
    // The watch on what is sent does see the page's calls (so its silence about the private key means something).
    expect(sentBodies.some((body) => body.includes('MII!!'))).toBe(true);

    // The real CSR: Sign stays disabled while main reads it, then the preview shows what it asks for.
    const inspectCsr = rpcCallTo('certs:inspect-csr');
    const inspection = await holdRoute(page, inspectCsr);
    await issue.getByTestId('issue-csr').fill(csr);
    await expect(issue.getByTestId('issue-submit')).toBeDisabled();
    await expect(issue.getByTestId('issue-submit')).toHaveText('Sign the CSR');
    // The disabled button was seen while main had not answered, not after a quick answer.
    await expect.poll(inspection.calls).toBe(1);
    inspection.release();
    const preview = issue.getByTestId('issue-csr-preview');
    await expect(preview).toBeVisible();
    await expect(issue.getByTestId('issue-csr-subject')).toHaveText('CN=preview-client,O=YourOrg');
    await expect(issue.getByTestId('issue-csr-key')).toHaveText('RSA 3072');
    await expect(issue.getByTestId('issue-csr-sans')).toHaveText('dns:preview.example.com');
    await expect(issue.getByTestId('issue-csr-signature')).toContainText('sha256WithRSAEncryption verified');
    await expect(issue.getByTestId('issue-submit')).toBeEnabled();
    await page.unroute(inspectCsr);

    // Signed under the operator's subject, with a valid validity and country.
    await issue.getByTestId('issue-use-csr-subject').click();
    await issue.getByTestId('issue-days').fill('90');
    await issue.getByTestId('issue-c').fill('US');
    await issue.getByTestId('issue-submit').click();
    await expect(issue).toBeHidden();
    const detail = page.getByTestId('cert-detail');
    await expect(detail.getByTestId('cert-detail-subject')).toContainText('CN=preview-client,O=YourOrg,C=US');
    await expect(detail.getByTestId('cert-detail-key-type')).toContainText('RSA 3072');
    // Nothing the page sent to main, from first to last, carried the private key pasted earlier.
    expect(sentBodies.filter((body) => body.includes(keyBody))).toEqual([]);
  } finally {
    await host.stop();
  }
});
