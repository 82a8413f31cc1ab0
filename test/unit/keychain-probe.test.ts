import { afterEach, describe, expect, it } from 'vitest';
import { CertdeskError } from '../../src/main/core/errors.ts';
import { KeychainSecretStore } from '../../src/main/core/secrets/keychain-secret-store.ts';
import { openTestService } from '../support/service.ts';

const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
afterEach(() => {
  if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
});

/** A session bus that is not there: what a machine without a desktop keyring looks like to the Secret Service client. */
const noSecretService = () => (process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/certdesk-no-bus');

const oneSentence = (text: string) => expect(text.split(/[.:!?]\s+[A-Z]/).length).toBe(1);

describe('key protection on a machine without a Secret Service', () => {
  it('the start-up probe reports the keychain unavailable in one plain sentence pointing to Settings; status carries it', async () => {
    noSecretService();
    const t = openTestService({ secretStore: new KeychainSecretStore(5_000) });
    const probe = await t.service.vault.probeKeychain();
    expect(probe.state).toBe('unavailable');
    const status = t.service.info().vault;
    expect(status.state).toBe('uninitialized');
    expect(status.keychain).toEqual(probe);
    expect(status.detail).toContain('choose passphrase protection');
    const problem = probe.problem!;
    expect(problem).toContain('passphrase mode in Settings');
    expect(problem).not.toMatch(/dbus|socket|certdesk vault|nonexistent/i);
    oneSentence(problem);

    // The failure a first CA meets is the same sentence, once, and nothing is set up on the way.
    const error = await t.service.createAuthority({ name: 'No Keychain Root' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertdeskError);
    expect((error as CertdeskError).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect((error as CertdeskError).message).toBe(problem);
    expect(t.service.info().vault.protection).toBeNull();
    expect(t.service.listAuthorities()).toEqual([]);

    // Passphrase mode works without any keychain.
    await t.service.initVault({ protection: 'passphrase', passphrase: 'twelve chars or more' });
    await t.service.createAuthority({ name: 'Passphrase Root' });
    expect(t.service.listAuthorities()).toHaveLength(1);
  });

  it('the command line names its own command instead of Settings', async () => {
    noSecretService();
    const error = await new KeychainSecretStore(5_000, 'cli').get('probe:cli').catch((e: unknown) => e);
    expect((error as CertdeskError).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect((error as CertdeskError).message).toContain('`certdesk vault init --protection passphrase`');
    expect((error as CertdeskError).message).not.toMatch(/dbus|socket/i);
  });
});
