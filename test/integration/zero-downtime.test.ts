/**
 * Issue 11 §4, zero downtime proven end to end with real parts: a workload in its own process asks
 * real nginx (in front of the sandbox tenant) for a token every 200 ms, reading its certificate and
 * key where certdesk delivers them on every new TLS connection, while certdesk rotates that
 * certificate with the edge's access log as evidence. No request fails, the workload moves to the
 * successor, the old certificate is refused at the edge after the cut-off (and was no longer used by
 * then), and the application never holds more than two credentials. Three ways to deliver: a folder
 * target, a csr-inbox (the workload makes its own key), and an ssh target on a real sshd.
 */
import { createPublicKey, X509Certificate } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ROTATION_WAIT } from '../../src/shared/contract/index.ts';
import { rotationRig, type RotationRig } from '../support/rotation-rig.ts';
import { startSshd } from '../support/sshd.ts';
import { tempDir } from '../support/temp.ts';
import { currentPair, publishWithAccessLog } from '../support/zero-downtime.ts';
import { operator, zeroDowntimeRun } from '../support/zero-downtime-run.ts';

/** The rig with the edge's JSON access log as certdesk's evidence, and a work folder. */
async function withEvidence(r: RotationRig): Promise<string> {
  const work = tempDir('certdesk-zero-downtime-');
  mkdirSync(join(work, 'edge-logs'));
  await publishWithAccessLog(r.t.service, r.rig.nginx, join(work, 'edge-logs', 'certdesk-mtls.jsonl'));
  return work;
}

// Real seconds of evidence wait on a loaded machine: about a minute under load, so twice the default ceiling.
describe('zero downtime: a real workload across a full rotation', { timeout: 240_000 }, () => {
  it('gets every token, switches to the successor, and the old certificate is refused at the edge only after it went quiet', async () => {
    const r = await rotationRig();
    const work = await withEvidence(r);
    // The operator's path: a folder target added as `certdesk target add` adds it, then delivered.
    const call = operator(r);
    const folder = join(work, 'workload-tls');
    await call('targets:add', { cert: r.rig.client.id, kind: 'folder', path: folder });
    expect(await call('certs:deliver', { cert: r.rig.client.id })).toMatchObject({ outcome: 'done', serialHex: r.rig.client.serialHex });
    const { measured } = await zeroDowntimeRun(r, { workload: { mode: 'folder', dir: folder }, oldPair: currentPair(folder) });
    console.info(`zero downtime (folder target, in process): ${JSON.stringify(measured)}`);
  });

  it('CSR mode: the workload makes its own new key and CSR when the inbox asks, and gets every token across the rotation', async () => {
    // managedKey false: the client certificate was signed from an openssl CSR; only the workload holds its key.
    const r = await rotationRig({ managedKey: false });
    expect(r.rig.client.keyStorage).toBe('csr-only');
    const work = await withEvidence(r);
    const call = operator(r);
    const inbox = join(work, 'inbox');
    await call('targets:add', { cert: r.rig.client.id, kind: 'csr-inbox', path: inbox });
    const oldPair = { cert: r.rig.client.pem, key: r.rig.input.certificate.keyPem! };
    const own = join(work, 'workload-own');
    mkdirSync(own, { mode: 0o700 });
    writeFileSync(join(own, 'initial-cert.pem'), oldPair.cert);
    writeFileSync(join(own, 'initial-key.pem'), oldPair.key, { mode: 0o600 });

    let asked = 0;
    const { job, successor, measured } = await zeroDowntimeRun(r, {
      workload: {
        mode: 'csr-inbox',
        dir: inbox,
        initialCert: join(own, 'initial-cert.pem'),
        initialKey: join(own, 'initial-key.pem'),
        ownDir: own,
        subject: '/C=US/O=YourOrg/CN=app-client-prod',
      },
      oldPair,
      // The workload answers the inbox's request once, as an operator's hook on the notice would.
      onWait: (waiting, workload) => {
        if (asked === 0 && waiting.message?.startsWith(ROTATION_WAIT.csr)) {
          asked++;
          workload.tell('csr');
        }
      },
      delivered: /answered the workload's CSR/,
    });
    expect(asked).toBe(1);
    // The successor carries the key the workload made, which certdesk never held.
    expect(successor.keyStorage).toBe('csr-only');
    const made = readdirSync(own).filter((n) => /^next-\d+\.key$/.test(n));
    expect(made).toHaveLength(1);
    const spki = (key: string | X509Certificate) =>
      (typeof key === 'string' ? createPublicKey(key) : key.publicKey).export({ type: 'spki', format: 'der' });
    expect(spki(new X509Certificate(successor.pem))).toEqual(spki(readFileSync(join(own, made[0]!), 'utf8')));
    expect(spki(new X509Certificate(successor.pem))).not.toEqual(spki(oldPair.key));
    expect(job.journal.some((e) => e.phase === 'wait' && e.detail?.startsWith(ROTATION_WAIT.csr))).toBe(true);
    console.info(`zero downtime (csr-inbox, workload's own key): ${JSON.stringify(measured)}`);
  });

  it('through an ssh target: the release pushed over SFTP, every token across the rotation', async () => {
    const r = await rotationRig();
    const work = await withEvidence(r);
    const sshd = await startSshd();
    onTestFinished(() => sshd.stop());
    // The remote host is this machine: the workload reads the folder the target writes over SFTP.
    const remote = join(work, 'remote-tls');
    mkdirSync(remote);
    const call = operator(r);
    const added = await call('targets:add', {
      cert: r.rig.client.id,
      kind: 'ssh',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      path: remote,
      hostKey: sshd.hostKeyFingerprint,
    });
    expect(added.authorizedKey).toMatch(/^ssh-ed25519 /);
    sshd.authorize([added.authorizedKey!]);
    expect(await call('certs:deliver', { cert: r.rig.client.id })).toMatchObject({
      outcome: 'done',
      deliveries: [{ status: 'done', targetId: added.target.id }],
    });
    const { measured } = await zeroDowntimeRun(r, { workload: { mode: 'folder', dir: remote }, oldPair: currentPair(remote) });
    expect(sshd.log()).toMatch(/Accepted publickey/);
    console.info(`zero downtime (ssh target over SFTP): ${JSON.stringify(measured)}`);
  });
});
