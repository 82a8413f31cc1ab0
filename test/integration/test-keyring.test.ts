/**
 * The test session's keyring (scripts/test-keyring.ts), on a real gnome-keyring and a real private
 * bus: a daemon that aborts is restarted on the same keyring with every item intact, and the bus
 * never auto-starts a keyring-less daemon in its place (that one would answer "locked" to every
 * later test, which is how one upstream crash once failed 49 tests in CI).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busConfig } from '../../scripts/test-keyring.ts';
import { tempDir } from '../support/temp.ts';

describe('the test session keyring', () => {
  it('is restarted with its items after an abort, and nothing else is ever auto-started on its bus', () => {
    const dir = tempDir();
    const conf = join(dir, 'bus.conf');
    writeFileSync(conf, busConfig(dir));
    const run = spawnSync(
      'dbus-run-session',
      [`--config-file=${conf}`, '--', process.execPath, join(import.meta.dirname, '../support/keyring-restart-child.ts')],
      { encoding: 'utf8', timeout: 90_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(result.exits).toEqual([expect.objectContaining({ signal: 'SIGABRT' })]);
    expect(result.restartedWithNewPid).toBe(true);
    expect(result.afterRestart).toEqual([7, 7, 7]);
    expect(result.withoutDaemon).toBe('KEYCHAIN_UNAVAILABLE');
  });
});
