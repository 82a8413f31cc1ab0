/**
 * `npm run screenshots`: the README's pictures, retaken. Runs the screenshot spec through the test
 * session (which builds the renderer and provides the throw-away keyring) with CERTDESK_SCREENSHOTS=1,
 * so it writes docs/screenshots/*.png; a normal test run drives the same pages without writing them.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const r = spawnSync(process.execPath, ['scripts/test.ts', '--only', 'e2e', 'test/e2e/readme-screenshots.spec.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CERTDESK_SCREENSHOTS: '1' },
});
process.exit(r.status ?? 1);
