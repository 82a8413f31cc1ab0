import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomBytes, scryptSync, sign, verify } from 'node:crypto';
import { seal } from '../../src/main/core/secrets/sealing.ts';
import { openTestService } from '../support/service.ts';

const WRAP_KEY = 'passphrase_wrap';

function storedWrap(t: ReturnType<typeof openTestService>): { N: number; r: number; p: number; salt: string; wrapped: string } {
  const row = t.service.db.prepare('SELECT value FROM settings WHERE key = ?').get(WRAP_KEY) as { value: string };
  return JSON.parse(row.value) as { N: number; r: number; p: number; salt: string; wrapped: string };
}

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

    // Unlocking again keeps one copy of the data key in memory, the one already there (an operation may hold it).
    const held = (again.vault as unknown as { dek: Uint8Array }).dek;
    await again.unlockVault({ passphrase: 'correct horse battery' });
    expect((again.vault as unknown as { dek: Uint8Array }).dek).toBe(held);
    expect(held.some((byte) => byte !== 0)).toBe(true);
    expect([...(await again.vault.openKey('key_1', sealed))]).toEqual([1, 2, 3]);
  });

  it('opens a CA signing key once while the key stays unlocked, and never past a lock or a new sealed key', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'passphrase', passphrase: 'correct horse battery' });
    const pairs = [generateKeyPairSync('ec', { namedCurve: 'P-256' }), generateKeyPairSync('ec', { namedCurve: 'P-256' })];
    const pkcs8 = (i: number) => new Uint8Array(pairs[i]!.privateKey.export({ type: 'pkcs8', format: 'der' }));
    const signsAs = (key: { keyObject: Parameters<typeof sign>[2] }, i: number) =>
      verify('sha256', Buffer.from('tbs'), pairs[i]!.publicKey, sign('sha256', Buffer.from('tbs'), key.keyObject));
    const sealedA = await t.service.vault.sealKey('key_ca', pkcs8(0));
    const first = await t.service.vault.openSigningKey('key_ca', sealedA, 'ec-p256');
    expect(signsAs(first, 0)).toBe(true);
    // Parsed once: the same key objects come back for the same sealed bytes.
    expect(await t.service.vault.openSigningKey('key_ca', sealedA, 'ec-p256')).toBe(first);
    // The key row written again (a new key under the same id): opened again, never the old one.
    const sealedB = await t.service.vault.sealKey('key_ca', pkcs8(1));
    const second = await t.service.vault.openSigningKey('key_ca', sealedB, 'ec-p256');
    expect(second).not.toBe(first);
    expect(signsAs(second, 1)).toBe(true);
    // A tampered row is refused by its tag, not answered from memory.
    const tampered = Uint8Array.from(sealedB);
    tampered[tampered.length - 1]! ^= 1;
    await expect(t.service.vault.openSigningKey('key_ca', tampered, 'ec-p256')).rejects.toThrow();
    // Locked: refused like any opening, and opened afresh after the next unlock.
    await t.service.lockVault({});
    await expect(t.service.vault.openSigningKey('key_ca', sealedB, 'ec-p256')).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    await t.service.unlockVault({ passphrase: 'correct horse battery' });
    const third = await t.service.vault.openSigningKey('key_ca', sealedB, 'ec-p256');
    expect(third).not.toBe(second);
    expect(signsAs(third, 1)).toBe(true);
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

  it('derives the passphrase key with scrypt N >= 2^17', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'passphrase', passphrase: 'correct horse battery' });
    expect(storedWrap(t)).toMatchObject({ kdf: 'scrypt', r: 8, p: 1 });
    expect(storedWrap(t).N).toBeGreaterThanOrEqual(2 ** 17);
  });

  it('refuses key-derivation parameters from the database outside its bounds, without running them', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'passphrase', passphrase: 'correct horse battery' });
    const sealed = await t.service.vault.sealKey('key_1', new Uint8Array([4, 5, 6]));
    const good = storedWrap(t);
    // N = 2^30 would allocate 128 GiB; r = 1024 and p = 64 likewise; a salt of 1 MB and a non-JSON value.
    for (const evil of [{ N: 2 ** 30 }, { r: 1024 }, { p: 64 }, { N: 3 * 2 ** 16 }, { salt: 'A'.repeat(1 << 20) }, 'not json']) {
      const value = typeof evil === 'string' ? evil : JSON.stringify({ ...good, ...evil });
      t.service.db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(value, WRAP_KEY);
      t.service.close();
      const again = t.reopen();
      await expect(again.unlockVault({ passphrase: 'correct horse battery' })).rejects.toMatchObject({
        code: 'VAULT_PARAMETERS_INVALID',
        field: 'passphrase',
      });
      expect(again.info().vault.state).toBe('locked');
      expect(t.service.db.prepare('SELECT value FROM settings WHERE key = ?').get(WRAP_KEY)).toEqual({ value });
    }
    t.service.db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(JSON.stringify(good), WRAP_KEY);
    await t.service.unlockVault({ passphrase: 'correct horse battery' });
    expect([...(await t.service.vault.openKey('key_1', sealed))]).toEqual([4, 5, 6]);
  });

  it('wraps a store from an older version (scrypt 2^15) again at unlock, keeping its keys', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'passphrase', passphrase: 'correct horse battery' });
    const sealed = await t.service.vault.sealKey('key_1', new Uint8Array([7, 7, 7]));
    const dek = (t.service.vault as unknown as { dek: Uint8Array }).dek;
    // What certdesk 0.1 wrote: the same DEK under scrypt N = 2^15.
    const salt = randomBytes(16);
    const kek = scryptSync('correct horse battery', salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const old = { kdf: 'scrypt', salt: salt.toString('base64'), N: 2 ** 15, r: 8, p: 1 };
    const wrapped = Buffer.from(seal(kek, dek, 'certdesk:data-encryption-key')).toString('base64');
    t.service.db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(JSON.stringify({ ...old, wrapped }), WRAP_KEY);
    t.service.close();
    const again = t.reopen();
    await again.unlockVault({ passphrase: 'correct horse battery' });
    expect(storedWrap(t).N).toBe(2 ** 17);
    expect([...(await again.vault.openKey('key_1', sealed))]).toEqual([7, 7, 7]);
    again.close();
    const third = t.reopen();
    await third.unlockVault({ passphrase: 'correct horse battery' });
    expect([...(await third.vault.openKey('key_1', sealed))]).toEqual([7, 7, 7]);
  });
});
