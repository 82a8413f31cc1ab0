import { describe, expect, it } from 'vitest';
import {
  isLastStep,
  isPastVerification,
  ROTATION_STEP_COUNT,
  ROTATION_STEPS,
  rotationStep,
  rotationStepName,
} from '../../src/shared/contract/index.ts';
import { STEPS } from '../../src/main/core/rotation/rotation-steps.ts';

/**
 * The journal rows, the job row and the events store a step as its number, and E2E and old
 * databases read them back: a reorder of ROTATION_STEPS must fail here, on purpose.
 */
describe('rotation step names', () => {
  it('pins each name to the number the journal stores', () => {
    expect(ROTATION_STEPS.map((name) => [name, rotationStep(name)])).toEqual([
      ['issue-successor', 1],
      ['deliver', 2],
      ['publish-edge', 3],
      ['add-credential', 4],
      ['bind-both', 5],
      ['verify', 6],
      ['remove-old', 7],
      ['supersede', 8],
    ]);
    expect(ROTATION_STEP_COUNT).toBe(8);
  });

  it('names a number back, and refuses a number that is no step', () => {
    for (const name of ROTATION_STEPS) expect(rotationStepName(rotationStep(name))).toBe(name);
    expect(() => rotationStepName(0)).toThrow(RangeError);
    expect(() => rotationStepName(9)).toThrow(/no rotation step 9/);
  });

  it('says when a job is past verification and which step is the last', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((step) => isPastVerification({ step }))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    expect([1, 7, 8].map(isLastStep)).toEqual([false, false, true]);
  });

  it('has one piece of work for each named step', () => {
    expect(Object.keys(STEPS).sort()).toEqual([...ROTATION_STEPS].sort());
  });
});
