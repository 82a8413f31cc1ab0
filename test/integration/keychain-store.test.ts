import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeychainSecretStore } from '../../src/main/core/secrets/keychain-secret-store.ts';
import { KeyRepository } from '../../src/main/core/store/key-repository.ts';
import { openssl } from '../support/openssl.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

// These run against the real Secret Service of the test session (gnome-keyring under dbus-run-session).
describe('CAs with keys sealed under a data-encryption key in the real Secret Service', () => {
  it('survive a restart with usable keys, and openssl accepts the chain', async () => {
    const t = openTestService({ keychain: true });
    const root = await t.service.createAuthority({ name: 'Keyring Root', keyType: 'ec-p384' });
    expect(t.service.info().vault).toMatchObject({ protection: 'keychain', state: 'ready' });
    // The DEK really is in the Secret Service, under this store's account.
    const dek = await new KeychainSecretStore().get(t.service.vault.keychainAccount());
    expect(dek?.length).toBe(32);

    t.service.close();
    const reopened = t.reopen();
    expect(reopened.listAuthorities().map((a) => a.name)).toEqual(['Keyring Root']);
    // Usable: the root's sealed key, opened with the DEK from the keychain, signs an issuing CA.
    const issuing = await reopened.createAuthority({ name: 'Keyring Issuing', parent: 'Keyring Root', keyType: 'rsa-3072' });
    const dir = tempDir();
    writeFileSync(join(dir, 'root.pem'), root.pem);
    writeFileSync(join(dir, 'issuing.pem'), issuing.pem);
    const verify = openssl(['verify', '-x509_strict', '-CAfile', join(dir, 'root.pem'), join(dir, 'issuing.pem')]);
    expect(verify.output).toContain('issuing.pem: OK');
  });

  it('writes no private key in plaintext: the database files do not contain the PKCS#8', async () => {
    const t = openTestService({ keychain: true });
    const root = await t.service.createAuthority({ name: 'Root', keyType: 'rsa-3072' });
    await t.service.createAuthority({ name: 'Issuing', parent: root.id, keyType: 'ec-p256' });
    const keys = new KeyRepository(t.service.db);
    // Needles: the whole PKCS#8 (DER, base64, hex) and every 24-byte window of it that is secret,
    // i.e. not also in the certificate (a PKCS#8 repeats the public modulus or point).
    const needles: Buffer[] = [];
    for (const a of t.service.authorities.list()) {
      const record = t.service.authorities.get(a.id);
      // A CA made here holds its key (only a publisher's CA certificates have none).
      const keyId = record.keyId ?? '';
      expect(keyId).not.toBe('');
      const sealed = keys.get(keyId);
      expect(sealed).toBeDefined();
      const pkcs8 = Buffer.from(await t.service.vault.openKey(keyId, sealed!.sealed));
      const certDer = Buffer.from(record.certDer);
      needles.push(pkcs8, Buffer.from(pkcs8.toString('base64')), Buffer.from(pkcs8.toString('hex')));
      let secretWindows = 0;
      for (let i = 0; i + 24 <= pkcs8.length; i += 8) {
        const window = pkcs8.subarray(i, i + 24);
        if (certDer.includes(window)) continue;
        needles.push(window);
        secretWindows++;
      }
      expect(secretWindows).toBeGreaterThan(3);
    }
    const file = t.service.info().databaseFile;
    // Search the main file and the WAL, before and after a checkpoint.
    const haystacks = () => [
      readFileSync(file),
      ...(() => {
        try {
          return [readFileSync(`${file}-wal`)];
        } catch {
          return [];
        }
      })(),
    ];
    for (const round of [0, 1]) {
      if (round === 1) t.service.db.pragma('wal_checkpoint(TRUNCATE)');
      for (const hay of haystacks()) for (const needle of needles) expect(hay.includes(needle)).toBe(false);
    }
    // Positive control: the same search does find the (public) certificate bytes.
    const der = Buffer.from(root.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(haystacks().some((hay) => hay.includes(der))).toBe(true);
  });
});
