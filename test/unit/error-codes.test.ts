import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CertdeskError, isTransientError as isTransient } from '../../src/main/core/errors.ts';
import { ERROR_CODES, errorCodeInfo, isTransientCode } from '../../src/shared/contract/index.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The members of `export type ErrorCode = | 'A' | 'B' …`, wherever in src/shared the contract declares it. */
function contractCodes(): string[] {
  for (const path of sources('src/shared')) {
    const union = /export type ErrorCode =([^;]+);/.exec(readFileSync(path, 'utf8'))?.[1];
    if (union) return [...union.matchAll(/'([A-Z0-9_]+)'/g)].map((m) => m[1] ?? '');
  }
  throw new Error('no ErrorCode union in src/shared');
}

/**
 * Every code literal certdesk's main process raises: `new CertdeskError('X'` anywhere, and `code: 'X'`
 * in a failure built by hand. Not the diagnostics' stage findings (DN_MISMATCH, JWT_EXPIRED…: a report's
 * vocabulary, never an error) nor errno names (ETIMEDOUT, EEXIST).
 */
function raisedCodes(): Set<string> {
  const found = new Set<string>();
  for (const path of sources('src/main')) {
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/new CertdeskError\(\s*'([A-Z0-9_]+)'/g)) found.add(m[1] ?? '');
    if (path.includes(join('core', 'diagnostics'))) continue;
    for (const m of text.matchAll(/\bcode: '([A-Z][A-Z0-9_]+)'/g)) if (!/^E[A-Z]+$/.test(m[1] ?? '')) found.add(m[1] ?? '');
  }
  return found;
}

describe('the error-code table', () => {
  it('has exactly one row per code of the contract', () => {
    expect(Object.keys(ERROR_CODES).sort()).toEqual(contractCodes().sort());
  });

  it('has a row for every code the main process raises', () => {
    const raised = raisedCodes();
    expect(raised.size).toBeGreaterThan(20);
    const missing = [...raised].filter((code) => !(code in ERROR_CODES));
    expect(missing).toEqual([]);
  });

  it('marks transient exactly the failures the Auth0 gateway leaves queued after its own retries', () => {
    const transient = Object.entries(ERROR_CODES)
      .filter(([, info]) => info.transient)
      .map(([code]) => code)
      .sort();
    expect(transient).toEqual(['AUTH0_RATE_LIMITED', 'AUTH0_TIMEOUT', 'AUTH0_UNAVAILABLE', 'AUTH0_UNREACHABLE']);
    expect(isTransient(new CertdeskError('AUTH0_RATE_LIMITED', 'slow down'))).toBe(true);
    expect(isTransient(new CertdeskError('AUTH0_UNAVAILABLE', '503'))).toBe(true);
    expect(isTransient(new CertdeskError('VALIDATION', 'bad input'))).toBe(false);
    expect(isTransient(new CertdeskError('AUTH0_SCOPE_MISSING', 'grant it'))).toBe(false);
    expect(isTransient(new CertdeskError('AUTH0_AUTH_FAILED', 'wrong secret'))).toBe(false);
    // Only CertdeskErrors are classified: a bare Error is a bug, never retried.
    expect(isTransient(Object.assign(new Error('x'), { code: 'AUTH0_TIMEOUT' }))).toBe(false);
  });

  it('gives transient failures the retry exit code (75, as queued work) and every other failure 1', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) expect([code, info.exitCode]).toEqual([code, info.transient ? 75 : 1]);
    expect(ERROR_CODES.VALIDATION.category).toBe('input');
    expect(ERROR_CODES.AUTH0_RATE_LIMITED.category).toBe('auth0');
  });

  it('reads an unknown code as a permanent internal error', () => {
    expect(errorCodeInfo('SOMETHING_NEW')).toEqual(ERROR_CODES.INTERNAL);
    expect(isTransientCode('toString')).toBe(false);
  });
});
