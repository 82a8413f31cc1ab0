/**
 * Runs the sandbox tenant until SIGINT/SIGTERM: `node src/sandbox/main.ts --dir <folder> [options]`
 * (see `--help`). Prints one JSON line: url, domain, edgeUrl, edgeServerCaPem, managementClient, dir.
 */
import { sandboxStart } from './cli.ts';
import type { Sandbox } from './server.ts';

// Listen before starting: a caller may signal as soon as it reads the JSON line.
const running: { sandbox?: Sandbox; stopRequested: boolean } = { stopRequested: false };
const stop = () => {
  running.stopRequested = true;
  if (running.sandbox) void running.sandbox.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

const started = await sandboxStart(process.argv.slice(2), { stdout: (text) => process.stdout.write(text), env: process.env });
running.sandbox = started.sandbox;
process.exitCode = started.exitCode;
if (running.sandbox && running.stopRequested) stop();
