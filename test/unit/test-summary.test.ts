/**
 * The closing line of `npm test` counts every failure: the runners are run for real on fixture
 * folders holding a passing test and a file that throws on import, and their own JSON reports are
 * tallied the way scripts/test.ts tallies them.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  closingLine,
  emptyTally,
  type PlaywrightReport,
  skippedWithReasons,
  tallyPlaywright,
  tallyRun,
  tallyVitest,
  type VitestReport,
} from '../../scripts/test-summary.ts';
import { tempDir } from '../support/temp.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(root, 'test/fixtures/test-summary');

/** This process's environment without the variables that tell a runner it is already inside vitest. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|TEST|NODE_OPTIONS)/.test(name)));
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Playwright run for real on a fixture folder's config; it must exit non-zero. Its own JSON report. */
function runPlaywright(folder: string): { status: number; report: PlaywrightReport } {
  const out = join(tempDir(), 'playwright.json');
  const run = spawnSync(
    process.execPath,
    ['node_modules/@playwright/test/cli.js', 'test', '--config', join(fixtures, folder, 'playwright.config.ts')],
    {
      cwd: root,
      env: cleanEnv({ PLAYWRIGHT_JSON_OUTPUT_NAME: out }),
      encoding: 'utf8',
    },
  );
  expect(run.status).not.toBe(0);
  return { status: run.status ?? 1, report: JSON.parse(readFileSync(out, 'utf8')) as PlaywrightReport };
}

describe('the closing line of npm test', () => {
  it('counts a vitest file that throws on import as a failure, beside the tests that passed and failed, and names the failed one', () => {
    const out = join(tempDir(), 'vitest.json');
    const run = spawnSync(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--root', join(fixtures, 'vitest'), '--reporter=json', `--outputFile.json=${out}`],
      { cwd: root, env: cleanEnv(), encoding: 'utf8' },
    );
    expect(run.status).not.toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as VitestReport;
    // What vitest's own counters say: one test passed, one failed. The file that failed to load is in no counter.
    expect([report.numPassedTests, report.numFailedTests]).toEqual([1, 1]);
    const tally = tallyRun('vitest', run.status ?? 1, tallyVitest(report));
    expect(closingLine(tally)).toBe('certdesk: 1 passed, 2 failed, 0 skipped');
    expect(tally.problems).toEqual([expect.stringMatching(/throws-on-import\.test\.ts: .*this file throws on import/)]);
    // The failed test by file and name, with its error's first line, for the tail of a CI log.
    expect(tally.failures).toEqual([
      'test/fixtures/test-summary/vitest/fails.test.ts › subtracts: AssertionError: expected 2 to be 1 // Object.is equality',
    ]);
  });

  it('counts a Playwright spec that throws on import as a failure, though Playwright ran no test', () => {
    const { status, report } = runPlaywright('playwright');
    expect(report.stats.unexpected).toBe(0);
    const tally = tallyRun('playwright', status, tallyPlaywright(report));
    expect(tally.failed).toBeGreaterThanOrEqual(1);
    expect(closingLine(tally)).toMatch(/^certdesk: \d+ passed, [1-9]\d* failed, 0 skipped$/);
    expect(tally.problems.join('\n')).toMatch(/throws-on-import\.spec\.ts: Error: this spec throws on import/);
  });

  it('names a Playwright test that failed by file, line, describe block and title, with its error', () => {
    const { status, report } = runPlaywright('playwright-fails');
    const tally = tallyRun('playwright', status, tallyPlaywright(report));
    expect(closingLine(tally)).toBe('certdesk: 0 passed, 1 failed, 0 skipped');
    expect(tally.failures).toEqual([expect.stringMatching(/^fails\.spec\.ts:4 › arithmetic › subtracts: Error: .*expect\(.*\)\.toBe\(/)]);
    expect(tally.problems).toEqual([]);
  });

  it('names failures and skips of a report with nested blocks, two projects and retries, each by its last try', () => {
    const failing = (projectName: string) => ({
      status: 'unexpected',
      projectName,
      results: [{ error: { message: 'Error: first try\nstack' } }, { error: { message: 'Error: last try\nstack' } }],
    });
    const report: PlaywrightReport = {
      stats: { expected: 1, unexpected: 2, flaky: 1, skipped: 1 },
      suites: [
        {
          title: 'a.spec.ts',
          specs: [{ title: 'top', file: 'a.spec.ts', line: 3, tests: [{ status: 'expected' }] }],
          suites: [
            {
              title: 'outer',
              suites: [
                {
                  title: 'inner',
                  specs: [
                    { title: 'breaks', file: 'a.spec.ts', line: 9, tests: [failing('chromium'), failing('narrow')] },
                    {
                      title: 'wobbles',
                      file: 'a.spec.ts',
                      line: 12,
                      tests: [{ status: 'flaky', results: [{ error: { message: 'x' } }, {}] }],
                    },
                    {
                      title: 'waits',
                      file: 'a.spec.ts',
                      line: 15,
                      tests: [{ status: 'skipped', annotations: [{ type: 'skip', description: 'no binary here' }] }],
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const tally = tallyPlaywright(report);
    expect(closingLine(tally)).toBe('certdesk: 2 passed, 2 failed, 1 skipped');
    expect(tally.failures).toEqual([
      'a.spec.ts:9 › outer › inner › breaks [chromium]: Error: last try',
      'a.spec.ts:9 › outer › inner › breaks [narrow]: Error: last try',
    ]);
    expect(skippedWithReasons(report)).toEqual(['a.spec.ts › outer › inner › waits: no binary here']);
  });

  it('never prints 0 failed for a runner that exited non-zero or wrote no report', () => {
    expect(tallyRun('vitest', 1, { ...emptyTally(), passed: 12 })).toMatchObject({ passed: 12, failed: 1 });
    expect(tallyRun('vitest', 1, { ...emptyTally(), passed: 12 }).problems).toEqual([
      'vitest: exited with code 1 with no failed test counted (a runner error)',
    ]);
    expect(tallyRun('playwright', 0, undefined)).toMatchObject({ failed: 1, problems: ['playwright: wrote no report (exit code 0)'] });
    // A run whose failures are already counted adds none of its own.
    expect(tallyRun('vitest', 1, { ...emptyTally(), passed: 3, failed: 2 })).toMatchObject({ passed: 3, failed: 2, problems: [] });
    expect(tallyRun('vitest', 0, { ...emptyTally(), passed: 3, skipped: 1 })).toMatchObject({ passed: 3, failed: 0, skipped: 1 });
  });
});
