import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/certdesk.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json: unknown;
}

/**
 * Runs the real `certdesk` binary in a child process, as a script would. `wrapper` is a program and
 * its arguments the binary runs under (`unshare -n`: a process with no network).
 */
export function runCertdesk(args: string[], env: NodeJS.ProcessEnv = {}, wrapper: string[] = []): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const argv = [...wrapper, process.execPath, bin, ...args];
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
  });
}
