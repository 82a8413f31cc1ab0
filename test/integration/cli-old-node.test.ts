/**
 * `npx certdesk` on an older Node: bin/certdesk.js hands over to the project's Node 24 by itself,
 * so package.json's engines admits the Node versions it hands over from, and npm has nothing to warn
 * about (it printed EBADENGINE twice). What certdesk prints is at most its own one line, when it
 * fetches Node 24 the first time (scripts/toolchain.js).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { engines: { node: string }; version: string };

/** The oldest major the launcher is tested to hand over from (this suite runs it when the machine has one). */
const OLDEST_HANDED_OVER = 20;

const systemNode = '/usr/bin/node';
const systemMajor = existsSync(systemNode)
  ? Number(spawnSync(systemNode, ['--version'], { encoding: 'utf8' }).stdout.replace(/^v/, '').split('.')[0])
  : null;

describe('npx certdesk on an older Node', () => {
  it("declares the engines the launcher serves, not Node 24's", () => {
    const match = /^>=(\d+)$/.exec(pkg.engines.node);
    expect(match, `engines.node is "${pkg.engines.node}"`).not.toBeNull();
    expect(Number(match![1])).toBeLessThanOrEqual(OLDEST_HANDED_OVER);
    // Node 24 itself is still what runs: the launcher hands anything older over to it.
    expect(readFileSync(`${root}bin/certdesk.js`, 'utf8')).toMatch(/if \(major < 24\)/);
    expect(readFileSync(`${root}.nvmrc`, 'utf8').trim()).toBe('24');
  });

  it.runIf(systemMajor !== null && systemMajor < 24 && existsSync('/usr/bin/npx'))(
    `runs under the system Node ${systemMajor ?? ''} through npx with no EBADENGINE warning`,
    () => {
      const run = spawnSync('/usr/bin/npx', ['--offline', 'certdesk', '--version'], {
        cwd: root,
        encoding: 'utf8',
        env: { HOME: process.env.HOME ?? root, PATH: '/usr/bin:/bin' },
        timeout: 100_000,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.trim()).toBe(pkg.version);
      expect(run.stderr).not.toContain('EBADENGINE');
      expect(run.stderr.trim().split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
    },
    120_000,
  );
});
