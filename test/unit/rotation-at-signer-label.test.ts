import { describe, expect, it } from 'vitest';
import { AT_SIGNER_NEXT } from '../../src/main/core/rotation/at-signer.ts';
import { atSignerRequest } from '../../src/renderer/src/pages/rotation/rotation-labels.ts';
import { ROTATION_WAIT } from '../../src/shared/contract/index.ts';

describe('the Schedule reads a wait at the offline signer', () => {
  it('finds the request in the wait the core writes, and nothing in any other wait or state', () => {
    const message = `${ROTATION_WAIT.signer} req_0123456789abcdef0123: ${AT_SIGNER_NEXT}`;
    expect(atSignerRequest({ state: 'waiting', message })).toBe('req_0123456789abcdef0123');
    // A job that failed or was cancelled while it waited no longer waits at the signer.
    expect(atSignerRequest({ state: 'failed', message })).toBeNull();
    expect(atSignerRequest({ state: 'cancelled', message })).toBeNull();
    expect(atSignerRequest({ state: 'waiting', message: `${ROTATION_WAIT.csr} /srv/inbox (request.csr)` })).toBeNull();
    expect(atSignerRequest({ state: 'waiting', message: null })).toBeNull();
  });
});
