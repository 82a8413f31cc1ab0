import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl } from '../support/openssl.ts';
import { hostRpc } from './host-rpc.ts';
import { expect, startHost, test } from './web-host-fixture.ts';

test('CA drawer: distribution URLs refused by field, saved, and carried by the next leaf', async ({ page, dataDir }) => {
  const host = await startHost(dataDir);
  try {
    const rpc = hostRpc(host);
    const root = await rpc('ca:create', { name: 'Url Root' });
    await rpc('ca:create', { name: 'Url Issuing', parent: root.id });

    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto(host.url);
    await expect(page.getByTestId('app-ready')).toBeVisible();
    await page.getByTestId('nav-authorities').click();
    await page.locator('[data-testid="ca-row"][data-ca-name="Url Issuing"]').click();
    const drawer = page.getByTestId('ca-details');
    const form = drawer.getByTestId('ca-urls-form');

    // Not http(s): refused on its field, focused, and nothing stored.
    await form.getByTestId('ca-url-crl').fill('ftp://pki.example.com/issuing.crl');
    await form.getByTestId('ca-urls-save').click();
    await expect(form.getByText(/CRL distribution point URL \(crlUrl\) must be an http/)).toBeVisible();
    await expect(form.getByTestId('ca-url-crl')).toBeFocused();
    expect((await rpc('ca:list', {})).find((a) => a.name === 'Url Issuing')!.urls.crlUrl).toBeNull();

    await form.getByTestId('ca-url-crl').fill('http://pki.example.com/issuing.crl');
    await form.getByTestId('ca-url-ca-issuers').fill('http://pki.example.com/issuing.cer');
    await form.getByTestId('ca-urls-save').click();
    await expect(form.getByTestId('ca-urls-save')).toBeDisabled();
    expect((await rpc('ca:list', {})).find((a) => a.name === 'Url Issuing')!.urls).toEqual({
      crlUrl: 'http://pki.example.com/issuing.crl',
      caIssuersUrl: 'http://pki.example.com/issuing.cer',
      ocspUrl: null,
    });

    const leaf = await rpc('certs:issue', { ca: 'Url Issuing', subject: { commonName: 'url-leaf' }, source: { kind: 'generated' } });
    const file = join(dataDir, 'leaf.pem');
    writeFileSync(file, leaf.pem);
    const text = openssl(['x509', '-in', file, '-noout', '-text']).stdout;
    expect(text).toMatch(/CRL Distribution Points:\s+Full Name:\s+URI:http:\/\/pki\.example\.com\/issuing\.crl/);
    expect(text).toMatch(/CA Issuers - URI:http:\/\/pki\.example\.com\/issuing\.cer/);
  } finally {
    await host.stop();
  }
});
