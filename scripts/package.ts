/**
 * `npm run package`: makes sure the Electron archive for this platform can be had (from
 * ELECTRON_CACHE / electron_config_cache or a download), builds out/, then runs electron-builder with
 * electron-builder.json (whose afterPack hook, scripts/after-pack.ts, flips the fuses). Without the
 * archive it stops first, before building anything, with one sentence instead of electron-builder's
 * stack trace. Native modules are not rebuilt (npmRebuild: false): better-sqlite3 13 and
 * @napi-rs/keyring ship N-API binaries that load in Node and Electron alike, and an in-place rebuild
 * would need Electron's headers from the network and leave node_modules half-built when it fails.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadArtifact } from '@electron/get';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

const electronPkg = join(root, 'node_modules/electron');
const { version } = JSON.parse(readFileSync(join(electronPkg, 'package.json'), 'utf8')) as { version: string };
const cacheRoot = process.env.ELECTRON_CACHE || process.env.electron_config_cache || undefined;
const archive = `electron-v${version}-${process.platform}-${process.arch}.zip`;
try {
  // The checksums the electron package ships let a cached archive be verified without the network.
  await downloadArtifact({
    version,
    artifactName: 'electron',
    platform: process.platform,
    arch: process.arch,
    cacheRoot,
    checksums: require(join(electronPkg, 'checksums.json')) as Record<string, string>,
  });
} catch {
  console.error(
    `npm run package: the Electron archive ${archive} could not be fetched; put it in a folder (as @electron/get caches it) and set ELECTRON_CACHE to that folder, or run this on a machine with network access.`,
  );
  process.exit(1);
}

const built = run([join(root, 'scripts/build.ts')]);
if (built !== 0) process.exit(built);

const args = [join(root, 'node_modules/electron-builder/cli.js'), '--config', 'electron-builder.json', '--publish', 'never'];
if (cacheRoot) args.push(`--config.electronDownload.cache=${cacheRoot}`);
process.exit(run(args));
