import { describe, expect, it } from 'vitest';
import { dueNotice, rotationNotice } from '../../src/main/host/background.ts';
import { ROTATION_WAIT, rotationStep, type ScheduleItem } from '../../src/shared/contract/index.ts';

const item = (id: string, state: ScheduleItem['state'], name = id): ScheduleItem => ({
  kind: 'leaf',
  id,
  name,
  issuerName: 'Issuing',
  profile: 'auth0-mtls-client',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2026-04-01T00:00:00.000Z',
  renewAt: '2026-03-01T00:00:00.000Z',
  state,
  daysUntilRenewal: 0,
  daysUntilExpiry: 10,
  warnings: [],
  credentials: [],
  edge: null,
  trackingOnly: false,
});

describe('background notices', () => {
  it('announces what became due once, and again when it gets worse', () => {
    const seen = new Set<string>();
    expect(dueNotice([item('a', 'ok'), item('b', 'due', 'payments-client')], seen)).toEqual({
      title: 'A certificate is due',
      body: 'payments-client. Open the Schedule to rotate.',
    });
    expect(dueNotice([item('a', 'ok'), item('b', 'due')], seen)).toBeNull();
    expect(
      dueNotice(
        [item('b', 'overdue', 'payments-client'), item('c', 'due'), item('d', 'expired'), item('e', 'due'), item('f', 'due')],
        seen,
      ),
    ).toEqual({
      title: '5 certificates need rotation',
      body: 'payments-client, c, d and 2 more. Open the Schedule to rotate.',
    });
  });

  it('announces a rotation that completed, stopped, was cancelled or waits, and nothing else', () => {
    const base = { type: 'rotation', jobId: 'rot_1', batchId: null, certificateId: 'cert_1', state: 'running' } as const;
    expect(
      rotationNotice({
        ...base,
        step: rotationStep('supersede'),
        name: 'supersede',
        phase: 'end',
        detail: 'revoked with reason superseded',
      }),
    ).toEqual({
      title: 'Rotation complete',
      body: 'revoked with reason superseded',
      tone: 'success',
    });
    expect(rotationNotice({ ...base, step: rotationStep('verify'), name: 'verify', phase: 'fail', detail: 'no token' })).toEqual({
      title: 'Rotation stopped',
      body: `Step ${rotationStep('verify')} (verify): no token`,
      tone: 'error',
    });
    expect(
      rotationNotice({
        ...base,
        step: rotationStep('add-credential'),
        name: 'add-credential',
        phase: 'wait',
        detail: 'tenant.example answered 503 4 times.',
      }),
    ).toEqual({
      title: 'Rotation waiting for the tenant',
      body: `Step ${rotationStep('add-credential')} (add-credential): tenant.example answered 503 4 times. It continues on its own.`,
      tone: 'warning',
    });
    expect(
      rotationNotice({
        ...base,
        state: 'cancelled',
        step: rotationStep('bind-both'),
        name: 'bind-both',
        phase: 'skip',
        detail: 'cancelled by the operator after step 4',
      }),
    ).toMatchObject({ title: 'Rotation cancelled', tone: 'warning' });
    expect(
      rotationNotice({ ...base, step: rotationStep('remove-old'), name: 'remove-old', phase: 'wait', detail: 'overlap until …' }),
    ).toMatchObject({
      title: 'Rotation waiting for the overlap',
    });
    // The new waits: the workload's CSR, edge evidence before the deadline, and the workload not switching after it.
    expect(
      rotationNotice({
        ...base,
        step: rotationStep('issue-successor'),
        name: 'issue-successor',
        phase: 'wait',
        detail: `${ROTATION_WAIT.csr} /srv/inbox`,
      }),
    ).toMatchObject({ title: "Rotation waiting for the workload's CSR", tone: 'info' });
    expect(
      rotationNotice({
        ...base,
        step: rotationStep('remove-old'),
        name: 'remove-old',
        phase: 'wait',
        detail: `${ROTATION_WAIT.evidence} (deadline x): …`,
      }),
    ).toMatchObject({ title: 'Rotation waiting for edge evidence', tone: 'info' });
    expect(
      rotationNotice({
        ...base,
        step: rotationStep('remove-old'),
        name: 'remove-old',
        phase: 'wait',
        detail: `${ROTATION_WAIT.oldStillSeen}: last seen T, 3 requests in the last hour`,
      }),
    ).toMatchObject({ title: 'Rotation waiting for the workload to switch', tone: 'warning' });
    expect(rotationNotice({ ...base, step: rotationStep('add-credential'), name: 'add-credential', phase: 'end', detail: 'x' })).toBeNull();
    expect(rotationNotice({ type: 'progress', progressId: 'p', step: 1, total: 2, label: 'x' })).toBeNull();
  });
});
