/**
 * `npm start`: installs what is missing, builds, and opens the certdesk desktop app. Where the
 * Electron binary cannot be had (no download possible), it says so and opens web mode instead,
 * which is the same renderer and the same main-process handlers served on 127.0.0.1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.ts';
import { startWebMode } from './web-mode.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

function step(label: string, command: string, commandArgs: string[]): void {
  console.log(`certdesk: ${label}…`);
  const r = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`certdesk: ${label} failed (exit ${r.status}).`);
    process.exit(r.status ?? 1);
  }
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json')))
  step('installing dependencies (npm ci)', 'npm', ['ci', '--no-audit', '--no-fund']);
step('building', process.execPath, ['scripts/build.ts']);

let electron = findElectronBinary(root);
if (!electron) {
  console.log('certdesk: fetching the Electron binary (first start only)…');
  // The electron package downloads its binary on first require; give it one bounded try.
  spawnSync(process.execPath, ['-e', "require('electron')"], { cwd: root, stdio: 'inherit', timeout: 180_000 });
  electron = findElectronBinary(root);
}

if (electron) {
  const app = spawn(electron, ['.', ...args], { cwd: root, stdio: 'inherit' });
  app.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('certdesk: the Electron binary is not available on this machine (it could not be downloaded).');
  console.log('certdesk: starting web mode instead: the same app in your browser, served on 127.0.0.1 only.');
  startWebMode(root, ['--static', join(root, 'out', 'renderer'), ...args]);
}
