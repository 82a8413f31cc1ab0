/**
 * `npm run web [-- --data-dir DIR --port N]`: builds the renderer, then serves it and the main-process
 * handlers on 127.0.0.1 with a per-run token (src/main/web/main.ts). Open the printed link.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startWebMode } from './web-mode.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = spawnSync(
  process.execPath,
  ['node_modules/vite/bin/vite.js', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'],
  { cwd: root, stdio: 'inherit' },
);
if (build.status !== 0) process.exit(build.status ?? 1);

startWebMode(root, process.argv.slice(2));
