/**
 * Run under `dbus-run-session --config-file=<busConfig>` by test-keyring.test.ts: the test session's
 * keyring on a bus of its own, crashed on purpose, and what a client sees each time. Prints one JSON
 * line. With `bare`, the bus has no service directory and only a client's answer is printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { testKeyring } from '../../scripts/test-keyring.ts';
import { KeychainSecretStore } from '../../src/main/core/secrets/keychain-secret-store.ts';

// The store's own deadline (30 s), as the app uses it: a restart under load can take seconds.
const store = new KeychainSecretStore();
const codeOf = (error: unknown) => (error as { code?: string }).code ?? String(error);
const [mode, serviceDir] = process.argv.slice(2);

if (mode === 'bare') {
  // Nothing may be started in place of a missing daemon: the client hears that none is running.
  const answer = await store.get('restart:item').then(
    () => 'answered',
    (error: unknown) => codeOf(error),
  );
  console.log(JSON.stringify({ withoutDaemon: answer }));
  process.exit(0);
}

const home = mkdtempSync(join(tmpdir(), 'certdesk-keyring-restart-'));
const keyring = testKeyring(home, serviceDir!, 'restart-test-password');
const waitForExits = async (n: number) => {
  while (keyring.exits().length < n) await sleep(50);
};
try {
  await keyring.ready(20_000);
  await store.set('restart:item', new Uint8Array([7, 7, 7]));
  const firstPid = keyring.pid()!;
  // What gnome-keyring does in the race: it aborts. The next call starts it again.
  process.kill(firstPid, 'SIGABRT');
  await waitForExits(1);
  const afterRestart = await store.get('restart:item');
  const secondPid = keyring.pid()!;
  // A call the daemon had received but not answered when it died: held, then the daemon dies.
  process.kill(secondPid, 'SIGSTOP');
  const pending = store.get('restart:item').then(
    (secret) => (secret ? [...secret] : null),
    (error: unknown) => codeOf(error),
  );
  await sleep(300);
  process.kill(secondPid, 'SIGKILL');
  const diedMidCall = await pending;
  await waitForExits(2);
  console.log(
    JSON.stringify({
      exits: keyring.exits().map((e) => e.signal),
      restartedWithNewPid: secondPid !== firstPid && keyring.pid() !== secondPid,
      afterRestart: afterRestart ? [...afterRestart] : null,
      diedMidCall,
    }),
  );
} finally {
  keyring.stop();
  await sleep(200);
  rmSync(home, { recursive: true, force: true });
}
