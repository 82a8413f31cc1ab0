/**
 * The closing line of `npm test`: `N passed, M failed, K skipped`, counted from the runners' JSON
 * reports. A test file that fails to load, a hook that throws outside any test, a Playwright spec
 * file that cannot be imported, and a runner that exits non-zero for any other reason each count as
 * a failure, so M is above 0 whenever the exit code is not 0.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  /** One line per failure that no test's own result names (a file that failed to load, a runner error). */
  problems: string[];
  /** One line per failed test: its file, its name and the first line of its error, so a log's tail says which. */
  failures: string[];
}

export function emptyTally(): Tally {
  return { passed: 0, failed: 0, skipped: 0, problems: [], failures: [] };
}

export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults?: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{ status: string; fullName?: string; title?: string; failureMessages?: string[] | null }>;
  }>;
}

/** Vitest counts a file that fails to load as a failed suite with no tests: count it here as one failure. */
export function tallyVitest(report: VitestReport): Tally {
  const tally = emptyTally();
  tally.passed = report.numPassedTests;
  tally.failed = report.numFailedTests;
  tally.skipped = report.numPendingTests + report.numTodoTests;
  for (const file of report.testResults ?? []) {
    const failedTests = file.assertionResults.filter((test) => test.status === 'failed');
    tally.failures.push(
      ...listed(() =>
        failedTests.map(
          (test) => `${fromRoot(file.name)} › ${test.fullName ?? test.title ?? '?'}: ${firstLine(test.failureMessages?.[0]) || 'failed'}`,
        ),
      ),
    );
    if (file.status === 'failed' && failedTests.length === 0) {
      tally.failed += 1;
      tally.problems.push(`${file.name}: ${firstLine(file.message) || 'the file failed outside any test'}`);
    }
  }
  return tally;
}

export interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  errors?: Array<{ message?: string; location?: { file: string } }>;
  suites?: PlaywrightReportSuite[];
}

interface PlaywrightReportTest {
  status: string;
  projectName?: string;
  annotations?: Array<{ type: string; description?: string }>;
  results?: Array<{ error?: { message?: string } }>;
}

interface PlaywrightReportSuite {
  title: string;
  specs?: Array<{ title: string; file?: string; line?: number; tests: PlaywrightReportTest[] }>;
  suites?: PlaywrightReportSuite[];
}

interface PlaywrightEntry {
  /** The file suite's title, then the `describe` blocks, then the test's own title. */
  names: string[];
  where: string;
  test: PlaywrightReportTest;
}

/** Every test of a report, with its names and its place. The top suites are files; those below are `describe` blocks. */
function playwrightTests(suites: PlaywrightReportSuite[], path: string[] = []): PlaywrightEntry[] {
  return suites.flatMap((suite) => {
    const here = [...path, suite.title];
    return [
      ...(suite.specs ?? []).flatMap((spec) =>
        spec.tests.map((test) => ({
          names: [...here, spec.title].filter(Boolean),
          where: spec.file ? `${spec.file}${spec.line ? `:${spec.line}` : ''}` : (here[0] ?? ''),
          test,
        })),
      ),
      ...playwrightTests(suite.suites ?? [], here),
    ];
  });
}

/** A skipped test is reported with its reason, never counted as passed. */
export function skippedWithReasons(report: Pick<PlaywrightReport, 'suites'>): string[] {
  return playwrightTests(report.suites ?? [])
    .filter(({ test }) => test.status === 'skipped')
    .map(
      ({ names, test }) => `${names.join(' › ')}: ${test.annotations?.find((a) => a.type === 'skip')?.description ?? 'no reason given'}`,
    );
}

/**
 * The tests that ended `unexpected` (failed on every try), each with its last try's error, first line.
 * Named by file and line, then by `describe` blocks and title (the file's own title is its path already).
 */
function playwrightFailures(suites: PlaywrightReportSuite[]): string[] {
  return playwrightTests(suites)
    .filter(({ test }) => test.status === 'unexpected')
    .map(({ names, where, test }) => {
      const error = (test.results ?? [])
        .map((result) => result.error?.message)
        .filter(Boolean)
        .at(-1);
      const project = test.projectName ? ` [${test.projectName}]` : '';
      return `${where} › ${names.slice(1).join(' › ')}${project}: ${firstLine(error) || 'failed'}`;
    });
}

/** Names the failures, or says it could not: a listing must never cost the counts beside it. */
function listed(list: () => string[]): string[] {
  try {
    return list();
  } catch (error) {
    return [`(the failed tests could not be listed: ${error instanceof Error ? error.message : String(error)})`];
  }
}

/** Playwright reports a spec file that cannot load (and any global error) in `errors`, outside `stats`. */
export function tallyPlaywright(report: PlaywrightReport): Tally {
  const tally = emptyTally();
  tally.passed = report.stats.expected + report.stats.flaky;
  tally.failed = report.stats.unexpected;
  tally.skipped = report.stats.skipped;
  tally.failures.push(...listed(() => playwrightFailures(report.suites ?? [])));
  for (const error of report.errors ?? []) {
    tally.failed += 1;
    tally.problems.push(`${error.location?.file ?? 'playwright'}: ${firstLine(error.message) || 'error outside any test'}`);
  }
  return tally;
}

/**
 * One runner's part of the line. A runner that wrote no report, or exited non-zero with no failure
 * counted, still counts one failure: an exit code is never hidden behind `0 failed`.
 */
export function tallyRun(label: string, exitCode: number, report: Tally | undefined): Tally {
  const tally = report ?? emptyTally();
  if (!report) {
    tally.failed += 1;
    tally.problems.push(`${label}: wrote no report (exit code ${exitCode})`);
  } else if (exitCode !== 0 && tally.failed === 0) {
    tally.failed += 1;
    tally.problems.push(`${label}: exited with code ${exitCode} with no failed test counted (a runner error)`);
  }
  return tally;
}

export function addTally(into: Tally, more: Tally): Tally {
  into.passed += more.passed;
  into.failed += more.failed;
  into.skipped += more.skipped;
  into.problems.push(...more.problems);
  into.failures.push(...more.failures);
  return into;
}

export function closingLine(tally: Tally): string {
  return `certdesk: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** A test file's path from the repository's root, as the runners print it. */
function fromRoot(file: string): string {
  const path = relative(root, file);
  return path.startsWith('..') ? file : path;
}

function firstLine(text: string | undefined): string {
  return stripVTControlCharacters(text ?? '')
    .trim()
    .split('\n')[0]!;
}
