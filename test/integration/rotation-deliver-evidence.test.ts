/**
 * The rotation's delivery step and its retiring on evidence, against the sandbox behind real nginx,
 * with small real ports: a delivery writing real files to a temp folder, and an edge whose requests
 * the test records. Delivery comes before anything at Auth0; with evidence the overlap is a deadline.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotationNotice } from '../../src/main/host/background.ts';
import {
  NO_DELIVERY_TARGET,
  ROTATION_STEP_COUNT,
  ROTATION_WAIT,
  rotationStep,
  type RotationJobView,
} from '../../src/shared/contract/index.ts';
import { credentialThumbprints, rotationRig, type RotationRig } from '../support/rotation-rig.ts';
import { FolderDelivery, MemoryEvidence } from '../support/rotation-ports.ts';
import { tempDir } from '../support/temp.ts';

const MINUTE = 60_000;

async function rigWithPorts(
  options: { evidence?: boolean } & Parameters<typeof rotationRig>[0] = {},
): Promise<RotationRig & { delivery: FolderDelivery; evidence: MemoryEvidence | undefined }> {
  const { evidence: withEvidence = false, ...rig } = options;
  let delivery: FolderDelivery | undefined;
  let evidence: MemoryEvidence | undefined;
  const r = await rotationRig({
    ...rig,
    rotationPorts: (ctx) => {
      delivery = new FolderDelivery(ctx);
      evidence = withEvidence ? new MemoryEvidence(ctx) : undefined;
      return { delivery, ...(evidence ? { evidence } : {}) };
    },
  });
  return { ...r, delivery: delivery!, evidence };
}

/** Requests that change something at the tenant (the rig's own setup included). */
const changes = (r: RotationRig) => r.rig.sandbox.records.filter((x) => x.method !== 'GET').length;

const journal = (job: RotationJobView, name: Parameters<typeof rotationStep>[0]) =>
  job.journal.filter((e) => e.step === rotationStep(name)).map((e) => `${e.phase}: ${e.detail}`);

describe('rotation: delivery before Auth0, retiring on evidence', () => {
  it('a failed delivery stops the job before anything changes at Auth0, and the job resumes once the target is fixed', async () => {
    const r = await rigWithPorts();
    const old = r.rig.client;
    // The target's folder cannot be made: a file stands where its parent should be.
    const root = tempDir();
    writeFileSync(join(root, 'blocked'), 'not a folder');
    const target = join(root, 'blocked', 'release');
    r.delivery.folders.set(old.id, target);
    expect(r.t.service.rotations.preview(old.id)).toMatchObject({
      deliveryTargets: 1,
      retireOn: 'overlap',
      csrInbox: null,
      quietSeconds: 900,
    });
    const before = changes(r);

    const failed = await r.t.service.rotate({ cert: old.id, overlapSeconds: 0 });
    expect(failed, failed.message ?? '').toMatchObject({
      state: 'failed',
      step: rotationStep('issue-successor'),
      successorId: expect.any(String),
    });
    expect(failed.message).toContain('refused the release');
    expect(journal(failed, 'deliver').map((e) => e.split(':')[0])).toEqual(['begin', 'fail']);
    // Nothing reached the tenant: no credential added, nothing bound, the old one alone.
    expect(changes(r)).toBe(before);
    expect(await credentialThumbprints(r.rig)).toEqual([old.sha256Base64url]);
    expect(r.t.service.bindings.list('Sandbox').map((b) => b.certificateId)).toEqual([old.id]);

    rmSync(join(root, 'blocked'));
    const [done] = await r.t.service.resumeRotations({ job: failed.id });
    expect(done, done?.message ?? '').toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT, successorId: failed.successorId });
    const successor = await r.t.service.getCertificate({ cert: failed.successorId! });
    expect(readFileSync(join(target, 'current'), 'utf8')).toBe(successor.serialHex);
    expect(readFileSync(join(target, successor.serialHex, 'cert.pem'), 'utf8').replace(/\s/g, '')).toBe(successor.pem.replace(/\s/g, ''));
    expect(r.delivery.calls).toEqual([{ certificateId: successor.id, outcome: 'wrote' }]);
    // Delivery ended before the first change at Auth0 (step 4 began after it).
    const deliverEnd = done!.journal.findIndex((e) => e.step === rotationStep('deliver') && e.phase === 'end');
    const addBegin = done!.journal.findIndex((e) => e.step === rotationStep('add-credential') && e.phase === 'begin');
    expect(deliverEnd).toBeGreaterThan(-1);
    expect(deliverEnd).toBeLessThan(addBegin);
    // No evidence source: the timer retired the old credential, and the journal says so.
    expect(done!.retireOn).toBe('overlap');
    expect(journal(done!, 'remove-old').at(-1)).toContain(ROTATION_WAIT.noEvidence);
    expect(await credentialThumbprints(r.rig)).toEqual([successor.sha256Base64url]);
  });

  it('without a target or an evidence source, says the operator installs the successor and the overlap retires the old one', async () => {
    const r = await rigWithPorts();
    expect(r.t.service.rotations.preview(r.rig.client.id)).toMatchObject({ deliveryTargets: 0, retireOn: 'overlap' });
    const waiting = await r.t.service.rotate({ cert: r.rig.client.id, overlapSeconds: 3600 });
    expect(waiting).toMatchObject({ state: 'waiting', step: rotationStep('verify'), retireOn: 'overlap', awaitingOperator: false });
    expect(journal(waiting, 'deliver')).toEqual(['begin: deliver', `skip: ${NO_DELIVERY_TARGET}`]);
    expect(waiting.message).toBe(`${ROTATION_WAIT.noEvidence} (overlap until ${waiting.overlapUntil})`);
    expect(journal(waiting, 'remove-old').at(-1)).toBe(`wait: ${waiting.message}`);
  });

  it('waits for the successor at the edge and a quiet old certificate; past the deadline it asks the operator; extend; a late request resets the quiet period', async () => {
    const r = await rigWithPorts({ evidence: true });
    const evidence = r.evidence!;
    const old = r.rig.client.id;
    const started = await r.t.service.rotate({ cert: old, overlapSeconds: 600, quietSeconds: 300 });
    expect(started).toMatchObject({
      state: 'waiting',
      step: rotationStep('verify'),
      retireOn: 'evidence',
      quietSeconds: 300,
      awaitingOperator: false,
    });
    expect(started.message).toBe(`${ROTATION_WAIT.evidence} (deadline ${started.overlapUntil}): ${ROTATION_WAIT.successorUnseen}`);
    const successor = started.successorId!;
    expect(await credentialThumbprints(r.rig)).toHaveLength(2);

    // The workload switched (the successor got a token) but the old certificate was just seen too.
    evidence.request(old);
    evidence.request(successor);
    const [seenOld] = await r.t.service.resumeRotations({});
    expect(seenOld!.message).toMatch(
      new RegExp(`^${ROTATION_WAIT.evidence} .*: ${ROTATION_WAIT.oldStillSeen}: last seen .*, 1 request in the last hour$`),
    );

    // The deadline passes while the old certificate is still presented: no cut-off, the operator is asked.
    r.advance(11 * MINUTE);
    evidence.request(old);
    const [late] = await r.t.service.resumeRotations({});
    expect(late).toMatchObject({ state: 'waiting', step: rotationStep('verify'), awaitingOperator: true });
    expect(late!.message).toMatch(
      new RegExp(`^${ROTATION_WAIT.oldStillSeen}: last seen \\S+, 2 requests in the last hour\\. The deadline`),
    );
    expect(await credentialThumbprints(r.rig)).toHaveLength(2);
    const notices = r.t.events.map(rotationNotice).filter((n) => n?.title === 'Rotation waiting for the workload to switch');
    expect(notices).toHaveLength(1);
    // Asked again next round: the row follows the numbers, the journal and the notices do not repeat.
    evidence.request(old);
    const [again] = await r.t.service.resumeRotations({});
    expect(again!.message).toContain('3 requests in the last hour');
    expect(again!.journal.filter((e) => e.phase === 'wait' && e.detail.startsWith(ROTATION_WAIT.oldStillSeen))).toHaveLength(1);
    expect(r.t.events.map(rotationNotice).filter((n) => n?.title === 'Rotation waiting for the workload to switch')).toHaveLength(1);

    // The operator extends the deadline by an hour: waiting for evidence again, not for the operator.
    const extended = await r.t.service.extendRotation({ job: started.id, seconds: 3600 });
    expect(extended).toMatchObject({ state: 'waiting', awaitingOperator: false });
    expect(Date.parse(extended.overlapUntil!)).toBeGreaterThan(Date.parse(late!.overlapUntil!) + 3000_000);
    expect(r.t.service.listAudit({ limit: 50 }).items.map((e) => e.action)).toContain('rotation.extend');

    // Four quiet minutes are not five; a late request from the old certificate starts the count again.
    r.advance(4 * MINUTE);
    expect((await r.t.service.resumeRotations({}))[0]).toMatchObject({ state: 'waiting' });
    evidence.request(old);
    r.advance(4 * MINUTE);
    const [stillQuietening] = await r.t.service.resumeRotations({});
    expect(stillQuietening).toMatchObject({ state: 'waiting', step: rotationStep('verify') });
    expect(stillQuietening!.message).toContain(ROTATION_WAIT.oldStillSeen);
    expect(await credentialThumbprints(r.rig)).toHaveLength(2);

    // Five and more minutes after the last old request, before the deadline: the evidence retires it.
    r.advance(2 * MINUTE);
    const [done] = await r.t.service.resumeRotations({});
    expect(done, done?.message ?? '').toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
    expect(journal(done!, 'remove-old').at(-1)).toMatch(/the edge saw the successor get 1 token and the old certificate unused for 5 min$/);
    expect(await credentialThumbprints(r.rig)).toEqual([(await r.t.service.getCertificate({ cert: successor })).sha256Base64url]);
    expect(evidence.refreshes).toBeGreaterThan(0);
  });

  it('forces the cut-off only when asked, with a production tenant typed again, and audits it', async () => {
    const r = await rigWithPorts({ evidence: true, environment: 'production' });
    const old = r.rig.client.id;
    // No overlap: the deadline is over at once, and the successor was never seen.
    const waiting = await r.t.service.rotate({ cert: old, overlapSeconds: 0, confirm: 'Sandbox' });
    expect(waiting).toMatchObject({ state: 'waiting', awaitingOperator: true, boundTenants: ['Sandbox'] });
    expect(waiting.message).toMatch(new RegExp(`^${ROTATION_WAIT.successorUnseen}\\. The deadline .* passed: force the cut-off`));
    const before = changes(r);

    await expect(r.t.service.forceCutoff({ job: waiting.id })).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    await expect(r.t.service.forceCutoff({ job: waiting.id, confirm: 'sandbox' })).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    expect(changes(r)).toBe(before);
    expect(r.t.service.rotations.get(waiting.id)).toMatchObject({ state: 'waiting', forceCutoff: false });
    expect(await credentialThumbprints(r.rig)).toHaveLength(2);

    // By the certificate's id, as `certdesk rotate CERT --force-cutoff` names it.
    const done = await r.t.service.forceCutoff({ job: old, confirm: 'Sandbox' });
    expect(done, done.message ?? '').toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT, forceCutoff: true });
    expect(journal(done, 'remove-old').at(-1)).toMatch(/cut-off forced by the operator$/);
    expect(await credentialThumbprints(r.rig)).toHaveLength(1);
    const forced = r.t.service.listAudit({ limit: 50 }).items.find((e) => e.action === 'rotation.force-cutoff');
    expect(forced?.details).toMatchObject({ job: waiting.id, production: ['Sandbox'] });
    // A finished job has nothing left to cut off.
    await expect(r.t.service.forceCutoff({ job: waiting.id, confirm: 'Sandbox' })).rejects.toMatchObject({
      code: 'ROTATION_NOT_AT_CUTOFF',
    });
    await expect(r.t.service.extendRotation({ job: waiting.id, seconds: 60 })).rejects.toMatchObject({ code: 'ROTATION_NOT_AT_CUTOFF' });
  });
});
