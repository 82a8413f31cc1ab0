/**
 * The test session's Secret Service: a throw-away gnome-keyring on a private D-Bus bus, kept up the
 * way a desktop session keeps it up, by D-Bus activation.
 *
 * gnome-keyring 42 (Debian 12) aborts when a short-lived client disconnects in the middle of opening
 * a session (`gkd_secret_service_get_pkcs11_session: assertion 'client' failed`), an upstream race
 * that the CLI tests, which start hundreds of short processes, can hit at random. On a desktop the
 * next call for org.freedesktop.secrets starts the daemon again (D-Bus or systemd activation) and
 * the keyring file on disk keeps every item. The test bus does the same, but its only service
 * directory is ours: the one service it can start is our daemon, on the same keyring folder with the
 * same password (test-keyring-launch.ts). Debian's own service file would start a keyring-less
 * daemon that answers "locked" to every later test, which is how one crash once failed 49 tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A session bus like Debian's session.conf, but its service directories are only `serviceDir`
 * (none when not given): nothing but our own keyring daemon can ever be started on it.
 */
export function busConfig(socketDir: string, serviceDir?: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=${socketDir}</listen>
  <auth>EXTERNAL</auth>
${serviceDir ? `  <servicedir>${serviceDir}</servicedir>\n` : ''}  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <limit name="max_incoming_bytes">1000000000</limit>
  <limit name="max_outgoing_bytes">1000000000</limit>
  <limit name="max_message_size">1000000000</limit>
  <limit name="auth_timeout">240000</limit>
  <limit name="max_completed_connections">100000</limit>
  <limit name="max_incomplete_connections">10000</limit>
  <limit name="max_connections_per_user">100000</limit>
  <limit name="max_pending_service_starts">10000</limit>
  <limit name="max_names_per_connection">50000</limit>
  <limit name="max_match_rules_per_connection">50000</limit>
  <limit name="max_replies_per_connection">50000</limit>
</busconfig>
`;
}

/** A D-Bus Exec= argument, quoted for the bus's shell-like parser (which runs no shell). */
function execArg(value: string): string {
  if (/['\n]/.test(value)) throw new Error(`test keyring: cannot quote ${JSON.stringify(value)} for a D-Bus service file`);
  return `'${value}'`;
}

/**
 * Sets up `home` as a test keyring folder and `serviceDir` so that the bus starts our daemon on it
 * whenever org.freedesktop.secrets is called for and nobody owns that name. Returns the keyring.
 */
export function testKeyring(home: string, serviceDir: string, password: string): TestKeyring {
  mkdirSync(serviceDir, { recursive: true });
  writeFileSync(join(home, 'password'), password, { mode: 0o600 });
  const launcher = fileURLToPath(new URL('./test-keyring-launch.ts', import.meta.url));
  writeFileSync(
    join(serviceDir, 'org.freedesktop.secrets.service'),
    `[D-BUS Service]\nName=org.freedesktop.secrets\nExec=${[process.execPath, launcher, home].map(execArg).join(' ')}\n`,
  );
  return keyringAt(home);
}

/** The test keyring set up in `home` by testKeyring (in this process or another). */
export function keyringAt(home: string): TestKeyring {
  const readPid = () => {
    if (!existsSync(join(home, 'daemon.pid'))) return undefined;
    const pid = Number(readFileSync(join(home, 'daemon.pid'), 'utf8'));
    // Never 0 or negative: process.kill would signal a whole process group.
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  };
  return {
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        // StartServiceByName is what any client call does implicitly; asking first starts it eagerly.
        const left = Math.max(100, deadline - Date.now());
        dbus(left, 'StartServiceByName', 'string:org.freedesktop.secrets', 'uint32:0');
        if (/boolean true/.test(dbus(left, 'NameHasOwner', 'string:org.freedesktop.secrets'))) return;
        await sleep(100);
      }
      throw new Error('gnome-keyring-daemon did not register org.freedesktop.secrets on the test bus');
    },
    exits: () =>
      existsSync(join(home, 'exits.log'))
        ? readFileSync(join(home, 'exits.log'), 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as KeyringExit)
        : [],
    pid: readPid,
    stop() {
      writeFileSync(join(home, 'stopping'), '');
      const pid = readPid();
      if (pid === undefined) return;
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

export interface KeyringExit {
  at: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TestKeyring {
  /** Starts the daemon (if it is not running) and resolves once it owns org.freedesktop.secrets. */
  ready(timeoutMs: number): Promise<void>;
  /** Every unexpected exit of the daemon so far; the bus starts it again on the next call. */
  exits(): KeyringExit[];
  /** The PID of the daemon started last. */
  pid(): number | undefined;
  /** Stops the daemon; an exit after this is not reported. */
  stop(): void;
}

function dbus(timeoutMs: number, method: string, ...args: string[]): string {
  const r = spawnSync(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      `--reply-timeout=${Math.round(timeoutMs)}`,
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      `org.freedesktop.DBus.${method}`,
      ...args,
    ],
    { encoding: 'utf8' },
  );
  return r.stdout ?? '';
}
