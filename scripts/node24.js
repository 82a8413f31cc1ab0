#!/usr/bin/env node
// Runs a script with Node 24, the major Electron 45 embeds. Uses the current Node when it is 24;
// otherwise the project's own copy in .toolchain/, fetched once from the npm registry
// (package node-<platform>-<arch>@24) rather than failing on an older machine Node.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUIRED_MAJOR = 24;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function toolchainNode() {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const pkg = `node-${platform}-${process.arch}`;
  const prefix = join(root, '.toolchain');
  const bin =
    process.platform === 'win32' ? join(prefix, 'node_modules', pkg, 'bin', 'node.exe') : join(prefix, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(bin)) {
    process.stderr.write(
      `certdesk needs Node ${REQUIRED_MAJOR}; this is Node ${process.versions.node}. Fetching ${pkg}@${REQUIRED_MAJOR} from the npm registry into .toolchain/ …\n`,
    );
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(
      npm,
      ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${REQUIRED_MAJOR}`],
      { stdio: ['ignore', process.stderr, process.stderr], shell: process.platform === 'win32' },
    );
    if (r.status !== 0 || !existsSync(bin)) {
      process.stderr.write(`Could not fetch ${pkg}@${REQUIRED_MAJOR}. Install Node ${REQUIRED_MAJOR} yourself (see .nvmrc) and retry.\n`);
      process.exit(1);
    }
  }
  return bin;
}

const major = Number(process.versions.node.split('.')[0]);
const node = major === REQUIRED_MAJOR ? process.execPath : toolchainNode();
const [script, ...args] = process.argv.slice(2);
if (!script) {
  process.stdout.write(`${node}\n`);
  process.exit(0);
}
const env = {
  ...process.env,
  PATH: `${dirname(node)}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}`,
  NODE_NO_WARNINGS: '1',
};
const result = spawnSync(node, [join(process.cwd(), script) === script ? script : script, ...args], { stdio: 'inherit', env });
if (result.signal) process.kill(process.pid, result.signal);
process.exit(result.status ?? 1);
