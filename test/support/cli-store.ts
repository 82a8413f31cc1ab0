import { runCli } from '../../src/main/cli/program.ts';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store.ts';
import { tempDir } from './temp.ts';

/**
 * The CLI in-process (the same parsing and dispatch as the binary) on a real SQLite store in a fresh
 * folder, with a root and an issuing CA named `${prefix} Root` and `${prefix} Issuing`. `human` gives
 * the text output; `run` adds --json and parses it.
 */
export async function inProcessCliStore(prefix = 'CLI') {
  const dir = tempDir();
  const io = { env: { CERTDESK_DATA_DIR: dir }, secretStore: new MemorySecretStore() };
  const human = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), ...io });
    return { code, stdout, stderr };
  };
  const run = async (...args: string[]) => {
    const r = await human('--json', ...args);
    return { ...r, json: JSON.parse(r.stdout) as unknown };
  };
  await run('ca', 'create', '--name', `${prefix} Root`);
  await run('ca', 'create', '--name', `${prefix} Issuing`, '--parent', `${prefix} Root`);
  return { dir, run, human };
}
