import { runCertdesk } from '../support/cli.ts';

/**
 * The operator at this machine's terminal, on the web host's data folder: what web mode leaves to the
 * CLI (the edge folder, approving edge settings). Throws with the CLI's message when it fails.
 */
export async function operator(dataDir: string, args: string[]): Promise<unknown> {
  const run = await runCertdesk(['--data-dir', dataDir, '--json', ...args]);
  if (run.code !== 0) throw new Error(`certdesk ${args.join(' ')} failed (${run.code}): ${run.stdout}${run.stderr}`);
  return run.json;
}
