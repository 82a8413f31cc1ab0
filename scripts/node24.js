#!/usr/bin/env node
// Runs a script with Node 24, the major Electron 45 embeds. Uses the current Node when it is 24;
// otherwise the project's own copy in .toolchain/, fetched once from the npm registry at a pinned
// version and checked against its pinned sha512 (scripts/toolchain.js) before it is ever run.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REQUIRED_MAJOR, toolchainNode } from './toolchain.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function projectNode() {
  try {
    return toolchainNode(join(root, '.toolchain'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const advice = `Install Node ${REQUIRED_MAJOR} yourself (see .nvmrc) and retry.`;
    process.stderr.write(`${message}${message.includes(advice) ? '' : `\n${advice}`}\n`);
    process.exit(1);
  }
}

const major = Number(process.versions.node.split('.')[0]);
const node = major === REQUIRED_MAJOR ? process.execPath : projectNode();
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
