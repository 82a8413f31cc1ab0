/**
 * `npm test`: unit and integration tests (vitest), then the web-mode E2E (Playwright in Debian's
 * Chromium). Everything runs inside a private D-Bus session with its own gnome-keyring, so the
 * tests use a real Secret Service without touching the user's own keyring.
 *   --only unit|e2e   run one half
 *   -- FILTER…        only the test files matching these filters (passed to vitest / Playwright)
 * Needs: Node 24 (fetched by scripts/node24.js), and from the OS: dbus, gnome-keyring, chromium, openssl.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForSecretService } from '../test/support/secret-service.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const filters = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];
const node = process.execPath;

function need(command: string, apt: string): void {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) {
    console.error(`npm test needs \`${command}\`: install it with \`sudo apt-get install ${apt}\` (Debian/Ubuntu).`);
    process.exit(2);
  }
}

if (!process.env.CERTDESK_TEST_SESSION) {
  need('dbus-run-session', 'dbus');
  need('gnome-keyring-daemon', 'gnome-keyring');
  need('dbus-send', 'dbus');
  need('openssl', 'openssl');
  if (only !== 'unit') need('chromium', 'chromium');
  const child = spawnSync('dbus-run-session', ['--', node, fileURLToPath(import.meta.url), ...args], {
    stdio: 'inherit',
    env: { ...process.env, CERTDESK_TEST_SESSION: '1' },
  });
  process.exit(child.status ?? 1);
}

// Inside the private bus: a throw-away keyring, unlocked with a throw-away password.
const keyringHome = mkdtempSync(join(tmpdir(), 'certdesk-keyring-'));
const daemon = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
  env: { ...process.env, HOME: keyringHome, XDG_DATA_HOME: join(keyringHome, 'data'), XDG_RUNTIME_DIR: keyringHome },
  stdio: ['pipe', 'ignore', 'inherit'],
});
daemon.stdin.end('certdesk-test-keyring');
// Wait until our daemon owns org.freedesktop.secrets on this bus. Probing earlier would make D-Bus
// auto-start a second, keyring-less daemon that wins the name.
async function daemonOwnsSecretsName(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (daemon.exitCode !== null) throw new Error(`gnome-keyring-daemon exited early (code ${daemon.exitCode})`);
    const r = spawnSync(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        'string:org.freedesktop.secrets',
      ],
      { encoding: 'utf8' },
    );
    if (/boolean true/.test(r.stdout)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('gnome-keyring-daemon did not register org.freedesktop.secrets on the test bus');
}

function stopDaemon(): void {
  if (daemon.exitCode === null) daemon.kill('SIGTERM');
  rmSync(keyringHome, { recursive: true, force: true });
}
process.on('exit', stopDaemon);

const results = { passed: 0, failed: 0, skipped: 0 };

interface PlaywrightSuite {
  title: string;
  specs?: Array<{ title: string; tests: Array<{ status: string; annotations: Array<{ type: string; description?: string }> }> }>;
  suites?: PlaywrightSuite[];
}
interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  suites: PlaywrightSuite[];
}

/** A skipped test is reported with its reason, never counted as passed. */
function skippedWithReasons(suites: PlaywrightSuite[], path: string[] = []): string[] {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests
        .filter((t) => t.status === 'skipped')
        .map(
          (t) =>
            `${[...path, suite.title, spec.title].filter(Boolean).join(' › ')}: ${t.annotations.find((a) => a.type === 'skip')?.description ?? 'no reason given'}`,
        ),
    ),
    ...skippedWithReasons(suite.suites ?? [], [...path, suite.title]),
  ]);
}
let exitCode = 0;

function run(label: string, command: string, commandArgs: string[], env: NodeJS.ProcessEnv = {}): number {
  console.log(`\n── ${label} ──`);
  const r = spawnSync(command, commandArgs, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } });
  return r.status ?? 1;
}

try {
  await daemonOwnsSecretsName(20_000);
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
    if (existsSync(file)) {
      const report = JSON.parse(readFileSync(file, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTodoTests: number;
      };
      results.passed += report.numPassedTests;
      results.failed += report.numFailedTests;
      results.skipped += report.numPendingTests + report.numTodoTests;
    } else results.failed += 1;
  }

  if (only !== 'unit') {
    exitCode ||= run('build the renderer', node, [
      'node_modules/vite/bin/vite.js',
      'build',
      '--config',
      'vite.renderer.config.ts',
      '--logLevel',
      'warn',
    ]);
    const file = join(reports, 'playwright.json');
    const code = run('web-mode E2E (Playwright, Debian Chromium)', node, ['node_modules/@playwright/test/cli.js', 'test', ...filters], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: file,
    });
    exitCode ||= code;
    if (existsSync(file)) {
      const report = JSON.parse(readFileSync(file, 'utf8')) as PlaywrightReport;
      results.passed += report.stats.expected + report.stats.flaky;
      results.failed += report.stats.unexpected;
      results.skipped += report.stats.skipped;
      for (const line of skippedWithReasons(report.suites)) console.log(`skipped: ${line}`);
    } else results.failed += 1;
  }
  rmSync(reports, { recursive: true, force: true });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  results.failed += 1;
  exitCode ||= 1;
}

if (results.failed > 0) exitCode ||= 1;
console.log(`\ncertdesk: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
stopDaemon();
process.exit(exitCode);
