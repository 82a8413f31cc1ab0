/**
 * The test session's keyring (scripts/test-keyring.ts), on a real gnome-keyring and a real private
 * bus: a daemon that aborts is started again by the bus on the next call, on the same keyring with
 * every item intact; a call the daemon died in the middle of is answered by the restarted one; and
 * a bus without our service starts nothing at all (Debian's own service would start a keyring-less
 * daemon that answers "locked" to every later test, which is how one upstream crash once failed
 * 49 tests in CI).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { busConfig } from '../../scripts/test-keyring.ts';
import { tempDir } from '../support/temp.ts';

const child = join(import.meta.dirname, '../support/keyring-restart-child.ts');

function inPrivateBus(withService: boolean, args: string[]): Record<string, unknown> {
  const dir = tempDir();
  const services = join(dir, 'services');
  const conf = join(dir, 'bus.conf');
  writeFileSync(conf, busConfig(dir, withService ? services : undefined));
  const run = spawnSync('dbus-run-session', [`--config-file=${conf}`, '--', process.execPath, child, ...args, services], {
    encoding: 'utf8',
    timeout: 90_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

describe('the test session keyring', () => {
  it('is started again by the bus after an abort, with its items, and answers a call it died in', () => {
    const result = inPrivateBus(true, ['crash']);
    expect(result.exits).toEqual(['SIGABRT', 'SIGKILL']);
    expect(result.restartedWithNewPid).toBe(true);
    expect(result.afterRestart).toEqual([7, 7, 7]);
    expect(result.diedMidCall).toEqual([7, 7, 7]);
  });

  it('on a bus without its service, nothing is started in its place', () => {
    expect(inPrivateBus(false, ['bare'])).toEqual({ withoutDaemon: 'KEYCHAIN_UNAVAILABLE' });
  });
});
