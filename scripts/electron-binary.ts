import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Electron binary, found without `require('electron')` (which downloads it on first use).
 * Honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does. Null when it is not installed.
 */
export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const pkgDir = join(root, 'node_modules', 'electron');
  const pathFile = join(pkgDir, 'path.txt');
  const name = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : process.platform === 'win32'
      ? 'electron.exe'
      : process.platform === 'darwin'
        ? 'Electron.app/Contents/MacOS/Electron'
        : 'electron';
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, name) : join(pkgDir, 'dist', name);
  return existsSync(binary) ? binary : null;
}
