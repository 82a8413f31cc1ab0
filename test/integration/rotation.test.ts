/**
 * One-click rotation end to end: certdesk's CA, the sandbox tenant behind real nginx with
 * certdesk's edge bundle, a bound client certificate. The old certificate keeps getting tokens until
 * its credential is removed; the new one works as soon as it is verified.
 */
import { describe, expect, it } from 'vitest';
import { ROTATION_STEP_COUNT, rotationStep } from '../../src/shared/contract/index.ts';
import { API } from '../support/diagnostics-rig.ts';
import { reloadOnPublish, rotationRig, tokenWith } from '../support/rotation-rig.ts';

const HOUR = 3600_000;

describe('one-click rotation against the sandbox behind real nginx', () => {
  it('issues, binds both, verifies with a real token, waits out the overlap, then removes the old credential', async () => {
    const r = await rotationRig();
    const { rig, t, fetchFn, advance } = r;
    await reloadOnPublish(r);
    const old = rig.client;
    expect(await tokenWith(t.service, rig, fetchFn, old.id)).toBe('pass');

    // The job starts two hours in certdesk's past, and its overlap ends when certdesk's clock is
    // back at the real time: the CRL the supersede step signs is then valid by nginx's clock too.
    advance(-2 * HOUR);
    const waiting = await t.service.rotate({ cert: old.id, overlapSeconds: 3600 });
    expect(waiting, JSON.stringify(waiting.journal, null, 2)).toMatchObject({
      state: 'waiting',
      step: rotationStep('verify'),
      successorId: expect.any(String),
      overlapUntil: expect.any(String),
    });
    expect(waiting.journal.filter((e) => e.phase !== 'begin').map((e) => `${e.step} ${e.name} ${e.phase}`)).toEqual([
      '1 issue-successor end',
      '2 deliver skip',
      // With certdesk's clock two hours back, the CRL on record has not begun by that clock, so the
      // CA signs one that has and the edge is published again (a CRL is never served before its thisUpdate).
      '3 publish-edge end',
      '4 add-credential end',
      '5 bind-both end',
      '6 verify end',
      '7 remove-old wait',
    ]);
    const successor = waiting.successorId!;
    // During the overlap both certificates get tokens: no client is cut off.
    expect(await tokenWith(t.service, rig, fetchFn, old.id)).toBe('pass');
    expect(await tokenWith(t.service, rig, fetchFn, successor)).toBe('pass');
    const mc = rig.sandbox.management();
    expect((await mc.clients.credentials.list(rig.app.clientId)).length).toBe(2);

    // Before the overlap is over, resuming changes nothing.
    expect(await t.service.resumeRotations({})).toEqual([]);
    expect(t.service.rotations.list().map((j) => j.state)).toEqual(['waiting']);
    advance(2 * HOUR);
    const mark = rig.nginx.logMark();
    const [done] = await t.service.resumeRotations({});
    expect(done).toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
    const credentials = await mc.clients.credentials.list(rig.app.clientId);
    expect(credentials.map((c) => c.thumbprint_sha256)).toEqual([(await t.service.getCertificate({ cert: successor })).sha256Base64url]);
    expect((await mc.clients.get(rig.app.clientId)).client_authentication_methods).toEqual({
      tls_client_auth: { credentials: [{ id: credentials[0]!.id }] },
    });
    expect(await tokenWith(t.service, rig, fetchFn, successor)).toBe('pass');
    // The credential matched by DN, which the successor shares: the old certificate is stopped by
    // its revocation (reason superseded) in the CRL that the supersede step published to the edge.
    expect(await t.service.getCertificate({ cert: old.id })).toMatchObject({ status: 'revoked', revocationReason: 'superseded' });
    expect(done!.journal.find((e) => e.step === rotationStep('supersede') && e.phase === 'end')?.detail).toMatch(
      /revoked with reason superseded; published to /,
    );
    // certdesk's own publication ran the reload: no hand on nginx.
    await rig.nginx.reloaded(mark);
    expect(await tokenWith(t.service, rig, fetchFn, old.id)).toBe('fail CERT_REVOKED');
    expect((await t.service.verifyAudit()).ok).toBe(true);
    // Every step, the wait for the overlap and the outcome are in the audit log, in order.
    const audited = t.service.listAudit({ limit: 1000 }).items.filter((e) => e.action.startsWith('rotation.') && e.subjectId === old.id);
    expect(
      audited
        .map((e) => (e.action === 'rotation.step' ? `step ${String(e.details.step)} ${String(e.details.outcome)}` : e.action))
        .reverse(),
    ).toEqual([
      'rotation.start',
      'step 1 done',
      'step 2 skip',
      'step 3 done',
      'step 4 done',
      'step 5 done',
      'step 6 done',
      'rotation.wait',
      'step 7 done',
      'step 8 done',
      'rotation.done',
    ]);
    const events = t.events.filter((e) => e.type === 'rotation');
    expect(events.length).toBeGreaterThanOrEqual(14);
  });

  it('stops when verification fails and leaves the old credential bound', async () => {
    const { rig, t } = await rotationRig();
    // The edge no longer answers where diagnostics look for it: verification cannot get a token.
    t.service.tenants.setDiagnostics('Sandbox', { edgeAddress: '127.0.0.1:9', edgeCaPem: rig.edgeCaPem, audience: API });
    const failed = await t.service.rotate({ cert: rig.client.id, overlapSeconds: 0 });
    expect(failed).toMatchObject({
      state: 'failed',
      step: rotationStep('bind-both'),
      message: expect.stringContaining('The old credential stays bound'),
    });
    const mc = rig.sandbox.management();
    const credentials = await mc.clients.credentials.list(rig.app.clientId);
    expect(credentials.map((c) => c.thumbprint_sha256)).toContain(rig.client.sha256Base64url);
    expect((await mc.clients.get(rig.app.clientId)).client_authentication_methods?.tls_client_auth?.credentials).toHaveLength(2);

    // Fixed, the same job resumes from verification and completes.
    t.service.tenants.setDiagnostics('Sandbox', { edgeAddress: rig.edgeAddress, edgeCaPem: rig.edgeCaPem, audience: API });
    const [resumed] = await t.service.resumeRotations({ job: failed.id });
    expect(resumed).toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
    expect((await mc.clients.credentials.list(rig.app.clientId)).map((c) => c.thumbprint_sha256)).not.toContain(rig.client.sha256Base64url);
  });
});
