/**
 * Rotation under the faults of real life: a 429 storm, 5xx answers, and the edge down while the
 * bundle is published. Each run completes, or stops safely and resumes; the application always
 * keeps a working credential.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { ROTATION_STEP_COUNT, rotationStep } from '../../src/shared/contract/index.ts';
import { credentialThumbprints, reloadOnPublish, rotationRig, tokenWith } from '../support/rotation-rig.ts';

describe('rotation under faults', () => {
  it('completes through a 429 storm without a duplicate credential', async () => {
    const { rig, t } = await rotationRig();
    rig.sandbox.sandbox.setFaults({ fail429Share: 0.25, seed: 5, appliesTo: 'management' });
    const job = await t.service.rotate({ cert: rig.client.id, overlapSeconds: 0 });
    rig.sandbox.sandbox.setFaults({ fail429Share: 0 });
    expect(job, job.message ?? '').toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
    expect(rig.sandbox.records.filter((r) => r.status === 429).length, 'the storm happened').toBeGreaterThan(0);
    const successor = await t.service.getCertificate({ cert: job.successorId! });
    expect(await credentialThumbprints(rig)).toEqual([successor.sha256Base64url]);
    expect(rig.sandbox.records.filter((r) => r.method === 'POST' && r.path.endsWith('/credentials') && r.status === 201)).toHaveLength(2);
  });

  it('waits through persistent 5xx answers with the old credential in place, and resumes to completion', async () => {
    const { rig, t, fetchFn } = await rotationRig();
    rig.sandbox.sandbox.setFaults({ fail5xxShare: 1, appliesTo: 'management' });
    const waiting = await t.service.rotate({ cert: rig.client.id, overlapSeconds: 0 });
    expect(waiting).toMatchObject({
      state: 'waiting',
      step: rotationStep('publish-edge'),
      message: expect.stringMatching(/waiting for "Sandbox": .*answered 503/),
    });
    // The background retries it (every round) while the tenant still fails: the same wait again is
    // not announced or audited again.
    const waits = () => ({
      events: t.events.filter((e) => e.type === 'rotation' && e.phase === 'wait').length,
      audited: t.service.listAudit({ limit: 1000 }).items.filter((e) => e.action === 'rotation.wait').length,
    });
    expect(waits()).toEqual({ events: 1, audited: 1 });
    expect((await t.service.resumeRotations({}))[0]).toMatchObject({ state: 'waiting', message: waiting.message });
    expect((await t.service.resumeRotations({}))[0]).toMatchObject({ state: 'waiting', message: waiting.message });
    expect(waits()).toEqual({ events: 1, audited: 1 });
    rig.sandbox.sandbox.setFaults({ fail5xxShare: 0 });
    expect(await credentialThumbprints(rig)).toEqual([rig.client.sha256Base64url]);
    expect(await tokenWith(t.service, rig, fetchFn, rig.client.id)).toBe('pass');

    const [done] = await t.service.resumeRotations({});
    expect(done).toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
    expect(await credentialThumbprints(rig)).toEqual([(await t.service.getCertificate({ cert: done!.successorId! })).sha256Base64url]);
  });

  it('stops safely when the edge is down while publishing, and completes once it is back', async () => {
    const r = await rotationRig();
    const { rig, t } = r;
    // Publish with a reload command that reaches the edge; then the edge goes down.
    await reloadOnPublish(r);
    await rig.nginx.stop();
    // A revocation elsewhere changes the CRL, so the rotation has a bundle to publish.
    const other = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'someone-else' }, source: { kind: 'generated' } });
    await t.service.revoke({ cert: other.id, reason: 'cessationOfOperation' });

    const failed = await t.service.rotate({ cert: rig.client.id, overlapSeconds: 0 });
    expect(failed).toMatchObject({
      state: 'failed',
      // The last step done is the one before publish-edge (deliver, with no target here).
      step: rotationStep('publish-edge') - 1,
      message: expect.stringContaining('the reload command failed'),
    });
    expect(await credentialThumbprints(rig), 'nothing changed at the tenant').toEqual([rig.client.sha256Base64url]);

    const back = await rig.nginx.restart();
    onTestFinished(() => back.stop());
    const [done] = await t.service.resumeRotations({ job: failed.id });
    expect(done, done?.message ?? '').toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
    // The bundle was written before the failed reload, but the edge never loaded it: the resumed
    // step publishes again and runs the reload, rather than calling the written files current.
    expect(done!.journal.filter((e) => e.step === rotationStep('publish-edge')).map((e) => e.phase)).toEqual([
      'begin',
      'fail',
      'begin',
      'end',
    ]);
    expect(t.service.edgeHistory({ limit: 1 })[0]).toMatchObject({ reloadStatus: 0 });
  });

  it('stops safely when the edge is down at the supersede step, and reloads the new CRL once it is back', async () => {
    const r = await rotationRig();
    const { rig, t } = r;
    await reloadOnPublish(r);
    // The job starts two hours in certdesk's past, so that its overlap is over now: the CRL that
    // the supersede step signs is then valid by nginx's (real) clock, not two hours in the future.
    r.advance(-2 * 3600_000);
    const waiting = await t.service.rotate({ cert: rig.client.id, overlapSeconds: 3600 });
    expect(waiting).toMatchObject({ state: 'waiting', step: rotationStep('verify') });

    // The overlap ends while the edge is down: the old credential goes, the old certificate is
    // revoked, and the CRL is written, but the edge cannot load it.
    await rig.nginx.stop();
    r.advance(2 * 3600_000);
    const [failed] = await t.service.resumeRotations({});
    expect(failed, failed?.message ?? '').toMatchObject({
      state: 'failed',
      step: rotationStep('remove-old'),
      message: expect.stringContaining('the reload command failed'),
    });
    expect(await t.service.getCertificate({ cert: rig.client.id })).toMatchObject({ status: 'revoked', revocationReason: 'superseded' });
    expect(await credentialThumbprints(rig)).toEqual([(await t.service.getCertificate({ cert: failed!.successorId! })).sha256Base64url]);

    // Back up (with the files as they were written), the resumed supersede step runs the reload again
    // rather than calling the written bundle current.
    const back = await rig.nginx.restart();
    onTestFinished(() => back.stop());
    const [done] = await t.service.resumeRotations({ job: failed!.id });
    expect(done, done?.message ?? '').toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
    expect(done!.journal.filter((e) => e.step === rotationStep('supersede')).map((e) => e.phase)).toEqual([
      'begin',
      'fail',
      'begin',
      'end',
    ]);
    expect(t.service.edgeHistory({ limit: 1 })[0]).toMatchObject({ reloadStatus: 0 });
    expect(await tokenWith(t.service, rig, r.fetchFn, rig.client.id)).toBe('fail CERT_REVOKED');
    expect(await tokenWith(t.service, rig, r.fetchFn, failed!.successorId!), back.errorLog()).toBe('pass');
  });
});
