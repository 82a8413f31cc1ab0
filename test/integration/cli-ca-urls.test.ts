/**
 * Per-CA distribution URLs through the CLI: set on `ca create` and `ca urls`, refused by field when
 * not http(s) (with nothing stored), and present in the leaves issued under the CA as openssl reads them.
 */
import { describe, expect, it } from 'vitest';
import type { AuditRow, AuthorityView, CertificateDetail } from '../../src/shared/contract/index.ts';
import { inProcessCliStore } from '../support/cli-store.ts';
import { openssl } from '../support/openssl.ts';

const text = (pem: string) => {
  const r = openssl(['x509', '-noout', '-text'], pem);
  expect(r.status, r.output).toBe(0);
  return r.stdout;
};

describe('CA distribution URLs', () => {
  it('puts the CRL distribution point and AIA of the CA into its leaves, and refuses a bad URL by field', async () => {
    const { run } = await inProcessCliStore('Url');
    const cas = async () => (await run('ca', 'list')).json as AuthorityView[];
    const entries = async () => ((await run('audit', 'list')).json as AuditRow[]).filter((r) => r.action.startsWith('ca.')).length;
    const before = { cas: await cas(), entries: await entries() };

    for (const [flag, value, field] of [
      ['--crl-url', 'ftp://pki.example.com/x.crl', 'crlUrl'],
      ['--ca-issuers-url', 'pki.example.com/ca.cer', 'caIssuersUrl'],
      ['--ocsp-url', 'http://ocsp.example.com/a b', 'ocspUrl'],
      ['--crl-url', 'http://user:pw@pki.example.com/x.crl', 'crlUrl'],
    ] as const) {
      const refused = await run('ca', 'create', '--name', 'Url Bad', '--parent', 'Url Root', flag, value);
      expect(refused.code, value).toBe(1);
      expect(refused.json).toMatchObject({ error: { code: 'VALIDATION', field } });
      expect((refused.json as { error: { message: string } }).error.message).toContain(field);
    }
    const badSet = await run('ca', 'urls', 'Url Issuing', '--crl-url', 'javascript:alert(1)');
    expect(badSet.json).toMatchObject({ error: { code: 'VALIDATION', field: 'crlUrl' } });
    expect(await cas()).toEqual(before.cas);
    expect(await entries()).toBe(before.entries);

    const created = await run(
      'ca',
      'create',
      '--name',
      'Url Issuing 2',
      '--parent',
      'Url Root',
      '--crl-url',
      'http://pki.example.com/issuing2.crl',
      '--ca-issuers-url',
      'http://pki.example.com/issuing2.cer',
    );
    expect(created.code, created.stdout).toBe(0);
    expect((created.json as AuthorityView).urls).toEqual({
      crlUrl: 'http://pki.example.com/issuing2.crl',
      caIssuersUrl: 'http://pki.example.com/issuing2.cer',
      ocspUrl: null,
    });
    const leaf = (await run('issue', '--ca', 'Url Issuing 2', '--cn', 'with-urls')).json as CertificateDetail;
    const withUrls = text(leaf.pem);
    expect(withUrls).toMatch(/X509v3 CRL Distribution Points:\s+Full Name:\s+URI:http:\/\/pki\.example\.com\/issuing2\.crl/);
    expect(withUrls).toMatch(/Authority Information Access:\s+CA Issuers - URI:http:\/\/pki\.example\.com\/issuing2\.cer/);
    expect(withUrls).not.toContain('OCSP - URI');

    // A CA without URLs issues leaves without the extensions, as before.
    const plain = text(((await run('issue', '--ca', 'Url Issuing', '--cn', 'no-urls')).json as CertificateDetail).pem);
    expect(plain).not.toContain('CRL Distribution Points');
    expect(plain).not.toContain('Authority Information Access');

    // Set later: an option not given keeps its URL, "" clears one, and the next leaf follows.
    const updated = await run('ca', 'urls', 'Url Issuing 2', '--ocsp-url', 'http://ocsp.example.com/', '--crl-url', '');
    expect((updated.json as AuthorityView).urls).toEqual({
      crlUrl: null,
      caIssuersUrl: 'http://pki.example.com/issuing2.cer',
      ocspUrl: 'http://ocsp.example.com/',
    });
    const next = text(((await run('issue', '--ca', 'Url Issuing 2', '--cn', 'after-update')).json as CertificateDetail).pem);
    expect(next).not.toContain('CRL Distribution Points');
    expect(next).toMatch(/OCSP - URI:http:\/\/ocsp\.example\.com\//);
    expect(next).toMatch(/CA Issuers - URI:http:\/\/pki\.example\.com\/issuing2\.cer/);
    const audited = ((await run('audit', 'list', '--kind', 'ca.urls')).json as AuditRow[])[0];
    expect(audited?.subject?.label).toBe('Url Issuing 2');
    expect(audited?.details).toMatchObject({ ocspUrl: 'http://ocsp.example.com/', crlUrl: null });
  });
});
