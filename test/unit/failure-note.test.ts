import { describe, expect, it } from 'vitest';
import { transientNote } from '../../src/renderer/src/format/failure-note.ts';
import { ERROR_CODES, type TabledErrorCode } from '../../src/shared/contract/index.ts';

/** The UI's "this passes by itself" line follows the contract's error table, not a list of its own. */
describe('the transient failure note', () => {
  const codes = Object.keys(ERROR_CODES) as TabledErrorCode[];

  it('is given for exactly the codes the table marks transient', () => {
    for (const code of codes) expect(transientNote(code) !== null, code).toBe(ERROR_CODES[code].transient);
  });

  it('says Auth0 is busy or unreachable and that nothing is lost for the Auth0 codes', () => {
    for (const code of ['AUTH0_UNREACHABLE', 'AUTH0_TIMEOUT', 'AUTH0_RATE_LIMITED', 'AUTH0_UNAVAILABLE'] as const) {
      expect(transientNote(code)).toMatch(/^Auth0 is busy or unreachable: .*Nothing is lost\.$/);
    }
  });

  it('stays silent for a failure that needs a person, an unknown code or none', () => {
    expect(transientNote('AUTH0_AUTH_FAILED')).toBeNull();
    expect(transientNote('VALIDATION')).toBeNull();
    expect(transientNote('SOMETHING_NEWER')).toBeNull();
    expect(transientNote(undefined)).toBeNull();
  });
});
