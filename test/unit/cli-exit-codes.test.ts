import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, reportFailure, worstExitCode } from '../../src/main/cli/output.ts';
import { CertdeskError } from '../../src/main/core/errors.ts';
import { ERROR_CODES } from '../../src/shared/contract/index.ts';

describe('CLI exit codes come from the error-code table', () => {
  it('gives every code its table row: 75 for the transient ones, 1 for the rest', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) expect(exitCodeOf({ code }), code).toBe(info.transient ? 75 : 1);
    expect(exitCodeOf({ code: 'AUTH0_UNAVAILABLE' })).toBe(75);
    expect(exitCodeOf({ code: 'VALIDATION' })).toBe(1);
  });

  it('a printed failure exits with its code', () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) };
    expect(reportFailure(new CertdeskError('AUTH0_RATE_LIMITED', 'slow down'), true, io)).toBe(75);
    expect(reportFailure(new CertdeskError('NOT_FOUND', 'no such thing'), true, io)).toBe(1);
    expect(reportFailure(new Error('boom'), false, io)).toBe(1);
    expect(out.map((t) => t.trim())).toEqual([
      '{"error":{"code":"AUTH0_RATE_LIMITED","message":"slow down"}}',
      '{"error":{"code":"NOT_FOUND","message":"no such thing"}}',
      'error: Unexpected error: boom',
    ]);
  });

  it('several outcomes exit 1 when any needs the operator, else 75 when any only waits', () => {
    expect(worstExitCode([])).toBe(0);
    expect(worstExitCode([0, 0])).toBe(0);
    expect(worstExitCode([0, 75, 0])).toBe(75);
    expect(worstExitCode([75, 1, 75])).toBe(1);
    expect(worstExitCode([1, 75])).toBe(1);
  });

  it('tells how to pass a value that reads as an option (a thumbprint starting with "-"), and only then', () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) };
    const thumb = '--SakC6TW-aMFHgSa0wYx3v6nk_jULr8vPIhdLs2nA';
    reportFailure(new CommanderError(1, 'commander.unknownOption', `error: unknown option '${thumb}'`), false, io);
    reportFailure(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--colour'"), false, io);
    expect(out[0]).toContain(`put it after "--", e.g. certdesk show -- ${thumb}`);
    expect(out[1]).not.toContain('put it after');
    expect(out[1]).toContain('Unknown option');
  });
});
