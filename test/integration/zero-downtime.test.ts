/**
 * Issue 11 §4, zero downtime proven end to end with real parts: a workload in its own process asks
 * real nginx (in front of the sandbox tenant) for a token every 200 ms, reading its certificate and
 * key from a folder target on every new TLS connection, while certdesk rotates that certificate with
 * the edge's access log as evidence. No request fails, the workload moves to the successor, the old
 * certificate is refused at the edge after the cut-off (and was no longer used by then), and the
 * application never holds more than two credentials.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CLI_TARGET_APPROVER } from '../../src/main/core/delivery/target-approver.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import {
  ROTATION_STEP_COUNT,
  rotationStep,
  type Channel,
  type ChannelInput,
  type ChannelOutput,
  type Result,
  type RotationJobView,
} from '../../src/shared/contract/index.ts';
import { API, DOMAIN } from '../support/diagnostics-rig.ts';
import { credentialThumbprints, rotationRig } from '../support/rotation-rig.ts';
import { tempDir } from '../support/temp.ts';
import { failures, startWorkload } from '../support/workload.ts';
import {
  currentPair,
  figures,
  mtlsTokenUrl,
  publishWithAccessLog,
  sameSerial,
  tokenAtEdge,
  watchCredentials,
} from '../support/zero-downtime.ts';

const at = (job: RotationJobView, name: Parameters<typeof rotationStep>[0], phase: 'begin' | 'end') =>
  Date.parse(job.journal.find((e) => e.step === rotationStep(name) && e.phase === phase)!.at);

/** How many reloads nginx has finished (its old worker retired) since `mark` in its error log. */
const reloadsSince = (prefix: string, mark: number) =>
  readFileSync(join(prefix, 'logs', 'error.log'))
    .subarray(mark)
    .toString()
    .split('gracefully shutting down').length - 1;

// Real seconds of evidence wait on a loaded machine: about a minute under load, so twice the default ceiling.
describe('zero downtime: a real workload across a full rotation', { timeout: 240_000 }, () => {
  it('gets every token, switches to the successor, and the old certificate is refused at the edge only after it went quiet', async () => {
    const r = await rotationRig();
    const { rig, t } = r;
    const work = tempDir('certdesk-zero-downtime-');
    mkdirSync(join(work, 'edge-logs'));
    await publishWithAccessLog(t.service, rig.nginx, join(work, 'edge-logs', 'certdesk-mtls.jsonl'));

    // The operator's path: a folder target added as `certdesk target add` adds it, then delivered.
    const handlers = createHandlers(t.service, { targetApprover: CLI_TARGET_APPROVER });
    const call = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> => {
      const result = (await dispatch(handlers, channel, input, () => {})) as Result<ChannelOutput<C>>;
      if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
      return result.value;
    };
    const folder = join(work, 'workload-tls');
    await call('targets:add', { cert: rig.client.id, kind: 'folder', path: folder });
    expect(await call('certs:deliver', { cert: rig.client.id })).toMatchObject({ outcome: 'done', serialHex: rig.client.serialHex });
    const oldPair = currentPair(folder);

    const credentials = watchCredentials(rig.sandbox.sandbox, rig.app.clientId);
    const tokenUrl = await mtlsTokenUrl(r.fetchFn, DOMAIN);
    const [host, port] = rig.edgeAddress.split(':') as [string, string];
    const edge = { host, port: Number(port), caPem: rig.edgeCaPem };
    const workload = startWorkload({
      mode: 'folder',
      dir: folder,
      connect: { host, port: Number(port) },
      tokenUrl,
      caPem: rig.edgeCaPem,
      clientId: rig.app.clientId,
      audience: API,
    });
    await workload.until((a) => a.filter((x) => x.ok).length >= 3, 'three tokens with the old certificate');

    // The rotation, with the access log as evidence: a short deadline and quiet period, in real seconds.
    const reloadMark = rig.nginx.logMark();
    let job = await t.service.rotate({ cert: rig.client.id, overlapSeconds: 3, quietSeconds: 2 });
    for (let round = 0; round < 300 && job.state !== 'done'; round++) {
      expect(job.state, job.message ?? '').toMatch(/^(running|waiting)$/);
      await sleep(250);
      job = (await t.service.resumeRotations({ job: job.id }))[0] ?? t.service.rotations.get(job.id);
    }
    expect(job, job.message ?? '').toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
    expect(job.journal.find((e) => e.step === rotationStep('remove-old') && e.phase === 'end')?.detail).toMatch(
      /the edge saw the successor get \d+ tokens? and the old certificate unused for 2 s$/,
    );
    const successor = await t.service.getCertificate({ cert: job.successorId! });

    // The cut-off: the old certificate revoked, the CRL published, and nginx reloaded by certdesk's publication.
    const publications = t.service.edgeHistory({ limit: 10 }).filter((p) => Date.parse(p.at) >= at(job, 'issue-successor', 'begin'));
    expect(publications.length).toBeGreaterThanOrEqual(1);
    await workload.until(() => reloadsSince(rig.nginx.prefix, reloadMark) >= publications.length, 'nginx reloaded after the cut-off');
    const refused = await tokenAtEdge(edge, tokenUrl, oldPair, { clientId: rig.app.clientId, audience: API });
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(String(refused.body)).toMatch(/SSL certificate error/);
    const cutoff = at(job, 'supersede', 'begin');
    await workload.until((a) => a.filter((x) => x.at > cutoff).length >= 3, 'three attempts after the cut-off');
    const attempts = await workload.stop();

    // 0 failed token requests across the whole run.
    expect(failures(attempts)).toEqual([]);
    // The workload switched: every attempt that began after delivery presented the successor.
    const deliveredAt = at(job, 'deliver', 'end');
    const after = attempts.filter((a) => a.at > deliveredAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((a) => !sameSerial(a.serial, successor.serialHex))).toEqual([]);
    // The old certificate was not in use by the cut-off.
    const measured = figures(attempts, rig.client.serialHex, successor.serialHex, at(job, 'deliver', 'begin'));
    expect(measured.withOld).toBeGreaterThan(0);
    expect(measured.lastOldAt!).toBeLessThan(at(job, 'remove-old', 'end'));
    expect(measured.lastOldAt!).toBeLessThan(cutoff);
    // At most two credentials at any moment, exactly one (the successor's) at the end.
    credentials.stop();
    expect(credentials.most()).toEqual({ stored: 2, bound: 2 });
    expect(credentials.now()).toEqual({ stored: 1, bound: 1 });
    expect(await credentialThumbprints(rig)).toEqual([successor.sha256Base64url]);
    console.info(`zero downtime (folder target, in process): ${JSON.stringify(measured)}`);
  });

  // FOLLOW-ON, once the csr-inbox and ssh delivery wiring is merged (on this branch both targets
  // still refuse with TARGET_KIND_UNAVAILABLE): the same run as above, with
  // - startWorkload({ mode: 'csr-inbox', dir: INBOX, initialCert, initialKey, ownDir, subject }) and
  //   workload.tell('csr') when the job waits for the inbox: the workload makes its own key and CSR
  //   with openssl and switches once issued/cert.pem carries its new key;
  // - a `certdesk target add --kind ssh` target on a real sshd (test/support/sshd.ts), the workload
  //   reading the release the target pushed over SFTP.
  it.todo('CSR mode: the workload makes its own new key and CSR when the inbox asks, and gets every token across the rotation');
  it.todo('through an ssh target: the release pushed over SFTP, every token across the rotation');
});
