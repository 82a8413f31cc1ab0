/** Process entry for `certdesk` (see bin/certdesk.js): real stdio, real keychain, exit code. */
import { runCli } from './program.ts';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
});
process.exitCode = code;
