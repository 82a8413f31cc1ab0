import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { readPngHeader } from '../support/png.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  extraResources: { from: string; to: string; filter: string[] }[];
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  nsis: { installerIcon: string; uninstallerIcon: string };
}
const config = read('electron-builder.json') as unknown as BuilderConfig;
const pkg = read('package.json') as { name: string; main: string; scripts: Record<string, string> };

/** What electron-builder would take from the app folder, judged by the config's own globs. */
const packed = (path: string) => config.files.some((glob) => matchesGlob(path, glob));

describe('electron-builder.json', () => {
  it('is valid against the JSON schema electron-builder ships (no misspelt or unknown option)', () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('names the app', () => {
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(config.productName).toBe('certdesk');
    expect(pkg.scripts.package).toContain('scripts/package.ts');
  });

  it('packs the built app and package.json, never sources or tests', () => {
    expect(packed(pkg.main.replace(/^\.\//, ''))).toBe(true);
    for (const path of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json'])
      expect(packed(path), path).toBe(true);
    for (const path of [
      'src/main/index.ts',
      'src/renderer/index.html',
      'test/unit/packaging.test.ts',
      'test/e2e/about.spec.ts',
      'scripts/package.ts',
      'bench/run.ts',
      'resources/icon.svg',
    ])
      expect(packed(path), path).toBe(false);
  });

  it('uses asar and keeps the SQLite native module (and every .node binary) outside it', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack.some((glob) => matchesGlob('node_modules/better-sqlite3/prebuilds/linux-x64.node', glob))).toBe(true);
    expect(
      config.asarUnpack.some((glob) => matchesGlob('node_modules/@napi-rs/keyring-linux-x64-gnu/keyring.linux-x64-gnu.node', glob)),
    ).toBe(true);
    // No in-place rebuild: the SQLite module ships N-API prebuilds, one binary for Node and Electron.
    expect(config.npmRebuild).toBe(false);
    expect(existsSync(join(root, 'node_modules/better-sqlite3/prebuilds'))).toBe(true);
  });

  it('builds AppImage and deb, dmg, and an NSIS installer', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('takes every icon from resources/, and the files it names exist', () => {
    for (const path of [config.linux.icon, config.mac.icon, config.win.icon, config.nsis.installerIcon, config.nsis.uninstallerIcon]) {
      expect(path, path).toMatch(/^resources\//);
      expect(existsSync(join(root, path)), path).toBe(true);
    }
    expect(statSync(join(root, config.linux.icon)).isDirectory()).toBe(true);
    // electron-builder reads a Linux icon folder by NxN.png names.
    for (const size of [16, 32, 48, 64, 128, 256, 512])
      expect(readPngHeader(readFileSync(join(root, config.linux.icon, `${size}x${size}.png`)))).toMatchObject({
        width: size,
        height: size,
      });
    expect(readFileSync(join(root, config.mac.icon)).toString('latin1', 0, 4)).toBe('icns');
    expect(readFileSync(join(root, config.win.icon)).readUInt16LE(2)).toBe(1);
  });

  it('ships the PNGs the window icon reads from process.resourcesPath/icons', () => {
    const icons = config.extraResources.find((r) => r.to === 'icons');
    expect(icons).toMatchObject({ from: 'resources/icons', filter: ['*.png'] });
    expect(existsSync(join(root, 'resources/icons/512x512.png'))).toBe(true);
  });
});
