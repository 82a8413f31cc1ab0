/**
 * Rotation across the air gap when the answer is not a plain yes (issue 12 §5): the signer refuses
 * (the job stops naming the signer's reason, the old credential untouched at the sandbox, and a resume
 * asks again); a job cancelled while it waits leaves no key behind, and its request is withdrawn from
 * the outbox (or, once a bundle carried it, its answer is refused); an answer for a cancelled job or for
 * a job this publisher never had is refused with nothing changed; and the old certificate's retirement
 * crosses the gap and comes back as its CRL.
 */
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { ROTATION_STEP_COUNT, ROTATION_WAIT } from '../../src/shared/contract/index.ts';
import { gapAtSandbox } from '../support/gap-sandbox.ts';

describe('a rotation on a publisher, when the signer says no or answers too late', () => {
  it('fails on a refusal, refuses answers for closed or unknown jobs with nothing changed, and retires across the gap', async () => {
    const { p, gap, addTenant, bindApp, credentials: credentialsOf } = await gapAtSandbox();
    const [refused, cancelled, stray, unbound, withdrawn] = await gap.issue(
      p,
      'refused-client',
      'cancelled-client',
      'stray-client',
      'unbound-client',
      'withdrawn-client',
    );
    await addTenant();
    const app = await bindApp('payments-client', refused!);
    const credentials = () => credentialsOf(app);
    expect(await credentials()).toEqual([refused!.sha256Base64url]);

    // (Keeping the key and CSR mode cross the gap too: rotation-gap-modes.test.ts.)
    const rows = (table: string) => (p.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const tables = ['rotation_jobs', 'offline_requests', 'keys', 'transfer_queue'];

    // Four rotations wait at the signer; C is cancelled before any bundle carried its request, B once one has;
    // a fifth request names a job that is not here.
    const jobA = await p.rotate({ cert: refused!.id, verify: false, overlapSeconds: 0 });
    const jobB = await p.rotate({ cert: cancelled!.id, verify: false, overlapSeconds: 0 });
    const jobC = await p.rotate({ cert: withdrawn!.id, verify: false, overlapSeconds: 0 });
    const jobD = await p.rotate({ cert: unbound!.id, verify: false, overlapSeconds: 0 });
    for (const job of [jobA, jobB, jobC, jobD]) expect(job.message).toMatch(new RegExp(`^${ROTATION_WAIT.signer} req_`));

    // C cancelled while its request is still in the outbox: the request is withdrawn and its sealed key destroyed, with the cancel.
    const requestC = p.offline.requests().find((r) => r.rotationJobId === jobC.id)!;
    const keyC = requestC.keyId!;
    const [jobs, requestRows, keys, queued] = tables.map(rows);
    await expect(p.cancelRotations({ job: jobC.id })).resolves.toMatchObject([{ state: 'cancelled' }]);
    expect(tables.map(rows)).toEqual([jobs, requestRows, keys! - 1, queued! - 1]);
    expect(p.db.prepare('SELECT count(*) AS n FROM keys WHERE id = ?').get(keyC)).toEqual({ n: 0 });
    expect(p.db.prepare('SELECT count(*) AS n FROM transfer_queue WHERE id = ?').get(requestC.queueId)).toEqual({ n: 0 });
    expect(p.offline.requests().find((r) => r.requestId === requestC.requestId)).toMatchObject({
      state: 'refused',
      refusalCode: 'REQUEST_WITHDRAWN',
      keyId: null,
    });
    const audited = (action: string) =>
      p
        .listAudit({ limit: 1000 })
        .items.filter((e) => e.action === action)
        .reverse();
    expect(audited('key.destroy').map((e) => e.details)).toEqual([expect.objectContaining({ keyId: keyC, job: jobC.id })]);
    expect(audited('offline.withdraw').map((e) => e.details)).toEqual([
      expect.objectContaining({ requestId: requestC.requestId, outcome: 'withdrawn' }),
    ]);
    await p.offline.requestSignature({
      purpose: 'rotate',
      predecessor: stray!.id,
      rotationJobId: 'rot_not_on_this_publisher',
      source: { kind: 'generated' },
    });

    // The signer refuses A's request and signs the others; B is cancelled once the bundle carrying its request is written:
    // its key is destroyed, its request stays queued (the signer may answer it).
    const requestB = p.offline.requests().find((r) => r.rotationJobId === jobB.id)!;
    await gap.toSigner(p, {
      refuse: (_kind, details) => (details.rotationJob === jobA.id ? 'no key ceremony for refused-client this quarter' : null),
      afterExport: async () => {
        const keysBefore = rows('keys');
        await expect(p.cancelRotations({ job: jobB.id })).resolves.toMatchObject([{ state: 'cancelled' }]);
        expect(rows('keys')).toBe(keysBefore - 1);
        expect(p.db.prepare('SELECT count(*) AS n FROM keys WHERE id = ?').get(requestB.keyId)).toEqual({ n: 0 });
        expect(p.offline.requests().find((r) => r.requestId === requestB.requestId)).toMatchObject({ state: 'queued', keyId: null });
        expect(audited('offline.withdraw').at(-1)!.details).toMatchObject({ requestId: requestB.requestId, outcome: 'exported' });
      },
    });
    const snapshot = () => ({
      certificates: (p.db.prepare('SELECT count(*) AS n FROM certificates').get() as { n: number }).n,
      keys: (p.db.prepare('SELECT count(*) AS n FROM keys').get() as { n: number }).n,
      requests: p.offline.requests().map((r) => [r.requestId, r.state, r.certificateId]),
      jobB: p.rotations.get(jobB.id),
    });
    const before = snapshot();
    const answer = await gap.toPublisher(p);
    await gap.closeSigner();
    const issuedFor = (job: string) => answer.items.find((i) => i.kind === 'issued-certificate' && i.details.rotationJob === job)!;
    // C's request never left: nothing answers it.
    expect(answer.items.some((i) => i.details.requestId === requestC.requestId)).toBe(false);

    const result = await p.transfer.approve(answer.importId, 'all');

    // The cancelled job's answer and the unknown job's answer are refused by name at review, with nothing added;
    // approving everything applies the rest and leaves them as they were.
    const closedB = issuedFor(jobB.id);
    const closedStray = issuedFor('rot_not_on_this_publisher');
    expect(closedB).toMatchObject({ decision: 'refused', code: 'ROTATION_JOB_CLOSED' });
    expect(closedB.reason).toContain('is cancelled');
    expect(closedStray).toMatchObject({ decision: 'refused', code: 'ROTATION_JOB_CLOSED' });
    expect(closedStray.reason).toContain('is not known here');
    expect(result.refused).toEqual([]);
    expect(
      p.transfer
        .review(answer.importId)[0]!
        .items.filter((i) => i.decision === 'refused')
        .map((i) => i.id)
        .sort(),
    ).toEqual([closedB.id, closedStray.id].sort());

    // A's refusal stops its job with the signer's reason; D's answer continues D to the end.
    const after = snapshot();
    const failedA = p.rotations.get(jobA.id);
    expect(failedA).toMatchObject({ state: 'failed', step: 0, successorId: null });
    expect(failedA.message).toContain('The offline signer refused request');
    expect(failedA.message).toContain('no key ceremony for refused-client this quarter');
    expect(failedA.journal.at(-1)).toMatchObject({ step: 1, phase: 'fail' });
    const doneD = p.rotations.get(jobD.id);
    expect(doneD, JSON.stringify(doneD.journal, null, 2)).toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });

    // Nothing else changed: one certificate more (D's successor), B untouched (its certificate not applied), the stray request still open.
    expect(after.certificates).toBe(before.certificates + 1);
    expect(after.keys).toBe(before.keys);
    expect(after.jobB).toEqual(before.jobB);
    expect(p.db.prepare('SELECT count(*) AS n FROM certificates WHERE replaces_id = ?').get(cancelled!.id)).toEqual({ n: 0 });
    const state = (id: string) => after.requests.find((r) => r[0] === id)?.[1];
    for (const r of p.offline.requests().filter((x) => x.rotationJobId === jobB.id || x.rotationJobId === 'rot_not_on_this_publisher'))
      expect(state(r.requestId)).toBe('queued');
    expect(await credentials()).toEqual([refused!.sha256Base64url]);
    expect((await p.getCertificate({ cert: refused!.id })).status).toBe('active');
    expect(p.bindings.repository.forCertificate(refused!.id).map((b) => b.state)).toEqual(['active']);

    // Resumed after the refusal, A asks the signer again: a second request, and the job waits at the signer.
    const [retried] = await p.resumeRotations({ job: jobA.id });
    const asked = p.offline.requests().filter((r) => r.rotationJobId === jobA.id);
    expect(asked.map((r) => r.state)).toEqual(['refused', 'queued']);
    expect(retried).toMatchObject({ state: 'waiting', message: expect.stringContaining(`${ROTATION_WAIT.signer} ${asked[1]!.requestId}`) });

    // D's old certificate: superseded, its revocation asked of the signer; the signer's CRLs mark it revoked here.
    expect((await p.getCertificate({ cert: unbound!.id })).status).toBe('superseded');
    const retire = p.offline.requests().find((r) => r.kind === 'revoke-request' && r.predecessorId === unbound!.id)!;
    expect(retire).toMatchObject({ state: 'queued', serialHex: unbound!.serialHex });
    // (A's second request is refused again: this trip is about the revocation.)
    await gap.toSigner(p, { refuse: (kind) => (kind === 'sign-request' ? 'not this time either' : null) });
    const crls = await gap.toPublisher(p);
    await gap.closeSigner();
    expect(crls.items.filter((i) => i.kind === 'crl').length).toBeGreaterThan(0);
    expect((await p.transfer.approve(crls.importId, 'all')).refused).toEqual([]);
    expect(await p.getCertificate({ cert: unbound!.id })).toMatchObject({ status: 'revoked', revocationReason: 'superseded' });
    expect(p.offline.requests().find((r) => r.requestId === retire.requestId)!.state).toBe('answered');
    expect((await p.verifyAudit()).ok).toBe(true);
  });
});
