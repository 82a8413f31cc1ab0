import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CertificateDetail, CertificatePage, CrlView } from '../../src/shared/contract/index.ts';
import { runCertdesk } from '../support/cli.ts';
import { openssl } from '../support/openssl.ts';
import { KEY_ARGS, opensslCsr } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

// Passphrase mode keeps this suite independent of the keychain (the keychain path is covered elsewhere).
const PASS = 'cli test store passphrase';

async function store() {
  const dir = tempDir();
  const env = { CERTDESK_DATA_DIR: dir, CERTDESK_PASSPHRASE: PASS };
  const run = (...args: string[]) => runCertdesk(['--json', ...args], env);
  await run('vault', 'init', '--protection', 'passphrase');
  await run('ca', 'create', '--name', 'CLI Root');
  await run('ca', 'create', '--name', 'CLI Issuing', '--parent', 'CLI Root');
  return { dir, run, env };
}

describe('certdesk CLI: the CA at work', () => {
  it('issue → show → renew → revoke → crl → export, every step one JSON document', async () => {
    const { dir, run, env } = await store();
    const issued = await run(
      'issue',
      '--ca',
      'CLI Issuing',
      '--cn',
      'app-client-prod',
      '--o',
      'YourOrg',
      '--c',
      'US',
      '--san',
      'uri:spiffe://acme/app',
      '--san',
      'dns:app.example.com',
      '--days',
      '30',
      '--key',
      'ec-p384',
    );
    expect(issued.code, issued.stdout).toBe(0);
    const cert = issued.json as CertificateDetail;
    expect(cert).toMatchObject({
      commonName: 'app-client-prod',
      keyType: 'ec-p384',
      sans: [
        { type: 'uri', value: 'spiffe://acme/app' },
        { type: 'dns', value: 'app.example.com' },
      ],
    });

    // CERT may be an id, a hex serial (with colons, any case) or a thumbprint.
    const colonSerial = cert.serialHex.toUpperCase().match(/../g)!.join(':');
    // After "--": a base64url thumbprint starts with "-" one time in 64, and would read as an option.
    for (const ref of [cert.id, colonSerial, cert.sha256Hex, cert.sha256Base64url]) {
      expect(((await run('show', '--', ref)).json as CertificateDetail).id, ref).toBe(cert.id);
    }
    const renewed = (await run('renew', cert.id)).json as CertificateDetail;
    expect(renewed.replacesId).toBe(cert.id);
    const revoked = await run('revoke', renewed.serialHex, '--reason', 'keyCompromise');
    expect((revoked.json as CertificateDetail).status).toBe('revoked');
    const crlFile = join(dir, 'issuing.crl.pem');
    const crl = (await run('crl', '--ca', 'CLI Issuing', '--out', crlFile)).json as CrlView;
    expect(crl).toMatchObject({ crlNumber: 1, revokedCount: 1 });
    expect(readFileSync(crlFile, 'utf8')).toMatch(/^-----BEGIN X509 CRL-----/);

    const chainFile = join(dir, 'chain.pem');
    expect((await run('export', cert.id, '--format', 'chain', '--out', chainFile)).code).toBe(0);
    expect(readFileSync(chainFile, 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    const p12 = join(dir, 'client.p12');
    const exported = await runCertdesk(['--json', 'export', cert.id, '--format', 'p12', '--out', p12], {
      ...env,
      CERTDESK_EXPORT_PASSPHRASE: 'export passphrase 123',
    });
    expect(exported.json).toMatchObject({ containsKey: true, writtenTo: p12 });
    expect(openssl(['pkcs12', '-info', '-noout', '-in', p12, '-passin', 'pass:export passphrase 123']).status).toBe(0);
    const noPass = await run('export', cert.id, '--format', 'key', '--out', join(dir, 'k.pem'));
    expect(noPass.json).toMatchObject({ error: { code: 'PASSPHRASE_TOO_SHORT', field: 'passphrase' } });

    const list = (await run('list', '--status', 'revoked')).json as CertificatePage;
    expect(list.items.map((c) => c.id)).toEqual([renewed.id]);
    const search = (await run('list', '--search', 'APP-CLIENT')).json as CertificatePage;
    expect(search.total).toBe(2);
    expect(((await run('list', '--expiring-within', '31')).json as CertificatePage).total).toBe(1);
    expect((await run('audit', 'verify')).json).toMatchObject({ ok: true });
  });

  it('signs a CSR file (PEM and DER) and lints files', async () => {
    const { dir, run } = await store();
    const { csr } = opensslCsr([...KEY_ARGS['rsa-3072']], '/CN=csr-cli');
    writeFileSync(join(dir, 'c.csr'), csr);
    const signed = await run('sign', '--ca', 'CLI Issuing', '--csr', join(dir, 'c.csr'), '--use-csr-subject');
    expect((signed.json as CertificateDetail).keyStorage).toBe('csr-only');
    openssl(['req', '-in', join(dir, 'c.csr'), '-outform', 'DER', '-out', join(dir, 'c.der')]);
    // The same key again, under the operator's own subject: the PEM certificate already holds CN=csr-cli.
    const der = await run('sign', '--ca', 'CLI Issuing', '--csr', join(dir, 'c.der'), '--cn', 'csr-cli', '--o', 'From DER');
    expect((der.json as CertificateDetail).commonName).toBe('csr-cli');
    writeFileSync(join(dir, 'leaf.pem'), (signed.json as CertificateDetail).pem);
    const lint = await run('lint', join(dir, 'leaf.pem'));
    expect(lint.code).toBe(0);
    expect(lint.json).toMatchObject({ ok: true });
    const missing = await run('sign', '--ca', 'CLI Issuing', '--csr', join(dir, 'nope.csr'));
    expect(missing.json).toMatchObject({ error: { code: 'NOT_FOUND', field: 'csr' } });
    expect(missing.code).toBe(1);
  });

  it('has --help for every command', async () => {
    for (const args of [
      ['issue'],
      ['sign'],
      ['renew'],
      ['revoke'],
      ['crl'],
      ['export'],
      ['list'],
      ['show'],
      ['lint'],
      ['audit', 'verify'],
      ['ca', 'import'],
    ]) {
      const r = await runCertdesk([...args, '--help']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/Usage: certdesk/);
    }
  });
});

describe('certdesk edge export', () => {
  it('writes the nginx bundle, records the publication, and reports a failing reload by name', async () => {
    const { dir, run } = await store();
    const out = join(dir, 'bundle');
    const base = [
      'edge',
      'export',
      '--format',
      'nginx',
      '--out',
      out,
      '--ca',
      'CLI Issuing',
      '--server-name',
      'auth.example.com',
      '--upstream',
      'https://tenant.example',
      '--server-cert',
      '/etc/edge/server.pem',
      '--server-key',
      '/etc/edge/server.key',
      '--cname-api-key-file',
      '/etc/edge/secret/cname.conf',
    ];
    // A shell line is refused before anything runs; the operator's own argv is set explicitly, then chosen.
    const shell = await run(...base, '--reload', 'true');
    expect(shell.code).toBe(1);
    expect(shell.stderr + shell.stdout).toContain('certdesk edge reload set');
    expect((await run('edge', 'reload', 'set', '--', 'true')).code).toBe(0);
    const ok = await run(...base, '--reload', 'custom');
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.json).toMatchObject({
      authorities: ['CLI Issuing', 'CLI Root'],
      crlNumbers: { 'CLI Issuing': 1, 'CLI Root': 1 },
      reload: { status: 0 },
    });
    const conf = readFileSync(join(out, 'certdesk-edge.conf'), 'utf8');
    expect(conf).toContain('ssl_verify_client      on;');
    expect(conf).toContain('proxy_set_header client-certificate $ssl_client_escaped_cert;');
    expect(conf).toContain('include /etc/edge/secret/cname.conf;');
    expect((await run('edge', 'reload', 'set', '--', 'sh', '-c', 'echo nginx: config test failed >&2; exit 1')).code).toBe(0);
    const failed = await run(...base, '--reload', 'custom');
    expect(failed.code).toBe(1);
    expect(failed.json).toMatchObject({
      error: { code: 'VALIDATION', field: 'reload', message: expect.stringContaining('config test failed') },
    });
    const bad = await run(...base.map((a) => (a === 'auth.example.com' ? 'auth.example.com;evil' : a)));
    expect(bad.json).toMatchObject({ error: { field: 'serverName' } });
    expect((await run('audit', 'verify')).json).toMatchObject({ ok: true });
    expect((await runCertdesk(['edge', 'export', '--help'])).stdout).toMatch(/Usage: certdesk edge export/);
  });
});

describe('certdesk schedule', () => {
  it('lists what is due as JSON and writes an .ics', async () => {
    const { dir, run } = await store();
    await run('issue', '--ca', 'CLI Issuing', '--cn', 'soon', '--days', '10');
    await run('issue', '--ca', 'CLI Issuing', '--cn', 'later', '--days', '90');
    const ics = join(dir, 'schedule.ics');
    const due = await run('schedule', '--within', '30', '--ics', ics);
    expect(due.code).toBe(0);
    expect((due.json as Array<{ name: string; state: string }>).map((i) => [i.name, i.state])).toEqual([['soon', 'due']]);
    expect(readFileSync(ics, 'utf8')).toContain('SUMMARY:Renew soon');
    const bad = await run('schedule', '--within', 'soon');
    expect(bad.json).toMatchObject({ error: { code: 'VALIDATION', field: 'within' } });
  });
});
