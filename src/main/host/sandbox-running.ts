/**
 * `<dir>/running.json`: how a sandbox started in one process (`certdesk sandbox start`, the app) is
 * found by another. Anyone who can write into the folder can write that file, so it is believed
 * only when everything it claims checks out on this machine: its per-start secret sits beside it in
 * a 0600 file of this user, its pid is a live process of this user running the executable the file
 * names, that process listens on the recorded port, and the port is on the loopback. The secret
 * itself is proved later, by a handshake (see SandboxHost), before any credential is sent.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isLoopbackOrigin, type Sandbox } from '../../sandbox/index.ts';
import { writePrivateFile } from '../core/files/private-file.ts';

export interface RunningSandbox {
  pid: number;
  url: string;
  domain: string;
  edgeUrl?: string;
  edgeCaPem?: string;
  startedAt: string;
  /** The executable of the process that runs the sandbox (resolved), as /proc shows it. */
  exe: string;
}

export type RunningCheck = { running: RunningSandbox; secret: string } | { refused: string } | null;

const RECORD = 'running.json';
const SECRET = 'running.key';

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Records the sandbox running in this process; its secret goes to a 0600 file, never through a planted link. */
export function writeRunning(dir: string, sandbox: Sandbox): RunningSandbox {
  const running: RunningSandbox = {
    pid: process.pid,
    url: sandbox.url,
    domain: sandbox.domain,
    ...(sandbox.edgeUrl ? { edgeUrl: sandbox.edgeUrl, edgeCaPem: sandbox.edgeServerCaPem } : {}),
    startedAt: new Date().toISOString(),
    exe: ownExecutable(),
  };
  // The secret first: a reader that sees the new record finds the secret that goes with it.
  writePrivateFile(join(dir, SECRET), sandbox.handshakeSecret, { replace: true });
  writePrivateFile(join(dir, RECORD), JSON.stringify(running), { replace: true });
  return running;
}

export function clearRunning(dir: string): void {
  rmSync(join(dir, RECORD), { force: true });
  rmSync(join(dir, SECRET), { force: true });
}

/** The sandbox recorded in `dir`, if its process is alive and the record checks out (see the file's comment). */
export function readRunning(dir: string): RunningSandbox | null {
  const check = checkRunning(dir);
  return check && 'running' in check ? check.running : null;
}

/**
 * What `dir`'s record is worth: null when there is none or its process has ended (a stale record,
 * nothing to refuse), `refused` with the reason when it names a live process but does not check out.
 */
export function checkRunning(dir: string): RunningCheck {
  const file = join(dir, RECORD);
  if (!existsSync(file)) return null;
  let running: RunningSandbox;
  try {
    running = JSON.parse(readFileSync(file, 'utf8')) as RunningSandbox;
  } catch {
    return { refused: `${file} is not a sandbox record` };
  }
  if (!isRecord(running)) return { refused: `${file} is not a sandbox record (pid, url, domain and exe are required)` };
  if (!processAlive(running.pid)) return null;
  if (!existsSync('/proc/self/exe'))
    return { refused: 'this system has no /proc, so the process that claims to run the sandbox cannot be checked' };
  const secret = readSecret(join(dir, SECRET));
  if ('refused' in secret) return secret;
  const uid = process.getuid?.();
  if (statSync(`/proc/${running.pid}`, { throwIfNoEntry: false })?.uid !== uid)
    return { refused: `process ${running.pid} belongs to another user` };
  if (executableOf(running.pid) !== running.exe) return { refused: `process ${running.pid} does not run ${running.exe}` };
  if (!isLoopbackOrigin(running.url)) return { refused: `${running.url} is not on this machine's loopback (127.0.0.0/8, ::1)` };
  if (!listensOn(running.pid, Number(new URL(running.url).port)))
    return { refused: `process ${running.pid} does not listen on ${running.url}` };
  return { running, secret: secret.value };
}

function isRecord(value: RunningSandbox): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Number.isSafeInteger(value.pid) &&
    value.pid > 0 &&
    typeof value.url === 'string' &&
    typeof value.domain === 'string' &&
    typeof value.exe === 'string'
  );
}

/** The secret only from a plain file of this user that no one else may read or write. */
function readSecret(file: string): { value: string } | { refused: string } {
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (!stat) return { refused: `${file} is missing` };
  if (!stat.isFile()) return { refused: `${file} is not a plain file` };
  if (stat.uid !== process.getuid?.()) return { refused: `${file} belongs to another user` };
  if ((stat.mode & 0o077) !== 0) return { refused: `${file} has mode ${(stat.mode & 0o777).toString(8)}; it must be 600` };
  const value = readFileSync(file, 'utf8');
  return /^[0-9a-f]{64}$/.test(value) ? { value } : { refused: `${file} holds no sandbox secret` };
}

function ownExecutable(): string {
  return existsSync('/proc/self/exe') ? readlinkSync('/proc/self/exe') : realpathSync(process.execPath);
}

function executableOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

/** Whether `pid` holds a socket listening on `port` (Linux: /proc/net/tcp{,6} inodes against /proc/PID/fd). */
function listensOn(pid: number, port: number): boolean {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // local_address is ADDRESS:PORT in hex; state 0A is LISTEN; column 9 is the inode.
      const [, local = '', , state, , , , , , inode] = line.trim().split(/\s+/);
      if (state === '0A' && inode !== undefined && parseInt(local.split(':')[1] ?? '', 16) === port) inodes.add(inode);
    }
  }
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some((fd) => {
    try {
      return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
    } catch {
      return false;
    }
  });
}
