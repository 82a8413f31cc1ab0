import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_STAGES, type DiagnosticStage } from '../../src/shared/contract/index.ts';
import { describeReport } from '../../src/main/cli/commands/diagnose.ts';
import { diagnosticsHeadline } from '../../src/shared/diagnostics-headline.ts';

function report(statuses: DiagnosticStage['status'][]) {
  const stages = statuses.map((status, i) => ({
    id: DIAGNOSTIC_STAGES[i]!,
    title: `Stage ${i + 1}`,
    status,
    ms: 1,
    evidence: [],
  }));
  return {
    ok: statuses.every((s) => s !== 'fail'),
    startedAt: '2026-12-05T09:00:00.000Z',
    tokenEndpoint: null,
    clientId: 'app',
    audience: 'https://api.example/',
    thumbprintSha256: 'x',
    stages,
    token: null,
  };
}

describe('the flight check headline', () => {
  it('says "All stages passed" only when every stage ran and passed', () => {
    expect(diagnosticsHeadline(report(Array(8).fill('pass')))).toBe('All stages passed');
  });

  it('counts a skipped stage instead of calling the run a full pass, in the app and the CLI', () => {
    const skipped = report([...Array(7).fill('pass'), 'skip']);
    expect(diagnosticsHeadline(skipped)).toBe('7 of 8 stages passed, 1 skipped');
    const text = describeReport(skipped);
    expect(text).not.toContain('All stages passed');
    expect(text).toContain('7 of 8 stages passed, 1 skipped: the binding works');
    expect(text).toContain('Not checked (skipped): Stage 8.');
  });

  it('names failures first, whatever was skipped', () => {
    expect(diagnosticsHeadline(report(['fail', ...Array(7).fill('skip')]))).toBe('1 stage failed');
    expect(diagnosticsHeadline(report(['pass', 'fail', 'fail', ...Array(5).fill('pass')]))).toBe('2 stages failed');
  });
});
