/**
 * The fuses certdesk ships with, and what the afterPack hook does to a binary: the hook runs on a
 * stand-in Electron binary that carries a fuse wire exactly where Electron's does (after the fuse
 * sentinel: version, length, one byte per fuse), and the wire is read back with @electron/fuses.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { afterPack, fuseConfig, packedBinary } from '../../scripts/after-pack.ts';
import { FUSES } from '../../scripts/fuses.ts';
import { tempDir } from '../support/temp.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const builderConfig = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8')) as { afterPack?: string };

/** The marker Electron's build writes in front of its fuse wire (electron/build/fuses). */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's shipped defaults, one ASCII digit per fuse in FuseV1Options order: '1' on, '0' off. */
const ELECTRON_DEFAULTS = '101100011';

function fakeElectron(path: string, wire = ELECTRON_DEFAULTS): Buffer {
  const bytes = Buffer.concat([
    Buffer.alloc(8192, 0xcc),
    Buffer.from(SENTINEL, 'latin1'),
    Buffer.from([1, wire.length]),
    Buffer.from(wire, 'latin1'),
    Buffer.alloc(8192, 0xdd),
  ]);
  writeFileSync(path, bytes);
  return bytes;
}

const linuxApp = (appOutDir: string) => ({
  appOutDir,
  electronPlatformName: 'linux',
  packager: { appInfo: { productFilename: 'certdesk' }, executableName: 'certdesk' },
});

describe('the fuse settings', () => {
  it('turn off every way to run the binary as something else, and lock the app to its asar', () => {
    expect(FUSES).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      EnableCookieEncryption: true,
      GrantFileProtocolExtraPrivileges: false,
    });
    for (const name of Object.keys(FUSES)) expect(FuseV1Options[name as keyof typeof FuseV1Options], name).toBeTypeOf('number');
  });

  it('are what the hook hands to @electron/fuses, by wire position', () => {
    const config = fuseConfig('linux');
    for (const [name, enabled] of Object.entries(FUSES)) expect(config[FuseV1Options[name as keyof typeof FUSES]], name).toBe(enabled);
    expect(config.resetAdHocDarwinSignature).toBe(false);
    expect(fuseConfig('darwin').resetAdHocDarwinSignature).toBe(true);
  });
});

describe('the afterPack hook', () => {
  it('is the hook electron-builder.json names, and electron-builder resolves it to this function', async () => {
    expect(builderConfig.afterPack).toBe('./scripts/after-pack.ts');
    // electron-builder's own resolver, as `npm run package` runs it (cwd = the repository).
    const require = createRequire(import.meta.url);
    const { resolveFunction } = require('app-builder-lib/out/util/resolve.js') as {
      resolveFunction: (type: string, executor: string, name: string, root: string) => Promise<unknown>;
    };
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const hook = await resolveFunction('module', builderConfig.afterPack!, 'afterPack', root);
      expect(typeof hook).toBe('function');
      expect((hook as { name: string }).name).toBe('afterPack');
    } finally {
      process.chdir(cwd);
    }
  });

  it('flips the fuses in the packed binary and leaves the others as Electron set them', async () => {
    const dir = tempDir();
    const binary = join(dir, 'certdesk');
    const before = fakeElectron(binary);
    await afterPack(linuxApp(dir));

    const wire = await getCurrentFuseWire(binary);
    const state = (enabled: boolean) => (enabled ? FuseState.ENABLE : FuseState.DISABLE);
    for (const [name, enabled] of Object.entries(FUSES)) expect(wire[FuseV1Options[name as keyof typeof FUSES]], name).toBe(state(enabled));
    expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.WasmTrapHandlers]).toBe(FuseState.ENABLE);
    // Only the wire changed: same size, and every byte outside the flipped fuses as before.
    const after = readFileSync(binary);
    expect(after.length).toBe(before.length);
    const wireStart = 8192 + SENTINEL.length + 2;
    const changed = [...after].flatMap((byte, i) => (byte === before[i] ? [] : [i - wireStart]));
    expect(changed.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 7]);
  });

  it('names the binary as electron-builder lays it out on each platform', () => {
    const app = (electronPlatformName: string) => ({
      appOutDir: '/out',
      electronPlatformName,
      packager: { appInfo: { productFilename: 'certdesk' } },
    });
    expect(packedBinary(linuxApp('/out'))).toBe(join('/out', 'certdesk'));
    expect(packedBinary(app('win32'))).toBe(join('/out', 'certdesk.exe'));
    expect(packedBinary(app('darwin'))).toBe(join('/out', 'certdesk.app'));
  });

  it('fails the package, and writes nothing, when the binary has no fuse wire', async () => {
    const dir = tempDir();
    const binary = join(dir, 'certdesk');
    const bytes = Buffer.alloc(4096, 0xaa);
    writeFileSync(binary, bytes);
    await expect(afterPack(linuxApp(dir))).rejects.toThrow(/sentinel/);
    expect(readFileSync(binary).equals(bytes)).toBe(true);
  });
});
