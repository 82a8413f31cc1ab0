import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makeCa } from '../support/sandbox-pki.ts';
import { tempDir } from '../support/temp.ts';

const MAIN = fileURLToPath(new URL('../../src/sandbox/main.ts', import.meta.url));

interface Started {
  line: Record<string, unknown>;
  stop: () => Promise<number | null>;
}

/** Runs main.ts, resolves with its first stdout line; `stop` sends SIGTERM and resolves with the exit code. */
function run(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  onTestFinished(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0)
        resolve({ line: JSON.parse(out.slice(0, newline)) as Record<string, unknown>, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then((code) => reject(new Error(`main.ts exited (${code}) before printing: ${out}`)));
  });
}

describe('sandbox main.ts', () => {
  it('prints one JSON line with the URLs, serves on 127.0.0.1, stops on SIGTERM, and brings the edge back on restart', async () => {
    const dir = tempDir('certdesk-sandbox-');
    const ca = await makeCa();
    const bundle = join(tempDir(), 'ca.pem');
    writeFileSync(bundle, ca.certPem);

    const first = await run(['--dir', dir, '--ca-bundle', bundle, '--token-type', 'DPoP']);
    expect(first.line).toMatchObject({
      domain: 'sandbox.certdesk.test',
      dir,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      edgeUrl: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(first.line.managementClient).toMatchObject({ clientId: expect.any(String), clientSecret: expect.any(String) });
    const discovery = (await (await fetch(`${String(first.line.url)}/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(discovery.issuer).toBe('https://sandbox.certdesk.test/');
    expect(await first.stop()).toBe(0);

    const second = await run(['--dir', dir]);
    expect(second.line.edgeUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(second.line.managementClient).toEqual(first.line.managementClient);
    expect(second.line.edgeServerCaPem).toBe(first.line.edgeServerCaPem);
    expect(await second.stop()).toBe(0);
  });

  it('answers bad options with a JSON error and exit code 1', async () => {
    const child = spawn(process.execPath, [MAIN, '--token-type', 'Basic'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({ error: { code: 'BAD_ARGUMENTS', message: '--token-type must be Bearer or DPoP' } });
  });
});
