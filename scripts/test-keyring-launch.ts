/**
 * Started by the test bus's D-Bus activation (see test-keyring.ts), never by hand: runs
 * gnome-keyring-daemon on the test keyring folder given as the only argument, unlocks its login
 * keyring with the throw-away password kept in that folder, and records how the daemon ended so the
 * test run can report it. D-Bus starts this again on the next call for the Secret Service, as
 * activation does on a desktop.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const home = process.argv[2];
if (!home || !existsSync(join(home, 'password'))) {
  console.error('test-keyring-launch: give the test keyring folder (it holds the password file)');
  process.exit(2);
}
// The run has stopped its keyring: a late client call starts nothing that would outlive it.
if (existsSync(join(home, 'stopping'))) process.exit(1);
const daemon = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
  env: {
    ...process.env,
    // Activated services hear of their bus through DBUS_STARTER_ADDRESS; the daemon reads the session one.
    DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? process.env.DBUS_STARTER_ADDRESS,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_RUNTIME_DIR: home,
  },
  stdio: ['pipe', 'ignore', 'inherit'],
});
daemon.stdin!.end(readFileSync(join(home, 'password')));
// Written whole, then renamed: a reader never sees a half-written PID.
writeFileSync(join(home, 'daemon.pid.new'), String(daemon.pid));
renameSync(join(home, 'daemon.pid.new'), join(home, 'daemon.pid'));
// Our own SIGTERM (the test run stopping) goes to the daemon, which then ends this process.
process.on('SIGTERM', () => daemon.kill('SIGTERM'));
daemon.once('exit', (code, signal) => {
  // A PID that is gone is never signalled later (it may belong to another process by then).
  rmSync(join(home, 'daemon.pid'), { force: true });
  // A run that has stopped may have removed the folder already: then there is no one to tell.
  if (!existsSync(join(home, 'stopping'))) {
    try {
      appendFileSync(join(home, 'exits.log'), `${JSON.stringify({ at: new Date().toISOString(), code, signal })}\n`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  process.exit(code ?? 1);
});
