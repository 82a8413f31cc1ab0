/**
 * The zero-downtime run (issue 11 §4) that the folder, CSR-mode and ssh-target tests share: a real
 * workload started on the rig's edge, a full rotation driven by resume rounds with the access log as
 * evidence, and the same assertions every time: no failed token, the switch to the successor, the
 * old certificate refused at the edge after the cut-off and unused by then, at most two credentials
 * at any moment and exactly one at the end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
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
import { API, DOMAIN } from './diagnostics-rig.ts';
import { credentialThumbprints, type RotationRig } from './rotation-rig.ts';
import { failures, startWorkload, type Workload, type WorkloadOptions } from './workload.ts';
import { figures, mtlsTokenUrl, sameSerial, tokenAtEdge, watchCredentials } from './zero-downtime.ts';

export const at = (job: RotationJobView, name: Parameters<typeof rotationStep>[0], phase: 'begin' | 'end') =>
  Date.parse(job.journal.find((e) => e.step === rotationStep(name) && e.phase === phase)!.at);

/** How many reloads nginx has finished (its old worker retired) since `mark` in its error log. */
const reloadsSince = (prefix: string, mark: number) =>
  readFileSync(join(prefix, 'logs', 'error.log'))
    .subarray(mark)
    .toString()
    .split('gracefully shutting down').length - 1;

/** The operator's path through the host dispatch, as `certdesk target add` and `certdesk deliver` take it. */
export function operator(r: RotationRig) {
  const handlers = createHandlers(r.t.service, { targetApprover: CLI_TARGET_APPROVER });
  return async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> => {
    const result = (await dispatch(handlers, channel, input, () => {})) as Result<ChannelOutput<C>>;
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value;
  };
}

export interface ZeroDowntimeRun {
  /** The workload's mode and where it reads (the rig's edge, token URL and client are filled in). */
  workload: Pick<WorkloadOptions, 'mode' | 'dir' | 'initialCert' | 'initialKey' | 'ownDir' | 'subject'>;
  /** The pair in use before the rotation, to knock at the edge with after the cut-off. */
  oldPair: { cert: string; key: string };
  /** Called on every round the job waits (the CSR-mode run answers the inbox's request here). */
  onWait?: (job: RotationJobView, workload: Workload) => void;
  /** A pattern the deliver step's journal detail must match. */
  delivered?: RegExp;
}

/** Runs the rotation across the live workload and asserts the zero-downtime properties; returns the figures. */
export async function zeroDowntimeRun(r: RotationRig, run: ZeroDowntimeRun) {
  const { rig, t } = r;
  const credentials = watchCredentials(rig.sandbox.sandbox, rig.app.clientId);
  const tokenUrl = await mtlsTokenUrl(r.fetchFn, DOMAIN);
  const [host, port] = rig.edgeAddress.split(':') as [string, string];
  const edge = { host, port: Number(port), caPem: rig.edgeCaPem };
  const workload = startWorkload({
    ...run.workload,
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
    if (job.state === 'waiting') run.onWait?.(job, workload);
    await sleep(250);
    job = (await t.service.resumeRotations({ job: job.id }))[0] ?? t.service.rotations.get(job.id);
  }
  expect(job, job.message ?? '').toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
  if (run.delivered)
    expect(job.journal.find((e) => e.step === rotationStep('deliver') && e.phase === 'end')?.detail).toMatch(run.delivered);
  expect(job.journal.find((e) => e.step === rotationStep('remove-old') && e.phase === 'end')?.detail).toMatch(
    /the edge saw the successor get \d+ tokens? and the old certificate unused for 2 s$/,
  );
  const successor = await t.service.getCertificate({ cert: job.successorId! });

  // The cut-off: the old certificate revoked, the CRL published, and nginx reloaded by certdesk's publication.
  const publications = t.service.edgeHistory({ limit: 10 }).filter((p) => Date.parse(p.at) >= at(job, 'issue-successor', 'begin'));
  expect(publications.length).toBeGreaterThanOrEqual(1);
  await workload.until(() => reloadsSince(rig.nginx.prefix, reloadMark) >= publications.length, 'nginx reloaded after the cut-off');
  const refused = await tokenAtEdge(edge, tokenUrl, run.oldPair, { clientId: rig.app.clientId, audience: API });
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
  return { job, successor, measured };
}
