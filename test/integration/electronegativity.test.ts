/** The lint step fails on a real finding: Electronegativity run by scripts/electronegativity.ts over an insecure window. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run lint: Electronegativity', () => {
  it('fails, naming each check, on a window with no isolation, no sandbox and an open link handler', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'main.js'),
      [
        "const { BrowserWindow, shell } = require('electron');",
        'const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });',
        "win.webContents.on('new-window', (e, url) => shell.openExternal(url));",
        "win.loadURL('http://example.com/');",
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, [join(root, 'scripts/electronegativity.ts'), dir], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(1);
    for (const check of [
      'CONTEXT_ISOLATION_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'OPEN_EXTERNAL_JS_CHECK',
      'HTTP_RESOURCES_JS_CHECK',
      'LIMIT_NAVIGATION_GLOBAL_CHECK',
    ])
      expect(run.stderr, check).toContain(check);
    expect(run.stderr).toMatch(/add it to docs\/electronegativity-allowlist\.json with the reason/);
  });
});
