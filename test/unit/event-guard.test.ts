import { describe, expect, it } from 'vitest';
import { isCertdeskEvent } from '../../src/renderer/src/web/result-guard.ts';
import type { CertdeskEvent } from '../../src/shared/contract/index.ts';

/** Web mode's event stream passes an event to the page only if this guard accepts it. */
describe('the web bridge event guard', () => {
  it('accepts every kind of event main emits', () => {
    const events: CertdeskEvent[] = [
      { type: 'progress', progressId: 'p', step: 1, total: 4, label: 'Generating the key' },
      {
        type: 'apply-step',
        tenantId: 't',
        index: 0,
        total: 2,
        step: { stepId: 's', kind: 'create-credential', summary: 'Add', status: 'running', attempts: 0 },
      },
      {
        type: 'rotation',
        jobId: 'rot_1',
        batchId: null,
        certificateId: 'cert_1',
        step: 3,
        name: 'add-credential',
        phase: 'end',
        state: 'running',
        detail: 'Sandbox: 1 change',
      },
      {
        type: 'diagnostic-stage',
        runId: 'run-1',
        index: 0,
        stage: { id: 'discovery', title: 'OpenID discovery', status: 'pass', ms: 12, evidence: [] },
      },
      { type: 'notice', tone: 'success', title: 'Rotated', body: 'client-a' },
      { type: 'store-changed' },
      {
        type: 'vault',
        change: 'idle-lock',
        vault: { protection: 'passphrase', state: 'locked', detail: 'passphrase', idleLockMinutes: 15, keychain: { state: 'unchecked' } },
      },
    ];
    for (const event of events) expect(isCertdeskEvent(JSON.parse(JSON.stringify(event))), event.type).toBe(true);
  });

  it('refuses what is not one', () => {
    for (const value of [
      null,
      'progress',
      { type: 'unknown' },
      { type: 'rotation', jobId: 1 },
      { type: 'diagnostic-stage', runId: 'r', index: 0, stage: null },
      { type: 'vault', change: 'unlock' },
      { type: 'vault', change: 'unlock', vault: { state: 'ready' } },
    ]) {
      expect(isCertdeskEvent(value), JSON.stringify(value)).toBe(false);
    }
  });
});
