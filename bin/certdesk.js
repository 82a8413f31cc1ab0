#!/usr/bin/env node
// Launcher for the certdesk CLI. The CLI is TypeScript run by Node 24's built-in type stripping;
// on an older Node it re-runs itself with the project's Node 24 (see scripts/node24.js).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const helper = fileURLToPath(new URL('../scripts/node24.js', import.meta.url));
  const entry = fileURLToPath(new URL('./certdesk.js', import.meta.url));
  const result = spawnSync(process.execPath, [helper, entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'ExperimentalWarning') console.warn(warning);
});
await import('../src/main/cli/main.ts');
