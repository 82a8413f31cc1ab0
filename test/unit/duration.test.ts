import { describe, expect, it } from 'vitest';
import { humanDuration } from '../../src/shared/duration.ts';

describe('humanDuration', () => {
  it('reads as an operator says it, never as a raw count of seconds', () => {
    expect(humanDuration(86_400)).toBe('1 day');
    expect(humanDuration(172_800)).toBe('2 days');
    expect(humanDuration(3_600)).toBe('1 hour');
    expect(humanDuration(9_000)).toBe('2 hours 30 min');
    expect(humanDuration(900)).toBe('15 min');
    expect(humanDuration(45)).toBe('45 s');
    expect(humanDuration(0)).toBe('0 s');
    // The two largest units that are not zero, adjacent only: 1 day and 30 s is "1 day".
    expect(humanDuration(86_430)).toBe('1 day');
    expect(humanDuration(90_000)).toBe('1 day 1 hour');
  });
});
