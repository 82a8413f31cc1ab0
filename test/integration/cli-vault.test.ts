/** `certdesk vault lock|auto-lock|change-passphrase` in a real process, on a passphrase store without any keychain. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCertdesk } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

const OLD = 'offline workstation passphrase';
const NEW = 'a brand new workstation passphrase';

function store() {
  const dir = tempDir();
  const noBus = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}` };
  return {
    dir,
    noBus,
    run: (args: string[], env: NodeJS.ProcessEnv = {}) => runCertdesk(['--data-dir', dir, '--json', ...args], { ...noBus, ...env }),
  };
}

describe('certdesk vault controls (CLI)', () => {
  it('change-passphrase reads both passphrases from the named variables; then only the new one unlocks', async () => {
    const { run } = store();
    expect((await run(['vault', 'init', '--protection', 'passphrase'], { CERTDESK_PASSPHRASE: OLD })).code).toBe(0);
    expect((await run(['ca', 'create', '--name', 'Root'], { CERTDESK_PASSPHRASE: OLD })).code).toBe(0);
    const changed = await run(['vault', 'change-passphrase', '--current-env', 'OLD_PASS', '--new-env', 'NEW_PASS'], {
      OLD_PASS: OLD,
      NEW_PASS: NEW,
    });
    expect(changed).toMatchObject({ code: 0, json: { protection: 'passphrase', state: 'ready' } });
    const withOld = await run(['ca', 'create', '--name', 'Issuing', '--parent', 'Root'], { CERTDESK_PASSPHRASE: OLD });
    expect(withOld.json).toMatchObject({ error: { code: 'PASSPHRASE_WRONG', field: 'passphrase' } });
    expect((await run(['ca', 'create', '--name', 'Issuing', '--parent', 'Root'], { CERTDESK_PASSPHRASE: NEW })).code).toBe(0);
  });

  it('refuses a missing or short new passphrase, sets the auto-lock within bounds, and locks', async () => {
    const { run, dir, noBus } = store();
    expect((await run(['vault', 'init', '--protection', 'passphrase'], { CERTDESK_PASSPHRASE: OLD })).code).toBe(0);
    const missing = await run(['vault', 'change-passphrase'], { CERTDESK_PASSPHRASE: OLD });
    expect(missing).toMatchObject({ code: 1, json: { error: { code: 'VALIDATION', field: 'newPassphrase' } } });
    expect((missing.json as { error: { message: string } }).error.message).toContain('CERTDESK_NEW_PASSPHRASE');
    const short = await run(['vault', 'change-passphrase'], { CERTDESK_PASSPHRASE: OLD, CERTDESK_NEW_PASSPHRASE: 'short' });
    expect(short.json).toMatchObject({ error: { code: 'PASSPHRASE_TOO_SHORT', field: 'newPassphrase' } });

    expect((await run(['vault', 'auto-lock', '30'])).json).toMatchObject({ idleLockMinutes: 30 });
    const bad = await run(['vault', 'auto-lock', '1441']);
    expect(bad).toMatchObject({ code: 1, json: { error: { code: 'VALIDATION', field: 'minutes' } } });
    expect((await run(['vault', 'status'])).json).toMatchObject({ idleLockMinutes: 30 });

    expect(await run(['vault', 'lock'])).toMatchObject({ code: 0, json: { state: 'locked' } });
    const human = await runCertdesk(['--data-dir', dir, 'vault', 'lock'], noBus);
    expect(human.stdout).toContain('Settings → Key protection');
  });
});
