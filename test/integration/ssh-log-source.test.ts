import { appendFileSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeUsage } from '../../src/main/core/evidence/edge-usage.ts';
import type { LogSource } from '../../src/main/core/evidence/log-source.ts';
import { ACCESS_LOG_SSH } from '../../src/main/core/evidence/ssh-log-config.ts';
import { CertdeskError } from '../../src/main/core/errors.ts';
import type { CertificateDetail } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { withIssuingCa } from '../support/pki.ts';
import { SFTP_SERVER, sshFingerprint, sshKeygen, startSshd, type RunningSshd } from '../support/sshd.ts';
import { tempDir } from '../support/temp.ts';

let sshd: RunningSshd;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => sshd?.stop());

/** A line as nginx's certdesk_mtls format writes it, serial and issuer as openssl prints them. */
function lineFor(pem: string) {
  const serial = openssl(['x509', '-noout', '-serial'], pem)
    .stdout.trim()
    .replace(/^serial=/, '');
  const issuer = openssl(['x509', '-noout', '-issuer', '-nameopt', 'RFC2253'], pem)
    .stdout.trim()
    .replace(/^issuer=/, '');
  return (second: number, status = 200, path = '/oauth/token') =>
    `${JSON.stringify({ time: `2026-05-01T10:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}+00:00`, serial, issuer, verify: 'SUCCESS', path, status: String(status) })}\n`;
}

/** A store with one certificate, its access log read over ssh by a key the host allows only read-only SFTP. */
async function rig() {
  const t = await withIssuingCa();
  const cert = (await t.service.issue({
    ca: 'Test Issuing',
    subject: { commonName: 'app-a' },
    source: { kind: 'generated' },
  })) as CertificateDetail;
  const log = join(tempDir(), 'certdesk-mtls.log');
  const url = `ssh://${sshd.user}@${sshd.host}:${sshd.port}${log}`;
  await t.service.audit.settle();
  const setup = await t.service.usage.setSshSource(url, sshd.hostKeyFingerprint);
  sshd.authorize([`restrict,command="${SFTP_SERVER} -R" ${setup.authorizedKey}`]);
  const usage = t.service.usage;
  const counts = () => ({
    positions: t.service.db.prepare('SELECT count(*) FROM edge_log_positions').pluck().get(),
    usage: t.service.db.prepare('SELECT count(*) FROM edge_usage').pluck().get(),
  });
  return { t, cert, log, url, setup, usage, line: lineFor(cert.pem), counts };
}

async function refusal(promise: Promise<unknown>): Promise<CertdeskError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CertdeskError);
  return error as CertdeskError;
}

const logins = () => sshd.log().match(/Accepted publickey/g)?.length ?? 0;
const connections = () => sshd.log().match(/Connection from 127\.0\.0\.1/g)?.length ?? 0;

describe('the edge access log read over ssh', () => {
  it('reads incrementally by offset, counts a line that does not parse, and leaves a partial line for later', async () => {
    const { cert, log, url, setup, usage, line } = await rig();
    expect(setup).toMatchObject({ source: url, hostKey: sshd.hostKeyFingerprint, clientKeyReused: false });
    expect(usage.readPath()).toBe(url);
    expect(usage.configured()).toBe(true);

    writeFileSync(log, line(0) + 'not json at all\n' + line(1, 401));
    const first = await usage.read();
    expect(first).toMatchObject([{ source: url, lines: 2, skipped: 1, restarted: null, certificates: 1 }]);
    const size1 = Buffer.byteLength(readFileSync(log));
    expect(usage.repository.position(url)).toEqual({ inode: expect.stringMatching(/^prefix:\d+:[0-9a-f]{64}$/), offset: size1 });
    expect(usage.usage(cert.id)).toMatchObject({ requests: 2, lastStatus: 401 });

    appendFileSync(log, line(2) + line(3) + line(4).slice(0, 30));
    const second = await usage.read();
    expect(second).toMatchObject([{ lines: 2, skipped: 0, restarted: null }]);
    const size2 = size1 + line(2).length + line(3).length;
    expect(usage.repository.position(url)!.offset).toBe(size2);
    expect(usage.repository.usage(cert.id)).toMatchObject({ requests: 4, lastStatus: 200, tokenSuccesses: 3 });

    appendFileSync(log, line(4).slice(30));
    expect(await usage.read()).toMatchObject([{ lines: 1, skipped: 0, restarted: null }]);
    expect(usage.repository.counters(url)).toEqual({ lines: 5, skipped: 1 });

    // Past 4 KiB the identity stops growing, and the file is still the same one.
    let more = '';
    for (let s = 5; s < 45; s++) more += line(s);
    appendFileSync(log, more);
    expect(await usage.read()).toMatchObject([{ lines: 40, restarted: null }]);
    expect(usage.repository.position(url)!.inode).toMatch(/^prefix:4096:/);
    appendFileSync(log, line(50));
    expect(await usage.read()).toMatchObject([{ lines: 1, restarted: null }]);
    expect(usage.usage(cert.id)!.requests).toBe(46);
    // Every read was one login, with the key the host allows only read-only SFTP.
    expect(sshd.log()).toContain('Accepted publickey');
  });

  it('survives logrotate: a new file at the path is read from its start, even when it is already longer than the old offset', async () => {
    const { cert, log, url, usage, line } = await rig();
    writeFileSync(log, line(0) + line(1));
    expect(await usage.read()).toMatchObject([{ lines: 2, restarted: null }]);

    renameSync(log, `${log}.1`);
    writeFileSync(log, line(10) + line(11) + line(12) + line(13));
    expect(await usage.read()).toMatchObject([{ lines: 4, skipped: 0, restarted: 'new-file' }]);
    expect(usage.usage(cert.id)!.requests).toBe(6);
    expect(usage.repository.position(url)!.offset).toBe(Buffer.byteLength(readFileSync(log)));

    // A new file shorter than the old offset is told apart too.
    renameSync(log, `${log}.2`);
    writeFileSync(log, line(20));
    expect(await usage.read()).toMatchObject([{ lines: 1, restarted: 'new-file' }]);
    expect(usage.usage(cert.id)!.requests).toBe(7);

    // Rotated away and not yet created again: nothing to read, the position is kept.
    const before = usage.repository.position(url);
    rmSync(log);
    expect(await usage.read()).toMatchObject([{ lines: 0, restarted: null }]);
    expect(usage.repository.position(url)).toEqual(before);
  });

  it('finishes the file it opened when logrotate runs in the middle of a read', async () => {
    const { t, log, url, usage, line } = await rig();
    let body = '';
    for (let n = 0; n < 7000; n++) body += line(n);
    expect(body.length).toBeGreaterThan(1 << 20);
    writeFileSync(log, body);
    const [configured] = usage.sources();
    let rotated = false;
    const rotating: LogSource = {
      id: configured!.id,
      async open() {
        const file = await configured!.open();
        if (file === null) return null;
        return {
          ...file,
          async read(offset, length) {
            const bytes = await file.read(offset, length);
            if (!rotated) {
              rotated = true;
              renameSync(log, `${log}.1`);
              writeFileSync(log, line(9000, 503));
            }
            return bytes;
          },
        };
      },
    };
    const during = new EdgeUsage(t.service.edgeContext(), () => [rotating]);
    expect(await during.read()).toMatchObject([{ lines: 7000, skipped: 0, restarted: null }]);
    expect(rotated).toBe(true);
    expect(usage.repository.position(url)!.offset).toBe(body.length);

    expect(await usage.read()).toMatchObject([{ lines: 1, restarted: 'new-file' }]);
  });

  it('reads a truncated log (copytruncate) again from its start', async () => {
    const { cert, log, url, usage, line } = await rig();
    writeFileSync(log, line(0) + line(1) + line(2));
    expect(await usage.read()).toMatchObject([{ lines: 3 }]);
    truncateSync(log, 0);
    expect(await usage.read()).toMatchObject([{ lines: 0, restarted: 'new-file' }]);
    expect(usage.repository.position(url)).toEqual({ inode: expect.stringMatching(/^prefix:0:/), offset: 0 });
    appendFileSync(log, line(30, 500));
    expect(await usage.read()).toMatchObject([{ lines: 1, restarted: null }]);
    expect(usage.usage(cert.id)).toMatchObject({ requests: 4, lastStatus: 500 });
  });

  it('refuses a changed host key, naming both fingerprints, with nothing recorded', async () => {
    const { t, log, url, usage, line, counts } = await rig();
    writeFileSync(log, line(0));
    const other = join(tempDir(), 'other-host-key');
    sshKeygen(other);
    const pinned = sshFingerprint(`${other}.pub`);
    await usage.setSshSource(url, pinned);
    const before = { ...counts(), logins: logins() };
    const error = await refusal(usage.read());
    expect(error.code).toBe('SSH_HOST_KEY_CHANGED');
    expect(error.message).toContain(pinned);
    expect(error.message).toContain(sshd.hostKeyFingerprint);
    expect({ ...counts(), logins: logins() }).toEqual(before);
    expect(before).toMatchObject({ positions: 0, usage: 0 });
    expect(t.service.db.prepare('SELECT count(*) FROM edge_log_positions').pluck().get()).toBe(0);
  });

  it('refuses a source edited in the database before connecting, with nothing recorded', async () => {
    const { t, log, usage, line, counts } = await rig();
    writeFileSync(log, line(0));
    const settings = t.service.db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
    const row = JSON.parse(settings.get(ACCESS_LOG_SSH) as string) as Record<string, unknown>;
    // Whoever can write the file points certdesk at another log (or host), keeping the old MAC.
    const elsewhere = join(tempDir(), 'forged.log');
    writeFileSync(elsewhere, line(1));
    t.service.db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(JSON.stringify({ ...row, path: elsewhere }), ACCESS_LOG_SSH);
    const before = { ...counts(), connections: connections() };
    const error = await refusal(usage.read());
    expect(error.code).toBe('EDGE_LOG_SOURCE_NOT_APPROVED');
    expect(error.message).toContain('changed outside certdesk');
    expect({ ...counts(), connections: connections() }).toEqual(before);
    expect(before).toMatchObject({ positions: 0, usage: 0 });
  });

  it('reuses its client key when set again, and a local path replaces the ssh source', async () => {
    const { log, url, setup, usage, line } = await rig();
    writeFileSync(log, line(0));
    const again = await usage.setSshSource(url, sshd.hostKeyFingerprint);
    expect(again).toMatchObject({ keyId: setup.keyId, authorizedKey: setup.authorizedKey, clientKeyReused: true });
    expect(await usage.read()).toMatchObject([{ lines: 1 }]);
    const bad = await refusal(usage.setSshSource(`ssh://${sshd.host}/var/log/x.log`, sshd.hostKeyFingerprint));
    expect(bad).toMatchObject({ code: 'VALIDATION', field: 'source' });
    expect(usage.readPath()).toBe(url);
    usage.setReadPath(log);
    expect(usage.readPath()).toBe(log);
    expect(usage.needsVault()).toBe(false);
  });
});
