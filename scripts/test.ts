/**
 * `npm test`: unit and integration tests (vitest), then the web-mode E2E (Playwright in Debian's
 * Chromium). Everything runs inside a private D-Bus session with its own gnome-keyring, so the
 * tests use a real Secret Service without touching the user's own keyring.
 *   --only unit|e2e   run one half
 *   FILTER…           only the test files matching these filters (passed to vitest / Playwright);
 *                     `npm test -- rotation` and `npm test -- -- rotation` both work
 * Needs: Node 24 (fetched by scripts/node24.js), and from the OS: dbus, gnome-keyring, chromium, openssl.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForSecretService } from '../test/support/secret-service.ts';
import { SYSTEM_SBIN, which } from './chromium.ts';
import { busConfig, keyringAt, testKeyring } from './test-keyring.ts';
import {
  addTally,
  closingLine,
  emptyTally,
  type PlaywrightReport,
  skippedWithReasons,
  type Tally,
  tallyPlaywright,
  tallyRun,
  tallyVitest,
  type VitestReport,
} from './test-summary.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
// Everything but `--only X` and a bare `--` is a filter: npm already strips its own `--`, so
// `npm test -- rotation` must filter rather than run the whole suite.
const filters = args.filter((arg, i) => arg !== '--' && arg !== '--only' && args[i - 1] !== '--only');
const node = process.execPath;

function need(command: string, apt: string): void {
  if (!which(command, SYSTEM_SBIN)) {
    console.error(`npm test needs \`${command}\`: install it with \`sudo apt-get install ${apt}\` (Debian/Ubuntu).`);
    process.exit(2);
  }
}

if (!process.env.CERTDESK_TEST_SESSION) {
  need('dbus-run-session', 'dbus');
  need('gnome-keyring-daemon', 'gnome-keyring');
  need('dbus-send', 'dbus');
  need('openssl', 'openssl');
  need('nginx', 'nginx');
  need('sshd', 'openssh-server');
  if (only !== 'unit') need('chromium', 'chromium');
  // The inner run writes its tally here; if it dies before its closing line, this one still prints one.
  const summaryDir = mkdtempSync(join(tmpdir(), 'certdesk-summary-'));
  const summaryFile = join(summaryDir, 'tally.json');
  // A private bus whose one activatable service is our own keyring daemon (see test-keyring.ts).
  const keyringHome = join(summaryDir, 'keyring');
  mkdirSync(keyringHome, { mode: 0o700 });
  testKeyring(keyringHome, join(summaryDir, 'services'), 'certdesk-test-keyring');
  const busConfigFile = join(summaryDir, 'session-bus.conf');
  writeFileSync(busConfigFile, busConfig(summaryDir, join(summaryDir, 'services')));
  const child = spawnSync('dbus-run-session', [`--config-file=${busConfigFile}`, '--', node, fileURLToPath(import.meta.url), ...args], {
    stdio: 'inherit',
    env: { ...process.env, CERTDESK_TEST_SESSION: '1', CERTDESK_TEST_SUMMARY: summaryFile, CERTDESK_TEST_KEYRING: keyringHome },
  });
  const status = child.status ?? 1;
  keyringAt(keyringHome).stop();
  if (!existsSync(summaryFile)) {
    const tally = tallyRun('the test session', status === 0 ? 1 : status, undefined);
    console.log(`\n${tally.problems.join('\n')} (${child.signal ? `killed by ${child.signal}` : `exit code ${status}`})`);
    console.log(closingLine(tally));
    rmSync(summaryDir, { recursive: true, force: true });
    process.exit(status === 0 ? 1 : status);
  }
  rmSync(summaryDir, { recursive: true, force: true });
  process.exit(status);
}

// Inside the private bus: the throw-away keyring set up above, started now and again by the bus whenever it is gone.
const keyringHome = process.env.CERTDESK_TEST_KEYRING!;
const keyring = keyringAt(keyringHome);
process.on('exit', () => keyring.stop());

const results = emptyTally();

let exitCode = 0;

function run(label: string, command: string, commandArgs: string[], env: NodeJS.ProcessEnv = {}): number {
  console.log(`\n── ${label} ──`);
  const r = spawnSync(command, commandArgs, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } });
  return r.status ?? 1;
}

try {
  await keyring.ready(20_000);
  await waitForSecretService(20_000);
  const reports = mkdtempSync(join(tmpdir(), 'certdesk-reports-'));

  if (only !== 'e2e') {
    const file = join(reports, 'vitest.json');
    const code = run('unit and integration (vitest)', node, [
      'node_modules/vitest/vitest.mjs',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${file}`,
      ...filters,
    ]);
    exitCode ||= code;
    const report = existsSync(file) ? tallyVitest(JSON.parse(readFileSync(file, 'utf8')) as VitestReport) : undefined;
    addTally(results, tallyRun('vitest', code, report));
  }

  if (only !== 'unit') {
    const build = run('build the renderer', node, [
      'node_modules/vite/bin/vite.js',
      'build',
      '--config',
      'vite.renderer.config.ts',
      '--logLevel',
      'warn',
    ]);
    exitCode ||= build;
    if (build !== 0) addTally(results, tallyRun('the renderer build', build, emptyTally()));
    const file = join(reports, 'playwright.json');
    const code = run('web-mode E2E (Playwright, Debian Chromium)', node, ['node_modules/@playwright/test/cli.js', 'test', ...filters], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: file,
    });
    exitCode ||= code;
    let report: Tally | undefined;
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as PlaywrightReport;
      report = tallyPlaywright(json);
      for (const line of skippedWithReasons(json)) console.log(`skipped: ${line}`);
    }
    addTally(results, tallyRun('playwright', code, report));
  }
  rmSync(reports, { recursive: true, force: true });
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(message);
  results.failed += 1;
  results.problems.push(`the test session: ${message}`);
  exitCode ||= 1;
}

if (results.failed > 0) exitCode ||= 1;
for (const exit of keyring.exits())
  console.log(
    `notice: the test keyring daemon exited (${exit.signal ?? `code ${exit.code}`}) at ${exit.at}; the bus started it again on the next call, as a desktop session would`,
  );
if (results.failures.length > 0) console.log(`\nfailed tests:\n${results.failures.map((f) => `  ${f}`).join('\n')}`);
if (results.problems.length > 0) console.log(`\nfailures outside any test:\n${results.problems.map((p) => `  ${p}`).join('\n')}`);
console.log(`\n${closingLine(results)}`);
if (process.env.CERTDESK_TEST_SUMMARY) writeFileSync(process.env.CERTDESK_TEST_SUMMARY, JSON.stringify({ ...results, exitCode }));
keyring.stop();
process.exit(exitCode);
