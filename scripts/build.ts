/**
 * `npm run build`: main, preload and renderer bundles into out/ (electron-vite; no Electron binary needed),
 * then the first page's weight against its ceiling (scripts/check-first-page.ts).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const r = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
if (r.status !== 0) process.exit(r.status ?? 1);
const check = spawnSync(process.execPath, ['scripts/check-first-page.ts'], { cwd: root, stdio: 'inherit' });
process.exit(check.status ?? 1);
