import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateDetail, UsageReport } from '../../src/shared/contract/index.ts';
import { runCertdesk } from '../support/cli.ts';
import { openssl } from '../support/openssl.ts';
import { SFTP_SERVER, sshFingerprint, sshKeygen, startSshd, type RunningSshd } from '../support/sshd.ts';
import { tempDir } from '../support/temp.ts';

const PASS = 'cli usage over ssh passphrase';

let sshd: RunningSshd;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => sshd?.stop());

async function store(withCa = true) {
  const dir = tempDir();
  const env = { CERTDESK_DATA_DIR: dir, CERTDESK_PASSPHRASE: PASS };
  const run = (...args: string[]) => runCertdesk(['--json', ...args], env);
  await run('vault', 'init', '--protection', 'passphrase');
  if (withCa) {
    await run('ca', 'create', '--name', 'CLI Root');
    await run('ca', 'create', '--name', 'CLI Issuing', '--parent', 'CLI Root');
  }
  return { dir, env, run };
}

function line(pem: string, time: string, status: number): string {
  const serial = openssl(['x509', '-noout', '-serial'], pem)
    .stdout.trim()
    .replace(/^serial=/, '');
  const issuer = openssl(['x509', '-noout', '-issuer', '-nameopt', 'RFC2253'], pem)
    .stdout.trim()
    .replace(/^issuer=/, '');
  return `${JSON.stringify({ time, serial, issuer, verify: 'SUCCESS', path: '/oauth/token', status: String(status) })}\n`;
}

interface SshSetupJson {
  source: string;
  hostKey: string;
  authorizedKey: string;
  clientKeyFingerprint: string;
  clientKeyReused: boolean;
}

describe('certdesk usage --source ssh://', () => {
  it('pins the host key, prints the line to authorize, then reads the log over ssh incrementally', async () => {
    const { dir, run } = await store();
    const a = (await run('issue', '--ca', 'CLI Issuing', '--cn', 'app-a')).json as CertificateDetail;
    const log = join(dir, 'edge-logs', 'certdesk-mtls.log');
    mkdirSync(join(dir, 'edge-logs'));
    const url = `ssh://${sshd.user}@${sshd.host}:${sshd.port}${log}`;

    // Without --host-key: the presented key is shown for the operator to confirm, and nothing is stored.
    const unpinned = await run('usage', '--source', url);
    expect(unpinned.code).toBe(1);
    expect(unpinned.json).toMatchObject({ error: { code: 'VALIDATION', field: 'hostKey' } });
    expect(JSON.stringify(unpinned.json)).toContain(sshd.hostKeyFingerprint);
    expect(((await run('usage')).json as UsageReport).configured).toBe(false);

    const set = await run('usage', '--source', url, '--host-key', sshd.hostKeyFingerprint);
    expect(set.code, set.stdout + set.stderr).toBe(0);
    const setup = set.json as SshSetupJson;
    expect(setup).toMatchObject({ source: url, hostKey: sshd.hostKeyFingerprint, clientKeyReused: false });
    expect(setup.authorizedKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=* certdesk:edge-access-log$/);
    writeFileSync(join(dir, 'client.pub'), `${setup.authorizedKey}\n`);
    expect(sshFingerprint(join(dir, 'client.pub'))).toBe(setup.clientKeyFingerprint);
    sshd.authorize([`restrict,command="${SFTP_SERVER} -R" ${setup.authorizedKey}`]);

    writeFileSync(log, line(a.pem, '2026-05-01T10:00:00+00:00', 200) + 'garbage\n');
    const first = (await run('usage')).json as UsageReport;
    expect(first).toMatchObject({ configured: true, source: url, reads: [{ source: url, lines: 1, skipped: 1, restarted: null }] });
    expect(first.certificates.map((c) => [c.certificateId, c.requests])).toEqual([[a.id, 1]]);

    appendFileSync(log, line(a.pem, '2026-05-01T10:00:05+00:00', 401));
    const second = (await run('usage', a.id)).json as UsageReport;
    expect(second.reads).toMatchObject([{ lines: 1, skipped: 0 }]);
    expect(second.certificates).toMatchObject([{ certificateId: a.id, requests: 2, lastStatus: 401, tokenSuccesses: 1 }]);
  });

  it('keeps its client key when set again, refuses a changed host key with both fingerprints, and records nothing then', async () => {
    const { dir, env, run } = await store(false);
    const log = join(dir, 'certdesk-mtls.log');
    const url = `ssh://${sshd.user}@${sshd.host}:${sshd.port}${log}`;
    const setup = (await run('usage', '--source', url, '--host-key', sshd.hostKeyFingerprint)).json as SshSetupJson;
    sshd.authorize([`restrict,command="${SFTP_SERVER} -R" ${setup.authorizedKey}`]);

    // Set again (same URL): the client key is kept, so the host's line still works; the human form shows it.
    const human = await runCertdesk(['usage', '--source', url, '--host-key', sshd.hostKeyFingerprint], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`  ${setup.authorizedKey}\n`);
    expect(human.stdout).toContain('the same key as before');

    // A pin that is not the host's: refused with both fingerprints, before anything is read.
    sshKeygen(join(dir, 'other-host-key'));
    const wrong = sshFingerprint(join(dir, 'other-host-key.pub'));
    expect((await run('usage', '--source', url, '--host-key', wrong)).json).toMatchObject({ clientKeyReused: true });
    const stranger = (s: number) =>
      `${JSON.stringify({ time: `2026-05-01T10:00:0${s}+00:00`, serial: '0DEADBEEF0', issuer: 'CN=Somebody Else', verify: 'SUCCESS', path: '/oauth/token', status: '200' })}\n`;
    writeFileSync(log, stranger(1) + stranger(2));
    const refused = await run('usage');
    expect(refused.code).toBe(1);
    expect(refused.json).toMatchObject({ error: { code: 'SSH_HOST_KEY_CHANGED', field: 'hostKey' } });
    expect(JSON.stringify(refused.json)).toContain(wrong);
    expect(JSON.stringify(refused.json)).toContain(sshd.hostKeyFingerprint);

    const badUrl = await run('usage', '--source', `ssh://${sshd.host}${log}`, '--host-key', sshd.hostKeyFingerprint);
    expect(badUrl.json).toMatchObject({ error: { code: 'VALIDATION', field: 'source' } });

    // Pinned right again: the first read starts at 0, so the refused one recorded nothing.
    expect((await run('usage', '--source', url, '--host-key', sshd.hostKeyFingerprint)).json).toMatchObject({ clientKeyReused: true });
    const after = (await run('usage')).json as UsageReport;
    expect(after).toMatchObject({ source: url, reads: [{ lines: 2, skipped: 0, restarted: null, unknown: 1 }] });
    expect(after.unknown).toMatchObject([{ serialHex: 'deadbeef0', requests: 2 }]);
  });

  it('edge export offers a local access log as the read source, without setting it', async () => {
    const { dir, run } = await store();
    mkdirSync(join(dir, 'logs'));
    const base = ['edge', 'export', '--ca', 'CLI Issuing', '--server-name', 'auth.example.com'].concat(
      ['--upstream', 'https://tenant.example', '--server-cert', '/etc/edge/server.pem', '--server-key', '/etc/edge/server.key'],
      ['--cname-api-key-file', '/etc/edge/secret/cname.conf'],
    );
    const local = join(dir, 'logs', 'certdesk-mtls.log');
    const offered = await run(...base, '--out', join(dir, 'b1'), '--access-log', local);
    expect(offered.code, offered.stdout).toBe(0);
    expect(offered.json).toMatchObject({ usageSourceHint: `certdesk usage --source ${local}` });
    expect(((await run('usage')).json as UsageReport).configured).toBe(false);

    // Its folder is not on this machine: no offer.
    const remote = await run(...base, '--out', join(dir, 'b2'), '--access-log', join(dir, 'not-here', 'certdesk-mtls.log'));
    expect(remote.code).toBe(0);
    expect(remote.json).not.toHaveProperty('usageSourceHint');

    // A source is set already: no offer either.
    await run('usage', '--source', local);
    const configured = await run(...base, '--out', join(dir, 'b3'), '--access-log', local);
    expect(configured.code).toBe(0);
    expect(configured.json).not.toHaveProperty('usageSourceHint');
  });
});
