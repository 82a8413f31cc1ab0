/**
 * `npm run package` where the Electron archive cannot be had: it says so in one sentence and exits
 * non-zero, before building anything. The "download" goes to a local mirror (ELECTRON_MIRROR), so the
 * test never reaches the network and can see every request the script made.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let mirror: Server | undefined;
afterEach(() => new Promise<void>((done) => (mirror ? mirror.close(() => done()) : done())));

/** A mirror that answers every request with `answer`, and the paths it was asked for. */
async function startMirror(answer: (res: ServerResponse) => void): Promise<{ url: string; asked: string[] }> {
  const asked: string[] = [];
  mirror = createServer((req, res) => {
    asked.push(req.url ?? '');
    answer(res);
  });
  await new Promise<void>((ready) => mirror!.listen(0, '127.0.0.1', () => ready()));
  return { url: `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`, asked };
}

function runPackage(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  // Only what the script needs: no npm_config_electron_* from the caller's .npmrc may redirect the download.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/electron/i.test(key)));
  const child = spawn(process.execPath, [join(root, 'scripts/package.ts')], {
    cwd: root,
    env: { ...clean, ELECTRON_GET_NO_PROGRESS: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((done) => child.on('close', (code) => done({ code, stderr })));
}

const mtime = (path: string) => (existsSync(path) ? statSync(path).mtimeMs : null);

describe('npm run package without the Electron archive', () => {
  it.each([
    ['the mirror has no such file', (res: ServerResponse) => res.writeHead(404).end('no such release')],
    ['the archive does not match the checksum the electron package ships', (res: ServerResponse) => res.end('not a zip')],
  ])('stops with one sentence and exit code 1 when %s, and builds nothing', async (_case, answer) => {
    const { url, asked } = await startMirror(answer);
    const cache = tempDir();
    const builtBefore = mtime(join(root, 'out/main/index.js'));
    const distBefore = existsSync(join(root, 'dist'));

    const { code, stderr } = await runPackage({ ELECTRON_CACHE: cache, ELECTRON_MIRROR: url });

    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(
      /^npm run package: the Electron archive electron-v[\d.]+-\w+-\w+\.zip could not be fetched; .*ELECTRON_CACHE/,
    );
    expect(stderr.trim().split('\n')).toHaveLength(1);
    // It asked our mirror (and so nowhere else) for the archive, or its checksum file, and nothing more.
    expect(asked.length).toBeGreaterThan(0);
    expect(
      asked.every((path) => /electron-v[\d.]+-[\w-]+\.zip$|SHASUMS256\.txt$/.test(path)),
      asked.join(', '),
    ).toBe(true);
    // Nothing was built, packaged or cached.
    expect(mtime(join(root, 'out/main/index.js'))).toBe(builtBefore);
    expect(existsSync(join(root, 'dist'))).toBe(distBefore);
    expect(readdirSync(cache)).toEqual([]);
  });
});
