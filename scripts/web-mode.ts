/**
 * Starts web mode (src/main/web/main.ts) as a child and relays the link to open. The link carries
 * the per-run access token: the child prints it once on its standard output, and this prints it
 * once on ours, for the person who started it; it is never written to standard error or a log.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export function startWebMode(root: string, args: string[]): void {
  const host = spawn(process.execPath, ['src/main/web/main.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  createInterface({ input: host.stdout }).once('line', (line) => {
    try {
      const { url } = JSON.parse(line) as { url: string };
      console.log(`certdesk: open ${url}`);
    } catch {
      console.error('certdesk: the web host did not print its link; see the messages above.');
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => host.kill(signal));
  host.on('exit', (code) => process.exit(code ?? 0));
}
