import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuthorityView } from '../../src/shared/contract/index.ts';
import { runCertdesk } from '../support/cli.ts';
import { openssl } from '../support/openssl.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';
import { KeychainSecretStore } from '../../src/main/core/secrets/keychain-secret-store.ts';
import { onTestFinished } from 'vitest';

function cleanupKeychain(dataDir: string) {
  onTestFinished(async () => {
    const t = openTestService({ keychain: true, dataDir });
    await new KeychainSecretStore().delete(t.service.vault.keychainAccount()).catch(() => false);
  });
}

describe('certdesk CLI (real process, real keyring)', () => {
  it('ca create then ca list --json lists both CAs; openssl accepts the chain', async () => {
    const dir = tempDir();
    cleanupKeychain(dir);
    const root = await runCertdesk([
      '--data-dir',
      dir,
      '--json',
      'ca',
      'create',
      '--name',
      'CLI Root',
      '--key',
      'ec-p384',
      '--years',
      '12',
      '--org',
      'Acme',
    ]);
    expect(root.code).toBe(0);
    expect(root.json).toMatchObject({ name: 'CLI Root', kind: 'root', keyType: 'ec-p384', subject: 'CN=CLI Root,O=Acme' });
    const issuing = await runCertdesk(['--data-dir', dir, '--json', 'ca', 'create', '--name', 'CLI Issuing', '--parent', 'CLI Root']);
    expect(issuing.code).toBe(0);
    const list = await runCertdesk(['ca', 'list', '--json'], { CERTDESK_DATA_DIR: dir });
    expect(list.code).toBe(0);
    const cas = list.json as AuthorityView[];
    expect(cas.map((c) => [c.name, c.kind])).toEqual([
      ['CLI Root', 'root'],
      ['CLI Issuing', 'issuing'],
    ]);
    expect(cas[1]?.parentId).toBe(cas[0]?.id);
    const files = tempDir();
    writeFileSync(join(files, 'root.pem'), cas[0]!.pem);
    writeFileSync(join(files, 'issuing.pem'), cas[1]!.pem);
    expect(openssl(['verify', '-x509_strict', '-CAfile', join(files, 'root.pem'), join(files, 'issuing.pem')]).output).toContain(
      'issuing.pem: OK',
    );
    const human = await runCertdesk(['--data-dir', dir, 'ca', 'list']);
    expect(human.stdout).toContain('CLI Issuing');
    expect(human.stdout).toMatch(/sha256 +([0-9A-F]{2}:){31}[0-9A-F]{2}/);
  });

  it('answers bad input with one JSON error naming the field, exit 1, and writes nothing', async () => {
    const dir = tempDir();
    const cases: Array<[string[], string, string | undefined]> = [
      [['ca', 'create', '--name', 'x', '--key', 'rsa-1024'], 'VALIDATION', 'key'],
      [['ca', 'create', '--name', 'x', '--years', '0'], 'VALIDATION', 'years'],
      [['ca', 'create', '--name', 'x', '--years', 'ten'], 'VALIDATION', 'years'],
      [['ca', 'create', '--name', 'x'.repeat(65)], 'VALIDATION', 'name'],
      [['ca', 'create', '--name', 'x', '--parent', 'nope'], 'NOT_FOUND', 'parent'],
      [['ca', 'create'], 'VALIDATION', 'name'],
      [['ca', 'frobnicate'], 'VALIDATION', undefined],
    ];
    for (const [args, code, field] of cases) {
      const r = await runCertdesk(['--data-dir', dir, '--json', ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.json, args.join(' ')).toMatchObject({ error: { code } });
      if (field) expect((r.json as { error: { field?: string } }).error.field, args.join(' ')).toBe(field);
    }
    const list = await runCertdesk(['--data-dir', dir, '--json', 'ca', 'list']);
    expect(list.json).toEqual([]);
  });

  it('has --help for every command', async () => {
    for (const args of [[], ['ca'], ['ca', 'create'], ['ca', 'list'], ['vault'], ['vault', 'init'], ['vault', 'status']]) {
      const r = await runCertdesk([...args, '--help']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/Usage: certdesk/);
    }
  });

  it('shares the data folder with a running app: both open it at once', async () => {
    const t = openTestService({ keychain: true });
    await t.service.createAuthority({ name: 'App Root' });
    // The app keeps its connection open while the CLI writes and reads the same file.
    const created = await runCertdesk(['--data-dir', t.dataDir, '--json', 'ca', 'create', '--name', 'CLI Issuing', '--parent', 'App Root']);
    expect(created.code).toBe(0);
    expect(t.service.listAuthorities().map((a) => a.name)).toEqual(['App Root', 'CLI Issuing']);
  });

  it('names a missing Secret Service as KEYCHAIN_UNAVAILABLE with the fix', async () => {
    const dir = tempDir();
    const r = await runCertdesk(['--data-dir', dir, '--json', 'ca', 'create', '--name', 'Root'], {
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}`,
    });
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ error: { code: 'KEYCHAIN_UNAVAILABLE' } });
    expect((r.json as { error: { message: string } }).error.message).toMatch(/passphrase mode/);
    const list = await runCertdesk(['--data-dir', dir, '--json', 'ca', 'list'], {
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}`,
    });
    expect(list.json).toEqual([]);
  });

  it('works without any keychain in explicit passphrase mode', async () => {
    const dir = tempDir();
    const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}`, CERTDESK_PASSPHRASE: 'offline workstation passphrase' };
    expect((await runCertdesk(['--data-dir', dir, '--json', 'vault', 'init', '--protection', 'passphrase'], env)).json).toMatchObject({
      protection: 'passphrase',
      state: 'ready',
    });
    expect((await runCertdesk(['--data-dir', dir, '--json', 'ca', 'create', '--name', 'Offline Root'], env)).code).toBe(0);
    const sub = await runCertdesk(
      ['--data-dir', dir, '--json', 'ca', 'create', '--name', 'Offline Issuing', '--parent', 'Offline Root'],
      env,
    );
    expect(sub.code).toBe(0);
    const wrong = await runCertdesk(['--data-dir', dir, '--json', 'ca', 'create', '--name', 'X', '--parent', 'Offline Root'], {
      ...env,
      CERTDESK_PASSPHRASE: 'not the passphrase at all',
    });
    expect(wrong.json).toMatchObject({ error: { code: 'PASSPHRASE_WRONG', field: 'passphrase' } });
    const locked = await runCertdesk(['--data-dir', dir, '--json', 'ca', 'create', '--name', 'Y', '--parent', 'Offline Root'], {
      DBUS_SESSION_BUS_ADDRESS: env.DBUS_SESSION_BUS_ADDRESS,
    });
    expect(locked.json).toMatchObject({ error: { code: 'VAULT_LOCKED' } });
  });
});
