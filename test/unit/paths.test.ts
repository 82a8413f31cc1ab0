import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../src/main/core/paths.ts';

describe('data folder', () => {
  it('prefers --data-dir, then CERTDESK_DATA_DIR, then the OS app-data folder', () => {
    expect(resolveDataDir('/x', { CERTDESK_DATA_DIR: '/y' }, 'linux')).toBe('/x');
    expect(resolveDataDir(undefined, { CERTDESK_DATA_DIR: '/y' }, 'linux')).toBe('/y');
    expect(resolveDataDir(undefined, { XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe(join('/cfg', 'certdesk'));
    expect(resolveDataDir(undefined, {}, 'linux')).toBe(join(homedir(), '.config', 'certdesk'));
    expect(resolveDataDir(undefined, {}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'certdesk'));
    expect(resolveDataDir(undefined, { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toBe(
      join('C:\\Users\\a\\AppData\\Roaming', 'certdesk'),
    );
  });
});
