import { describe, expect, it } from 'vitest';
import { openTestService } from '../support/service.ts';

describe('key vault', () => {
  it('chooses the keychain on first use, and seals keys that open again after a restart', async () => {
    const t = openTestService();
    expect(t.service.info().vault.state).toBe('uninitialized');
    const sealed = await t.service.vault.sealKey('key_1', new Uint8Array([9, 8, 7]));
    expect(t.service.info().vault).toMatchObject({ protection: 'keychain', state: 'ready' });
    t.service.close();
    const again = t.reopen();
    expect([...(await again.vault.openKey('key_1', sealed))]).toEqual([9, 8, 7]);
  });

  it('passphrase mode: locked after a restart, wrong passphrase refused, right one opens', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'passphrase', passphrase: 'correct horse battery' });
    const sealed = await t.service.vault.sealKey('key_1', new Uint8Array([1, 2, 3]));
    t.service.close();
    const again = t.reopen();
    expect(again.info().vault).toMatchObject({ protection: 'passphrase', state: 'locked' });
    await expect(again.vault.openKey('key_1', sealed)).rejects.toMatchObject({ code: 'VAULT_LOCKED', field: 'passphrase' });
    await expect(again.unlockVault({ passphrase: 'wrong horse battery' })).rejects.toMatchObject({
      code: 'PASSPHRASE_WRONG',
      field: 'passphrase',
    });
    await again.unlockVault({ passphrase: 'correct horse battery' });
    expect([...(await again.vault.openKey('key_1', sealed))]).toEqual([1, 2, 3]);
  });

  it('refuses a short passphrase and a second initialisation', async () => {
    const t = openTestService();
    await expect(t.service.initVault({ protection: 'passphrase', passphrase: 'short' })).rejects.toMatchObject({
      code: 'PASSPHRASE_TOO_SHORT',
      field: 'passphrase',
    });
    expect(t.service.info().vault.state).toBe('uninitialized');
    await t.service.initVault({ protection: 'keychain' });
    await expect(t.service.initVault({ protection: 'passphrase', passphrase: 'long enough passphrase' })).rejects.toMatchObject({
      code: 'VAULT_ALREADY_INITIALIZED',
    });
  });

  it('never replaces a missing keychain key with a new one: sealed keys would be lost', async () => {
    const t = openTestService();
    await t.service.createAuthority({ name: 'Root' });
    // The keychain item vanishes (another user, a wiped keychain): a fresh start would orphan the key.
    await t.secretStore.delete(t.service.vault.keychainAccount());
    t.service.close();
    const again = t.reopen();
    await expect(again.createAuthority({ name: 'Sub', parent: 'Root' })).rejects.toMatchObject({ code: 'KEYCHAIN_KEY_MISSING' });
    expect(await t.secretStore.get(again.vault.keychainAccount())).toBeNull();
    expect(again.listAuthorities().map((a) => a.name)).toEqual(['Root']);
  });

  it('keeps separate data folders apart in the keychain', async () => {
    const a = openTestService();
    const b = openTestService();
    expect(a.service.vault.keychainAccount()).not.toBe(b.service.vault.keychainAccount());
  });
});
