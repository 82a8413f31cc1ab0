import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './nginx.ts';

export const SSHD = '/usr/sbin/sshd';
export const SFTP_SERVER = '/usr/lib/openssh/sftp-server';
const PRIVSEP_DIR = '/run/sshd';

export interface RunningSshd {
  host: '127.0.0.1';
  port: number;
  user: string;
  /** The folder holding the config, host key, authorized_keys and the log. */
  dir: string;
  /** The host key's `SHA256:…` fingerprint, as `ssh-keygen -lf` prints it (the operator's independent view). */
  hostKeyFingerprint: string;
  /** Replaces authorized_keys (sshd reads it at each login). */
  authorize(publicKeyLines: string[]): void;
  log(): string;
  stop(): Promise<void>;
}

/** `ssh-keygen -t ed25519` into `path` (no passphrase); returns the public key line. */
export function sshKeygen(path: string, comment = 'certdesk-test'): string {
  const made = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`ssh-keygen failed: ${made.stderr}`);
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

export function sshFingerprint(publicKeyPath: string): string {
  const out = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyPath], { encoding: 'utf8' });
  const fingerprint = /SHA256:[A-Za-z0-9+/]+/.exec(out.stdout)?.[0];
  if (!fingerprint) throw new Error(`ssh-keygen -l failed: ${out.stderr}`);
  return fingerprint;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    // sshd speaks first: its identification line proves it is sshd answering, not only a bound socket.
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString('latin1').startsWith('SSH-2.0-'));
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A real OpenSSH server on 127.0.0.1 as the current user, with its own temp host key, config, pid
 * file and authorized_keys: `UsePAM no` and `StrictModes no` so it runs unprivileged too.
 */
export async function startSshd(options: { fileSizeLimit?: number; port?: number } = {}): Promise<RunningSshd> {
  // As root, sshd insists on its compiled-in privilege-separation folder (empty, root-owned); unprivileged, it does not use one.
  if (process.getuid?.() === 0 && !existsSync(PRIVSEP_DIR)) mkdirSync(PRIVSEP_DIR, { mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-sshd-'));
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  sshKeygen(hostKey, 'host');
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, '', { mode: 0o600 });
  // A given port: the same host and port, restarted with a new host key (a re-keyed or impersonated host).
  const port = options.port ?? (await freePort());
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress 127.0.0.1`,
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      `UsePAM no`,
      `StrictModes no`,
      `PasswordAuthentication no`,
      `KbdInteractiveAuthentication no`,
      `PubkeyAuthentication yes`,
      `PermitRootLogin prohibit-password`,
      `AllowUsers ${userInfo().username}`,
      `Subsystem sftp ${SFTP_SERVER}`,
      // sshd starts the subsystem and exec requests through the user's shell, and bash sources ~/.bashrc when run by
      // sshd at shell level 1; the test user's rc files (slow here: pyenv) are not what these tests are about.
      `SetEnv SHLVL=1`,
      `LogLevel VERBOSE`,
      '',
    ].join('\n'),
  );
  let log = '';
  const argv = [SSHD, '-D', '-e', '-f', config, '-p', String(port)];
  // A file-size limit makes a large write fail part-way (EFBIG) as a full disk would (ENOSPC), without root or a
  // small mount: SIGXFSZ is ignored (inherited through exec) so sftp-server answers with a failure instead of dying.
  const [file, ...args] = options.fileSizeLimit
    ? ['prlimit', `--fsize=${options.fileSizeLimit}`, '--', 'sh', '-c', 'trap "" XFSZ; exec "$@"', 'sshd', ...argv]
    : argv;
  const child: ChildProcess = spawn(file!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.setEncoding('utf8').on('data', (t: string) => (log += t));
  child.stderr?.setEncoding('utf8').on('data', (t: string) => (log += t));
  for (let i = 0; !(await accepts(port)); i++) {
    if (child.exitCode !== null || i > 200) {
      child.kill('SIGKILL');
      throw new Error(`sshd did not start on ${port}: ${log}`);
    }
    await sleep(50);
  }
  return {
    host: '127.0.0.1',
    port,
    user: userInfo().username,
    dir,
    hostKeyFingerprint: sshFingerprint(`${hostKey}.pub`),
    authorize: (lines) => writeFileSync(authorizedKeys, lines.map((l) => `${l}\n`).join(''), { mode: 0o600 }),
    log: () => log,
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
