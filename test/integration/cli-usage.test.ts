import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CertificateDetail, UsageReport } from '../../src/shared/contract/index.ts';
import { runCertdesk } from '../support/cli.ts';
import { openssl } from '../support/openssl.ts';
import { tempDir } from '../support/temp.ts';

const PASS = 'cli usage store passphrase';

async function store() {
  const dir = tempDir();
  const env = { CERTDESK_DATA_DIR: dir, CERTDESK_PASSPHRASE: PASS };
  const run = (...args: string[]) => runCertdesk(['--json', ...args], env);
  await run('vault', 'init', '--protection', 'passphrase');
  await run('ca', 'create', '--name', 'CLI Root');
  await run('ca', 'create', '--name', 'CLI Issuing', '--parent', 'CLI Root');
  return { dir, run };
}

/** A line as nginx writes it: serial in upper-case hex and the issuer in RFC 2253, both read by openssl. */
function line(pem: string, time: string, path: string, status: number): string {
  const serial = openssl(['x509', '-noout', '-serial'], pem)
    .stdout.trim()
    .replace(/^serial=/, '');
  const issuer = openssl(['x509', '-noout', '-issuer', '-nameopt', 'RFC2253'], pem)
    .stdout.trim()
    .replace(/^issuer=/, '');
  return `${JSON.stringify({ time, serial, issuer, verify: 'SUCCESS', path, status: String(status) })}\n`;
}

/** A store with two certificates, and a log of what the edge saw of the first (and of a stranger), with one bad line. */
async function storeWithLog() {
  const { dir, run } = await store();
  const issue = async (cn: string) => (await run('issue', '--ca', 'CLI Issuing', '--cn', cn)).json as CertificateDetail;
  const a = await issue('app-a');
  const b = await issue('app-b');
  const log = join(dir, 'access.log');
  const stranger = JSON.stringify({
    time: '2026-05-01T10:00:05+00:00',
    serial: '0DEADBEEF0',
    issuer: 'CN=Somebody Else',
    verify: 'FAILED:unable to get issuer certificate',
    path: '/oauth/token',
    status: '400',
  });
  writeFileSync(
    log,
    line(a.pem, '2026-05-01T10:00:00+00:00', '/oauth/token', 200) +
      'garbage that is not json\n' +
      `${stranger}\n` +
      line(a.pem, '2026-05-01T10:00:10+00:00', '/userinfo', 200),
  );
  return { dir, run, a, b, log };
}

describe('certdesk usage', () => {
  it('--log reads one file once: counts per certificate, skips a bad line, stores nothing', async () => {
    const { dir, run, a, log } = await storeWithLog();
    const once = await run('usage', '--log', log);
    expect(once.code, once.stderr).toBe(0);
    const onceReport = once.json as UsageReport;
    expect(onceReport.reads).toEqual([{ source: log, lines: 3, skipped: 1, restarted: null, certificates: 1, unknown: 1, anonymous: 0 }]);
    expect(onceReport.certificates).toEqual([
      {
        certificateId: a.id,
        name: 'app-a',
        serialHex: a.serialHex,
        status: 'active',
        firstSeen: '2026-05-01T10:00:00.000Z',
        lastSeen: '2026-05-01T10:00:10.000Z',
        requests: 2,
        lastStatus: 200,
        tokenSuccesses: 1,
      },
    ]);
    expect(onceReport.unknown).toMatchObject([{ serialHex: 'deadbeef0', issuer: 'CN=Somebody Else', requests: 1, lastStatus: 400 }]);
    // Nothing was stored: no source, no usage, no offset.
    const after = (await run('usage')).json as UsageReport;
    expect(after).toEqual({ configured: false, source: null, reads: [], certificates: [], unknown: [] });

    const missing = await run('usage', '--log', join(dir, 'no-such.log'));
    expect(missing.code).toBe(1);
    expect(missing.json).toMatchObject({ error: { code: 'NOT_FOUND', field: 'log' } });
  });

  it('--source configures the log; each run reads what it gained since the last', async () => {
    const { dir, run, a, b, log } = await storeWithLog();
    const first = (await run('usage', '--source', log)).json as UsageReport;
    expect(first).toMatchObject({ configured: true, source: log, reads: [{ lines: 3, skipped: 1 }] });
    expect(first.certificates.map((c) => [c.certificateId, c.requests])).toEqual([[a.id, 2]]);
    writeFileSync(log, readFileSync(log, 'utf8') + line(b.pem, '2026-05-01T10:01:00+00:00', '/oauth/token', 200));
    const onlyB = (await run('usage', b.id)).json as UsageReport;
    expect(onlyB.reads).toMatchObject([{ lines: 1, skipped: 0, restarted: null }]);
    expect(onlyB.certificates.map((c) => [c.certificateId, c.requests, c.tokenSuccesses])).toEqual([[b.id, 1, 1]]);
    expect(((await run('show', a.id)).json as CertificateDetail).lastSeenAtEdge).toBe('2026-05-01T10:00:10.000Z');

    const human = await runCertdesk(['usage'], { CERTDESK_DATA_DIR: dir, CERTDESK_PASSPHRASE: PASS });
    expect(human.stdout).toContain(`Read ${log}: 0 line(s)`);
    expect(human.stdout).toMatch(/2026-05-01 10:01:00 +1 +1 200 +active +app-b/);
    expect(human.stdout).toMatch(/2026-05-01 10:00:10 +2 +1 200 +active +app-a/);
    expect(human.stdout).toContain('serial deadbeef0');
  });

  it('edge export writes the access log, and refuses a hostile path with nothing written', async () => {
    const { dir, run } = await store();
    const out = join(dir, 'bundle');
    const base = ['edge', 'export', '--out', out, '--ca', 'CLI Issuing', '--server-name', 'auth.example.com'].concat([
      '--upstream',
      'https://tenant.example',
      '--server-cert',
      '/etc/edge/server.pem',
      '--server-key',
      '/etc/edge/server.key',
      '--cname-api-key-file',
      '/etc/edge/secret/cname.conf',
    ]);
    const hostile = await run(...base, '--access-log', '/var/log/x.log;\n    include /etc/passwd');
    expect(hostile.code).toBe(1);
    expect(hostile.json).toMatchObject({ error: { code: 'VALIDATION' } });
    expect(JSON.stringify(hostile.json)).toContain('accessLog');
    expect(existsSync(out)).toBe(false);
    expect((await run('edge', 'export', '--help')).stdout).toContain('--access-log');

    const ok = await run(...base, '--access-log', '/var/log/nginx//certdesk-mtls.log');
    expect(ok.code, ok.stdout).toBe(0);
    const conf = readFileSync(join(out, 'certdesk-edge.conf'), 'utf8');
    expect(conf).toContain('access_log /var/log/nginx/certdesk-mtls.log certdesk_mtls;');
    expect(conf).toMatch(/^log_format certdesk_mtls escape=json '\{"time":"\$time_iso8601",/m);
  });
});
