import { describe, expect, it } from 'vitest';
import { parseDecimal, parseDuration, parseWholeNumber } from '../../src/main/cli/numbers.ts';
import { CliFailure } from '../../src/main/cli/output.ts';

/** The failure a parser threw, so its code, field and message can be compared. */
function refusal(parse: () => number) {
  try {
    parse();
  } catch (error) {
    if (error instanceof CliFailure) return error.failure;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the CLI number parsers', () => {
  const DAYS = { min: 1, max: 825 };

  it('takes whole numbers within the bounds', () => {
    expect(parseWholeNumber('1', 'days', DAYS)).toBe(1);
    expect(parseWholeNumber('825', 'days', DAYS)).toBe(825);
    expect(parseWholeNumber('090', 'days', DAYS)).toBe(90);
    expect(parseWholeNumber('0', 'within', { min: 0, max: 10 })).toBe(0);
  });

  it('refuses, never clamps or truncates, and names the option and the fix', () => {
    expect(refusal(() => parseWholeNumber('-1', 'days', DAYS))).toEqual({
      code: 'VALIDATION',
      message: '--days must be a whole number from 1 to 825; got "-1".',
      field: 'days',
    });
    for (const text of ['0', '826', '1.5', '1e2', '0x10', '+5', ' 5', '5 ', '', 'ten', '5d', '99999999999999999999', 'Infinity', 'NaN'])
      expect(
        refusal(() => parseWholeNumber(text, 'days', DAYS)),
        text,
      ).toMatchObject({ code: 'VALIDATION', field: 'days' });
  });

  it('reads durations in seconds, minutes, hours and days', () => {
    const bounds = { min: 0, max: 90 * 86_400 };
    expect(parseDuration('0', 'overlap', bounds)).toBe(0);
    expect(parseDuration('90', 'overlap', bounds)).toBe(90);
    expect(parseDuration('90s', 'overlap', bounds)).toBe(90);
    expect(parseDuration('15m', 'overlap', bounds)).toBe(900);
    expect(parseDuration('2h', 'overlap', bounds)).toBe(7200);
    expect(parseDuration('1d', 'overlap', bounds)).toBe(86_400);
    expect(parseDuration('90d', 'overlap', bounds)).toBe(90 * 86_400);
    expect(refusal(() => parseDuration('91d', 'overlap', bounds))).toEqual({
      code: 'VALIDATION',
      message: '--overlap must be a duration such as 90s, 15m, 2h or 1d, from 0 to 90d; got "91d".',
      field: 'overlap',
    });
    for (const text of ['-1d', '1.5h', '1w', 'd', 'soon', '', '1 d', '1D'])
      expect(
        refusal(() => parseDuration(text, 'overlap', bounds)),
        text,
      ).toMatchObject({ field: 'overlap' });
  });

  it('reads decimals such as shares, within the bounds', () => {
    const share = { min: 0, max: 1 };
    expect(parseDecimal('0', 'fail-5xx-share', share)).toBe(0);
    expect(parseDecimal('0.25', 'fail-5xx-share', share)).toBe(0.25);
    expect(parseDecimal('.5', 'fail-5xx-share', share)).toBe(0.5);
    expect(parseDecimal('1', 'fail-5xx-share', share)).toBe(1);
    expect(refusal(() => parseDecimal('1.5', 'fail-5xx-share', share)).message).toBe(
      '--fail-5xx-share must be a number from 0 to 1; got "1.5".',
    );
    for (const text of ['-0.1', '1e-1', '', 'half', '0.5.1', '50%'])
      expect(
        refusal(() => parseDecimal(text, 'fail-5xx-share', share)),
        text,
      ).toMatchObject({ field: 'fail-5xx-share' });
  });
});
