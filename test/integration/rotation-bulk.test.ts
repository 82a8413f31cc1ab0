/**
 * "Rotate all due": several applications, each with a due certificate, rotated a few at a time;
 * a cancelled batch stops between steps and stays consistent.
 */
import { describe, expect, it } from 'vitest';
import { rotationStep, type RotationJobView } from '../../src/shared/contract/index.ts';
import { API } from '../support/diagnostics-rig.ts';
import { credentialThumbprints, rotationRig, tokenWith, type RotationRig } from '../support/rotation-rig.ts';

/** `count` more applications, each with a 20-day certificate (due: inside the 30-day window) bound and applied. */
async function dueApps(r: RotationRig, count: number): Promise<{ clientId: string; certId: string; x5t: string }[]> {
  const apps = [];
  for (let i = 0; i < count; i++) {
    const app = r.rig.sandbox.sandbox.admin.createClient({ name: `due-app-${i}` });
    r.rig.sandbox.sandbox.admin.grant({ clientId: app.clientId, audience: API, scopes: ['read:payments'] });
    const cert = await r.t.service.issue({
      ca: 'Test Issuing',
      days: 20,
      subject: { commonName: `due-app-${i}`, organization: 'YourOrg' },
      source: { kind: 'generated' },
    });
    await r.t.service.bind({ cert: cert.id, tenant: 'Sandbox', clientId: app.clientId, api: API, pop: true });
    apps.push({ clientId: app.clientId, certId: cert.id, x5t: cert.sha256Base64url });
  }
  expect((await r.t.service.bindings.apply({ tenant: 'Sandbox' })).outcome).toBe('applied');
  return apps;
}

describe('bulk rotation', () => {
  it('rotates every due certificate with bounded concurrency and sums up', async () => {
    const r = await rotationRig();
    const apps = await dueApps(r, 3);
    r.t.events.length = 0;
    const summary = await r.t.service.rotateAllDue({ concurrency: 2, overlapSeconds: 0 });
    // Concurrency, from the events: how many jobs were between their first step and their last at once.
    let running = 0;
    let peak = 0;
    for (const e of r.t.events) {
      if (e.type !== 'rotation') continue;
      if (e.step === rotationStep('issue-successor') && e.phase === 'begin') {
        running += 1;
        peak = Math.max(peak, running);
      }
      if (e.step === rotationStep('supersede') && e.phase === 'end') running -= 1;
    }
    expect(summary, summary.jobs.map((j) => j.message).join('\n')).toMatchObject({
      total: 3,
      done: 3,
      failed: 0,
      waiting: 0,
      cancelled: 0,
      skipped: [],
    });
    // Two at once (three jobs, concurrency 2), never more.
    expect(peak).toBe(2);
    for (const app of apps) {
      const job = summary.jobs.find((j) => j.certificateId === app.certId)!;
      const successor = await r.t.service.getCertificate({ cert: job.successorId! });
      expect(await credentialThumbprints(r.rig, app.clientId)).toEqual([successor.sha256Base64url]);
      expect(await tokenWith(r.t.service, r.rig, r.fetchFn, successor.id, app.clientId)).toBe('pass');
    }
    // The rig's own 90-day certificate was not due, so it was left alone.
    expect(summary.jobs.map((j) => j.certificateId)).not.toContain(r.rig.client.id);
  });

  it('cancels a batch between steps: the running job stops with both credentials working, the others never start', async () => {
    const r = await rotationRig();
    const apps = await dueApps(r, 3);
    let batch: string | null = null;
    let cancelled: RotationJobView[] = [];
    // An hour's overlap: no job removes an old credential during this test, wherever the cancel lands.
    const bulk = r.t.service.rotateAllDue({ concurrency: 1, overlapSeconds: 3600 });
    // Cancel as soon as the first job has verified its new certificate.
    await new Promise<void>((resolve) => {
      const poll = () => {
        const verified = r.t.events.find((e) => e.type === 'rotation' && e.name === 'verify' && e.phase === 'end');
        if (verified && verified.type === 'rotation') {
          batch = verified.batchId;
          void r.t.service.cancelRotations({ batch: batch! }).then((jobs) => {
            cancelled = jobs;
            resolve();
          });
        } else setImmediate(poll);
      };
      poll();
    });
    const summary = await bulk;
    expect(cancelled.length).toBe(3);
    expect(summary.cancelled).toBe(3);
    for (const job of summary.jobs) {
      const app = apps.find((a) => a.certId === job.certificateId)!;
      // Whatever step it stopped after, the old credential is still bound and the old certificate works.
      expect(await credentialThumbprints(r.rig, app.clientId)).toContain(app.x5t);
      expect(await tokenWith(r.t.service, r.rig, r.fetchFn, app.certId, app.clientId)).toBe('pass');
      if (job.step >= rotationStep('bind-both')) {
        // Stopped after binding both (the first job, verified and waiting out its overlap): the successor works too.
        expect(await credentialThumbprints(r.rig, app.clientId)).toHaveLength(2);
        expect(await tokenWith(r.t.service, r.rig, r.fetchFn, job.successorId!, app.clientId)).toBe('pass');
      } else if (job.step < rotationStep('add-credential')) {
        expect(await credentialThumbprints(r.rig, app.clientId)).toEqual([app.x5t]);
      }
    }
    expect(
      summary.jobs.filter((j) => j.step >= rotationStep('verify')),
      'the first job was verified before the cancel',
    ).toHaveLength(1);
    // Each cancelled job said so (a notice in the app), and the audit log has it.
    const cancelEvents = r.t.events.filter((e) => e.type === 'rotation' && e.state === 'cancelled');
    expect(cancelEvents).toHaveLength(summary.cancelled);
    expect(r.t.service.listAudit({ limit: 1000 }).items.filter((e) => e.action === 'rotation.cancelled')).toHaveLength(summary.cancelled);
    expect((await r.t.service.verifyAudit()).ok).toBe(true);
  });
});
