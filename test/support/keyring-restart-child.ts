/**
 * Run under `dbus-run-session --config-file=<busConfig>` by test-keyring.test.ts: the test session's
 * keyring supervisor on a bus of its own, crashed on purpose, and what a client sees each time.
 * Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestKeyring } from '../../scripts/test-keyring.ts';
import { KeychainSecretStore } from '../../src/main/core/secrets/keychain-secret-store.ts';

const home = mkdtempSync(join(tmpdir(), 'certdesk-keyring-restart-'));
const keyring = startTestKeyring(home, 'restart-test-password');
const store = new KeychainSecretStore(5_000);
const codeOf = (error: unknown) => (error as { code?: string }).code ?? String(error);
try {
  await keyring.ready(20_000);
  await store.set('restart:item', new Uint8Array([7, 7, 7]));
  const firstPid = keyring.pid()!;
  // What gnome-keyring does in the race: it aborts.
  process.kill(firstPid, 'SIGABRT');
  while (keyring.exits.length === 0) await sleep(50);
  await keyring.ready(20_000);
  const afterRestart = await store.get('restart:item');
  const secondPid = keyring.pid()!;
  keyring.stop();
  while (
    keyring.pid() !== undefined &&
    (() => {
      try {
        process.kill(secondPid, 0);
        return true;
      } catch {
        return false;
      }
    })()
  )
    await sleep(50);
  // With the daemon gone for good, nothing on this bus may start another one in its place.
  const withoutDaemon = await store.get('restart:item').then(
    () => 'answered',
    (error: unknown) => codeOf(error),
  );
  console.log(
    JSON.stringify({
      exits: keyring.exits,
      restartedWithNewPid: secondPid !== firstPid,
      afterRestart: afterRestart ? [...afterRestart] : null,
      withoutDaemon,
    }),
  );
} finally {
  keyring.stop();
  rmSync(home, { recursive: true, force: true });
}
