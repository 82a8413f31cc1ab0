/**
 * Every numeric option of the CLI is parsed here, one way: strictly (no sign games, no decimals where
 * a whole number is meant, no trailing junk), never clamped, and refused with an error that names
 * the option, what it takes and what was given. The bounds are the channels' own (api/limits.ts).
 */
import type { Bounds } from '../api/limits.ts';
import { CliFailure } from './output.ts';

function refuse(option: string, wants: string, text: string): never {
  throw new CliFailure({ code: 'VALIDATION', message: `--${option} must be ${wants}; got "${text}".`, field: option });
}

const WHOLE = /^-?\d+$/;

/** A whole number within bounds: `--days 90`. */
export function parseWholeNumber(text: string, option: string, bounds: Bounds): number {
  const wants = `a whole number from ${bounds.min} to ${bounds.max}`;
  if (!WHOLE.test(text)) refuse(option, wants, text);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < bounds.min || value > bounds.max) refuse(option, wants, text);
  return value;
}

const UNIT_SECONDS = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 } as const;
const DURATION = /^(\d+)([smhd]?)$/;

/** Seconds from `90`, `90s`, `15m`, `2h` or `1d`, within bounds (in seconds). */
export function parseDuration(text: string, option: string, bounds: Bounds): number {
  const wants = `a duration such as 90s, 15m, 2h or 1d, from ${describeSeconds(bounds.min)} to ${describeSeconds(bounds.max)}`;
  const match = DURATION.exec(text);
  if (!match) refuse(option, wants, text);
  const value = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  if (!Number.isSafeInteger(value) || value < bounds.min || value > bounds.max) refuse(option, wants, text);
  return value;
}

/** A decimal number within bounds, such as a share from 0 to 1: `0.25`. */
export function parseDecimal(text: string, option: string, bounds: Bounds): number {
  const wants = `a number from ${bounds.min} to ${bounds.max}`;
  if (!/^-?(\d+(\.\d+)?|\.\d+)$/.test(text)) refuse(option, wants, text);
  const value = Number(text);
  if (!Number.isFinite(value) || value < bounds.min || value > bounds.max) refuse(option, wants, text);
  return value;
}

function describeSeconds(seconds: number): string {
  if (seconds === 0) return '0';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const)
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

/** A commander argument parser for an option: `.option('--days <n>', '…', wholeNumber('days', LIMITS.certDays))`. */
export const wholeNumber = (option: string, bounds: Bounds) => (text: string) => parseWholeNumber(text, option, bounds);
export const duration = (option: string, bounds: Bounds) => (text: string) => parseDuration(text, option, bounds);
export const decimal = (option: string, bounds: Bounds) => (text: string) => parseDecimal(text, option, bounds);
