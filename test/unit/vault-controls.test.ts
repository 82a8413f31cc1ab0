/**
 * Lock now, the idle auto-lock and the change of passphrase, on a real SQLite store. Time is an
 * injected clock moved by hand: nothing here sleeps or measures time.
 */
import { hostname, userInfo } from 'node:os';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/api/index.ts';
import type { Clock } from '../../src/main/core/clock.ts';
import { dispatch } from '../../src/main/host/dispatch.ts';
import { CertdeskService, type ServiceOptions } from '../../src/main/core/service.ts';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store.ts';
import { openTestService, type TestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

const OLD = 'correct horse battery';
const NEW = 'a different staple passphrase';
const MINUTE = 60_000;

function manualClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(minutes: number): void } {
  let now = start;
  return { now: () => new Date(now), advance: (minutes) => (now += minutes * MINUTE) };
}

/** The entries after the store's own set-up entry (which audit-tamper.test.ts checks). */
function auditActions(t: TestService): string[] {
  return (
    t.service.db.prepare("SELECT action FROM audit_log WHERE action != 'vault.setup' ORDER BY seq").all() as { action: string }[]
  ).map((r) => r.action);
}

function settingRow(t: TestService, key: string): string | undefined {
  return (t.service.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

function sealedKeys(t: TestService): { id: string; sealed: Buffer }[] {
  return t.service.db.prepare('SELECT id, sealed FROM keys ORDER BY id').all() as { id: string; sealed: Buffer }[];
}

describe('lock now', () => {
  it('drops the key: key use fails with VAULT_LOCKED until unlocked, and the lock is audited', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    const sealed = await t.service.vault.sealKey('key_1', new Uint8Array([1, 2, 3]));
    const result = await dispatch(createHandlers(t.service), 'vault:lock', {});
    expect(result).toMatchObject({ ok: true, value: { protection: 'passphrase', state: 'locked' } });
    await expect(t.service.vault.openKey('key_1', sealed)).rejects.toMatchObject({ code: 'VAULT_LOCKED', field: 'passphrase' });
    await expect(t.service.vault.sealKey('key_2', new Uint8Array([4]))).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    expect(auditActions(t)).toEqual(['vault.lock']);
    // Locking a locked store records nothing more.
    await t.service.lockVault({});
    expect(auditActions(t)).toEqual(['vault.lock']);
    await t.service.unlockVault({ passphrase: OLD });
    expect([...(await t.service.vault.openKey('key_1', sealed))]).toEqual([1, 2, 3]);
  });

  it('is refused for a keychain store, with nothing changed', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'keychain' });
    const sealed = await t.service.vault.sealKey('key_1', new Uint8Array([5]));
    const result = await dispatch(createHandlers(t.service), 'vault:lock', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'protection' } });
    expect(auditActions(t)).toEqual([]);
    expect([...(await t.service.vault.openKey('key_1', sealed))]).toEqual([5]);
  });
});

describe('idle auto-lock', () => {
  it('locks after the default 15 minutes without a key use; each use restarts the wait', async () => {
    const clock = manualClock();
    const t = openTestService({ clock });
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    expect(t.service.info().vault.idleLockMinutes).toBe(15);
    const sealed = await t.service.vault.sealKey('key_1', new Uint8Array([7]));
    clock.advance(14);
    await t.service.vault.openKey('key_1', sealed);
    clock.advance(14);
    await t.service.vault.openKey('key_1', sealed);
    expect(t.service.info().vault.state).toBe('ready');
    clock.advance(15);
    await expect(t.service.vault.openKey('key_1', sealed)).rejects.toMatchObject({ code: 'VAULT_LOCKED', field: 'passphrase' });
    expect(t.service.info().vault.state).toBe('locked');
    const entries = t.service.audit.list().items.filter((e) => e.action === 'vault.idle-lock');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: `${userInfo().username}@${hostname()}`,
      details: { idleMinutes: 15, lastKeyUse: '2026-01-01T00:28:00.000Z' },
    });
    await t.service.unlockVault({ passphrase: OLD });
    expect([...(await t.service.vault.openKey('key_1', sealed))]).toEqual([7]);
  });

  it('the hosts timer check locks an unused key without any key use; status does not count as use', async () => {
    const clock = manualClock();
    const t = openTestService({ clock });
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    await t.service.vault.sealKey('key_1', new Uint8Array([7]));
    t.service.vault.lock();
    await t.service.unlockVault({ passphrase: OLD });
    clock.advance(10);
    t.service.vault.lockIfIdle();
    expect(t.service.info().vault.state).toBe('ready');
    clock.advance(5);
    t.service.vault.lockIfIdle();
    expect((t.service.vault as unknown as { dek: Uint8Array | null }).dek).toBeNull();
    expect(t.service.info().vault.state).toBe('locked');
  });

  it('0 turns it off; a changed setting applies at once and is audited', async () => {
    const clock = manualClock();
    const t = openTestService({ clock });
    const handlers = createHandlers(t.service);
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    const sealed = await t.service.vault.sealKey('key_1', new Uint8Array([8]));
    expect(await dispatch(handlers, 'vault:auto-lock', { idleLockMinutes: 0 })).toMatchObject({
      ok: true,
      value: { state: 'ready', idleLockMinutes: 0 },
    });
    clock.advance(7 * 24 * 60);
    expect([...(await t.service.vault.openKey('key_1', sealed))]).toEqual([8]);
    await dispatch(handlers, 'vault:auto-lock', { idleLockMinutes: 2 });
    clock.advance(2);
    expect(t.service.info().vault.state).toBe('locked');
    expect(auditActions(t)).toEqual(['vault.idle-lock-setting', 'vault.idle-lock-setting', 'vault.idle-lock']);
    const settings = t.service.audit.list().items.filter((e) => e.action === 'vault.idle-lock-setting');
    expect(settings.at(-1)).toMatchObject({ details: { from: 15, to: 0 } });
  });

  it('refuses a setting outside 0..1440 whole minutes, naming the field, with nothing written', async () => {
    const t = openTestService();
    const handlers = createHandlers(t.service);
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    for (const idleLockMinutes of [-1, 1.5, 1441, Number.NaN, '15', null]) {
      const result = await dispatch(handlers, 'vault:auto-lock', { idleLockMinutes });
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'idleLockMinutes' } });
    }
    expect(() => t.service.vaultControls.setIdleLock(1441)).toThrow(expect.objectContaining({ field: 'idleLockMinutes' }));
    expect(settingRow(t, 'vault_idle_lock_minutes')).toBeUndefined();
    expect(auditActions(t)).toEqual([]);
  });

  it('an edited setting that certdesk never writes falls back to the default, not to "never"', async () => {
    const clock = manualClock();
    const t = openTestService({ clock });
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    t.service.db.prepare("INSERT INTO settings (key, value) VALUES ('vault_idle_lock_minutes', '-5')").run();
    expect(t.service.info().vault.idleLockMinutes).toBe(15);
    clock.advance(15);
    expect(t.service.info().vault.state).toBe('locked');
  });

  it('leaves a keychain store alone', async () => {
    const clock = manualClock();
    const t = openTestService({ clock });
    const sealed = await t.service.vault.sealKey('key_1', new Uint8Array([9]));
    clock.advance(24 * 60);
    expect([...(await t.service.vault.openKey('key_1', sealed))]).toEqual([9]);
    expect(t.service.info().vault).toEqual(expect.objectContaining({ protection: 'keychain', state: 'ready' }));
    expect(t.service.info().vault.idleLockMinutes).toBeUndefined();
    expect(await dispatch(createHandlers(t.service), 'vault:auto-lock', { idleLockMinutes: 5 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'idleLockMinutes' },
    });
  });
});

describe('vault events', () => {
  const vaultEvents = (t: TestService) =>
    t.events.flatMap((e) => (e.type === 'vault' ? [{ change: e.change, state: e.vault.state, idle: e.vault.idleLockMinutes }] : []));

  it('tell every window of a set-up, unlock, lock and idle lock, with the state after it; nothing for a failed unlock', async () => {
    const clock = manualClock();
    const t = openTestService({ clock });
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    await t.service.lockVault({});
    await expect(t.service.unlockVault({ passphrase: 'not the passphrase' })).rejects.toMatchObject({ code: 'PASSPHRASE_WRONG' });
    await t.service.unlockVault({ passphrase: OLD });
    // Nothing asks for the key: the host's round finds it idle, and every window hears the store is locked.
    clock.advance(15);
    t.service.vault.lockIfIdle();
    // A change of passphrase made while locked leaves the store unlocked; a new idle setting shows in Settings.
    await t.service.changeVaultPassphrase({ currentPassphrase: OLD, newPassphrase: NEW });
    await t.service.setVaultAutoLock({ idleLockMinutes: 5 });
    expect(vaultEvents(t)).toEqual([
      { change: 'setup', state: 'ready', idle: 15 },
      { change: 'lock', state: 'locked', idle: 15 },
      { change: 'unlock', state: 'ready', idle: 15 },
      { change: 'idle-lock', state: 'locked', idle: 15 },
      { change: 'passphrase-change', state: 'ready', idle: 15 },
      { change: 'idle-lock-setting', state: 'ready', idle: 5 },
    ]);
    // Each is an audit entry as before.
    expect(auditActions(t)).toEqual([
      'vault.lock',
      'vault.unlock-failed',
      'vault.unlock',
      'vault.idle-lock',
      'vault.passphrase-change',
      'vault.idle-lock-setting',
    ]);
  });

  it('a window that cannot take the event (gone at quit) fails neither the lock nor the close', async () => {
    const dataDir = tempDir();
    const secretStore = new MemorySecretStore();
    const open = (emit: ServiceOptions['emit']) => CertdeskService.open({ dataDir, secretStore, mode: 'cli', ...(emit ? { emit } : {}) });
    const service = open(() => {
      throw new Error('Object has been destroyed');
    });
    await service.initVault({ protection: 'passphrase', passphrase: OLD });
    await expect(service.lockVault({})).resolves.toMatchObject({ state: 'locked' });
    await service.unlockVault({ passphrase: OLD });
    // Closing locks the unlocked store, which sends its event to the gone window: the close still runs to the end.
    expect(() => service.close()).not.toThrow();
    expect(service.db.open).toBe(false);
    const again = open(undefined);
    expect(again.audit.list().items.map((e) => e.action)).toEqual(['vault.lock', 'vault.unlock', 'vault.lock', 'vault.setup']);
    await expect(again.audit.verify()).resolves.toMatchObject({ ok: true });
    again.close();
  });

  it('a keychain store tells its set-up, and nothing when a lock only drops its cache', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'keychain' });
    t.service.vault.lock();
    expect(vaultEvents(t)).toEqual([{ change: 'setup', state: 'ready', idle: undefined }]);
  });
});

describe('change passphrase', () => {
  it('wraps the same key under the new passphrase: sealed keys byte-identical, old refused, new unlocks, the CA still signs', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    const root = await t.service.createAuthority({ name: 'Root' });
    const keysBefore = sealedKeys(t);
    const wrapBefore = JSON.parse(settingRow(t, 'passphrase_wrap')!) as { salt: string; N: number };
    const result = await dispatch(createHandlers(t.service), 'vault:change-passphrase', { currentPassphrase: OLD, newPassphrase: NEW });
    expect(result).toMatchObject({ ok: true, value: { protection: 'passphrase', state: 'ready' } });
    expect(sealedKeys(t)).toEqual(keysBefore);
    const wrapAfter = JSON.parse(settingRow(t, 'passphrase_wrap')!) as { salt: string; N: number };
    expect(wrapAfter.salt).not.toBe(wrapBefore.salt);
    expect(wrapAfter.N).toBe(2 ** 17);
    expect(auditActions(t)).toEqual(['ca.create', 'vault.passphrase-change']);

    t.service.close();
    const again = t.reopen();
    await expect(again.unlockVault({ passphrase: OLD })).rejects.toMatchObject({ code: 'PASSPHRASE_WRONG', field: 'passphrase' });
    await again.unlockVault({ passphrase: NEW });
    const keyRow = sealedKeys(t)[0]!;
    const pkcs8 = await again.vault.openKey(keyRow.id, keyRow.sealed);
    const privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    const signature = sign('sha256', Buffer.from('still signs'), privateKey);
    expect(verify('sha256', Buffer.from('still signs'), createPublicKey(privateKey), signature)).toBe(true);
    // And certdesk itself signs with it: an issuing CA under the root.
    expect(await again.createAuthority({ name: 'Issuing', parent: root.name })).toMatchObject({ kind: 'issuing' });
  });

  it('restarts the idle wait on an unlocked store, as an unlock does, and keeps the key it holds', async () => {
    const clock = manualClock();
    const t = openTestService({ clock });
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    const sealed = await t.service.vault.sealKey('key_1', new Uint8Array([4]));
    const held = (t.service.vault as unknown as { dek: Uint8Array | null }).dek;
    clock.advance(14);
    // The operator proves the passphrase a minute before the idle lock would fall.
    await t.service.changeVaultPassphrase({ currentPassphrase: OLD, newPassphrase: NEW });
    expect((t.service.vault as unknown as { dek: Uint8Array | null }).dek).toBe(held);
    clock.advance(14);
    t.service.vault.lockIfIdle();
    expect(t.service.info().vault.state).toBe('ready');
    expect([...(await t.service.vault.openKey('key_1', sealed))]).toEqual([4]);
    clock.advance(15);
    t.service.vault.lockIfIdle();
    expect(t.service.info().vault.state).toBe('locked');
  });

  it('works from a locked store and leaves it unlocked', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    const sealed = await t.service.vault.sealKey('key_1', new Uint8Array([3]));
    t.service.vault.lock();
    expect((await t.service.changeVaultPassphrase({ currentPassphrase: OLD, newPassphrase: NEW })).state).toBe('ready');
    expect([...(await t.service.vault.openKey('key_1', sealed))]).toEqual([3]);
  });

  it('refuses a wrong current, a short or unchanged new passphrase, naming the field, with nothing written', async () => {
    const t = openTestService();
    const handlers = createHandlers(t.service);
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    const wrap = settingRow(t, 'passphrase_wrap');
    const cases = [
      [{ currentPassphrase: 'not the passphrase', newPassphrase: NEW }, 'PASSPHRASE_WRONG', 'currentPassphrase'],
      [{ currentPassphrase: OLD, newPassphrase: 'too short' }, 'PASSPHRASE_TOO_SHORT', 'newPassphrase'],
      [{ currentPassphrase: OLD, newPassphrase: OLD }, 'VALIDATION', 'newPassphrase'],
      [{ currentPassphrase: OLD }, 'VALIDATION', 'newPassphrase'],
    ] as const;
    for (const [input, code, field] of cases) {
      expect(await dispatch(handlers, 'vault:change-passphrase', input)).toMatchObject({ ok: false, error: { code, field } });
    }
    expect(settingRow(t, 'passphrase_wrap')).toBe(wrap);
    // Only the wrong current passphrase is a failed attempt (see the next test); bad new ones are input errors.
    expect(auditActions(t)).toEqual(['vault.passphrase-change-failed']);
  });

  it('audits a wrong current passphrase as a failure, without either passphrase, and changes nothing', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    const wrap = settingRow(t, 'passphrase_wrap');
    const guess = 'a guessed passphrase for this store';
    await expect(t.service.changeVaultPassphrase({ currentPassphrase: guess, newPassphrase: NEW })).rejects.toMatchObject({
      code: 'PASSPHRASE_WRONG',
      field: 'currentPassphrase',
    });
    expect(settingRow(t, 'passphrase_wrap')).toBe(wrap);
    const rows = t.service.db.prepare("SELECT * FROM audit_log WHERE action = 'vault.passphrase-change-failed'").all() as {
      actor: string;
      details: string;
    }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor).toBe(`${userInfo().username}@${hostname()}`);
    expect(JSON.parse(rows[0]!.details)).toEqual({ code: 'PASSPHRASE_WRONG' });
    const everything = JSON.stringify(t.service.db.prepare('SELECT * FROM audit_log').all());
    expect(everything).not.toContain(guess);
    expect(everything).not.toContain(NEW);
    expect(everything).not.toContain(OLD);
    // The right passphrase still changes it: the failed attempt left the wrap as it was.
    expect((await t.service.changeVaultPassphrase({ currentPassphrase: OLD, newPassphrase: NEW })).state).toBe('ready');
    expect(auditActions(t).filter((a) => a.startsWith('vault.passphrase'))).toEqual([
      'vault.passphrase-change-failed',
      'vault.passphrase-change',
    ]);
  });

  it('is refused for a keychain store', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'keychain' });
    await expect(t.service.changeVaultPassphrase({ currentPassphrase: OLD, newPassphrase: NEW })).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'currentPassphrase',
    });
    expect(settingRow(t, 'passphrase_wrap')).toBeUndefined();
  });

  it('is atomic: a failure while committing leaves the old wrap, and the old passphrase, working', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    const sealed = await t.service.vault.sealKey('key_1', new Uint8Array([6]));
    const wrap = settingRow(t, 'passphrase_wrap');
    // The audit entry is the second write of the transaction: make it fail after the wrap was written.
    t.service.db.exec("CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    await expect(t.service.changeVaultPassphrase({ currentPassphrase: OLD, newPassphrase: NEW })).rejects.toThrow(/disk full/);
    expect(settingRow(t, 'passphrase_wrap')).toBe(wrap);
    t.service.db.exec('DROP TRIGGER fail_audit');
    expect(auditActions(t)).toEqual([]);
    t.service.close();
    const again = t.reopen();
    await expect(again.unlockVault({ passphrase: NEW })).rejects.toMatchObject({ code: 'PASSPHRASE_WRONG' });
    await again.unlockVault({ passphrase: OLD });
    expect([...(await again.vault.openKey('key_1', sealed))]).toEqual([6]);
  });

  it('never overwrites a change another process made while this one ran its key derivations', async () => {
    const t = openTestService();
    await t.service.initVault({ protection: 'passphrase', passphrase: OLD });
    const original = settingRow(t, 'passphrase_wrap');
    // What the other process will have written: the same key under its own passphrase.
    await t.service.changeVaultPassphrase({ currentPassphrase: OLD, newPassphrase: 'the other process passphrase' });
    const theirs = settingRow(t, 'passphrase_wrap');
    t.service.db.prepare("UPDATE settings SET value = ? WHERE key = 'passphrase_wrap'").run(original);
    const audited = auditActions(t).length;
    // The wrap is read when the change starts; the other process commits while the key derivations run.
    const change = t.service.changeVaultPassphrase({ currentPassphrase: OLD, newPassphrase: NEW });
    t.service.db.prepare("UPDATE settings SET value = ? WHERE key = 'passphrase_wrap'").run(theirs);
    await expect(change).rejects.toMatchObject({ code: 'CONFLICT', field: 'currentPassphrase' });
    expect(settingRow(t, 'passphrase_wrap')).toBe(theirs);
    expect(auditActions(t)).toHaveLength(audited);
    t.service.close();
    const again = t.reopen();
    await expect(again.unlockVault({ passphrase: NEW })).rejects.toMatchObject({ code: 'PASSPHRASE_WRONG' });
    await again.unlockVault({ passphrase: 'the other process passphrase' });
  });
});
