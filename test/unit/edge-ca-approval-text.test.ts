/** The desktop app's native dialog for a change of the edge's issuing CAs: names, full fingerprints, the change marked. */
import { describe, expect, it } from 'vitest';
import { caApprovalText, colonFingerprint } from '../../src/main/core/edge/ca-approval-text.ts';

const OLD = 'a1'.repeat(32);
const ARRIVED = '0f'.repeat(31) + 'e9';

describe('the approval dialog for the issuing CAs of the edge', () => {
  it('shows every CA of the set with its whole fingerprint, marks the added one, and asks before trusting it', () => {
    const text = caApprovalText({
      folder: '/srv/edge',
      authorities: [
        { name: 'Old Issuing', sha256: OLD, change: 'kept' },
        { name: 'Arrived Issuing', sha256: ARRIVED, change: 'added' },
      ],
    });
    expect(text.title).toBe('Approve the issuing CAs of the edge');
    expect(text.message).toBe(
      'Let the edge accept client certificates from an issuing CA it does not trust now, in this and every later publication (rotations included)?',
    );
    expect(text.detail).toBe(
      [
        'Edge folder: /srv/edge',
        '',
        '  Old Issuing',
        `    SHA-256 ${'A1:'.repeat(31)}A1`,
        '+ Arrived Issuing',
        `    SHA-256 ${'0F:'.repeat(31)}E9`,
        '',
        "+ added   − removed   Compare each fingerprint with the CA's on the Authorities page.",
      ].join('\n'),
    );
  });

  it('says when the set only narrows, and names what is no longer trusted', () => {
    const text = caApprovalText({
      folder: '/srv/edge',
      authorities: [
        { name: 'New Issuing', sha256: ARRIVED, change: 'kept' },
        { name: 'Old Issuing', sha256: OLD, change: 'removed' },
      ],
    });
    expect(text.message).toBe('Trust fewer issuing CAs at the edge, in this and every later publication (rotations included)?');
    expect(text.detail).toContain(`− Old Issuing (no longer trusted)\n    SHA-256 ${colonFingerprint(OLD)}`);
    expect(colonFingerprint('ab01')).toBe('AB:01');
  });

  it('counts several added CAs', () => {
    const text = caApprovalText({
      folder: '/srv/edge',
      authorities: [
        { name: 'One', sha256: OLD, change: 'added' },
        { name: 'Two', sha256: ARRIVED, change: 'added' },
      ],
    });
    expect(text.message).toContain('from 2 issuing CAs it does not trust now');
  });
});
