/**
 * The test session's Secret Service: a throw-away gnome-keyring on a private D-Bus bus, kept up the
 * way a desktop session keeps it up.
 *
 * gnome-keyring 42 (Debian 12) aborts when a short-lived client disconnects in the middle of opening
 * a session (`gkd_secret_service_get_pkcs11_session: assertion 'client' failed`), an upstream race
 * that the CLI tests, which start hundreds of short processes, can hit at random. On a desktop,
 * systemd or D-Bus activation restarts the daemon and the keyring file on disk keeps every item.
 * Here the bus has no service directories (busConfig), so a crash can never auto-start a second,
 * keyring-less daemon that answers "locked" to every later test; instead this restarts our own
 * daemon on the same keyring folder with the same password, and reports each exit so the run says
 * what happened.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A session bus like Debian's session.conf, without `<standard_session_servicedirs/>`: nothing is auto-started. */
export function busConfig(socketDir: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=${socketDir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
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

export interface KeyringExit {
  at: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TestKeyring {
  /** Resolves once the daemon owns org.freedesktop.secrets on this bus. */
  ready(timeoutMs: number): Promise<void>;
  /** Every unexpected exit of the daemon so far (each was followed by a restart). */
  readonly exits: readonly KeyringExit[];
  /** The daemon's PID now (for the supervisor's own test). */
  pid(): number | undefined;
  stop(): void;
}

function ownsSecretsName(): boolean {
  const r = spawnSync(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      'string:org.freedesktop.secrets',
    ],
    { encoding: 'utf8' },
  );
  return /boolean true/.test(r.stdout);
}

/**
 * Starts gnome-keyring on `home` (its login keyring unlocked with `password`) and restarts it, on the
 * same folder and password, whenever it exits before `stop()`. `onExit` hears of each exit.
 */
export function startTestKeyring(home: string, password: string, onExit: (exit: KeyringExit) => void = () => {}): TestKeyring {
  const exits: KeyringExit[] = [];
  let daemon: ChildProcess;
  let stopping = false;
  const launch = () => {
    daemon = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env: { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: home },
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    daemon.stdin!.end(password);
    daemon.once('exit', (code, signal) => {
      if (stopping) return;
      const exit = { at: new Date().toISOString(), code, signal };
      exits.push(exit);
      onExit(exit);
      launch();
    });
  };
  launch();
  return {
    exits,
    pid: () => daemon.pid,
    // Probing before the daemon owns the name is safe only because the bus auto-starts nothing.
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (ownsSecretsName()) return;
        await sleep(100);
      }
      throw new Error('gnome-keyring-daemon did not register org.freedesktop.secrets on the test bus');
    },
    stop() {
      stopping = true;
      if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGTERM');
    },
  };
}
