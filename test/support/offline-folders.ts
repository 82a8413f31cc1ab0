/**
 * The offline workstation as its operators run it, through the CLI: a signer whose every command is
 * the real binary in a new network namespace (`unshare -n`), on a passphrase vault and no keychain,
 * and a publisher (the CLI in-process, optionally reaching the sandbox through `fetch`).
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store.ts';
import { runCertdesk } from './cli.ts';
import { tempDir } from './temp.ts';

export type Json = Record<string, unknown> & { error?: { code: string; message: string } };

/** A process with no network: as root a new network namespace, otherwise a user namespace with one. */
export const NO_NETWORK = process.getuid?.() === 0 ? ['unshare', '-n'] : ['unshare', '-rn'];

/**
 * The ceiling for a test that runs the signer's whole part: a dozen starts of the binary, each in a new
 * network namespace, take minutes on a loaded machine without being stuck.
 */
export const SIGNER_FLOW = { timeout: 360_000 };

export interface Folder {
  dir: string;
  /** Runs `certdesk --json ARGS…` and expects exit 0. */
  run(...args: string[]): Promise<Json>;
  /** The same, whatever the outcome. */
  raw(...args: string[]): Promise<{ code: number; json: Json }>;
}

export function signerFolder(): Folder {
  const dir = tempDir();
  const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}`, CERTDESK_PASSPHRASE: 'air-gapped signer passphrase' };
  const raw = async (...args: string[]) => {
    const r = await runCertdesk(['--data-dir', dir, '--json', ...args], env, NO_NETWORK);
    return { code: r.code, json: (r.json ?? { error: { code: 'NO_JSON', message: `${r.stdout}${r.stderr}` } }) as Json };
  };
  const run = async (...args: string[]) => {
    const r = await raw(...args);
    expect(r.code, `certdesk ${args.join(' ')}: ${JSON.stringify(r.json)}`).toBe(0);
    return r.json;
  };
  return { dir, run, raw };
}

export function publisherFolder(io: { fetch?: typeof fetch; env?: NodeJS.ProcessEnv } = {}): Folder & { secretStore: MemorySecretStore } {
  const dir = tempDir();
  const secretStore = new MemorySecretStore();
  const raw = async (...args: string[]) => {
    let stdout = '';
    const code = await runCli(['--json', ...args], {
      stdout: (t) => (stdout += t),
      stderr: () => {},
      env: { ...io.env, CERTDESK_DATA_DIR: dir },
      secretStore,
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
    return { code, json: JSON.parse(stdout) as Json };
  };
  const run = async (...args: string[]) => {
    const r = await raw(...args);
    expect(r.code, `certdesk ${args.join(' ')}: ${JSON.stringify(r.json)}`).toBe(0);
    return r.json;
  };
  return { dir, secretStore, run, raw };
}

/**
 * The one-time set-up of docs/roles.md: the signer makes "Offline Root" and "Offline Issuing", each
 * folder takes its role, and the two pair through files in `files`, each confirming the other's fingerprint.
 */
export async function pairWorkstations(signer: Folder, publisher: Folder, files: string): Promise<void> {
  await signer.run('vault', 'init', '--protection', 'passphrase');
  await signer.run('ca', 'create', '--name', 'Offline Root');
  await signer.run('ca', 'create', '--name', 'Offline Issuing', '--parent', 'Offline Root');
  await signer.run('role', 'set', 'signer', '--confirm', 'signer');
  const signerFp = (await signer.run('pair', 'export', '--out', join(files, 'signer.json'))).fingerprint as string;

  await publisher.run('role', 'set', 'publisher', '--confirm', 'publisher');
  const publisherFp = (await publisher.run('pair', 'export', '--out', join(files, 'publisher.json'))).fingerprint as string;
  await publisher.run('pair', 'import', join(files, 'signer.json'), '--confirm', signerFp);
  await signer.run('pair', 'import', join(files, 'publisher.json'), '--confirm', publisherFp);
}
