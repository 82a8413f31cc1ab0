import { describe, expect, it } from 'vitest';
import { classifyKeychainError, diedMidCall } from '../../src/main/core/secrets/keychain-secret-store.ts';

describe('keychain errors say which problem it is and what to do', () => {
  it('no Secret Service on the bus → KEYCHAIN_UNAVAILABLE with the fix', () => {
    const e = classifyKeychainError(
      new Error(
        'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead',
      ),
      'read',
      'Secret Service',
    );
    expect(e.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(e.message).toMatch(/Start a keyring daemon/);
    expect(e.message).toMatch(/passphrase mode/);
  });

  it('no unlocked default collection → KEYCHAIN_LOCKED', () => {
    const e = classifyKeychainError(
      new Error("Couldn't access platform storage: Secret Service: no result found"),
      'write',
      'Secret Service',
    );
    expect(e.code).toBe('KEYCHAIN_LOCKED');
    expect(e.message).toMatch(/Unlock/);
  });

  it('macOS refusing interaction → KEYCHAIN_LOCKED', () => {
    expect(classifyKeychainError(new Error('User interaction is not allowed.'), 'read', 'macOS Keychain').code).toBe('KEYCHAIN_LOCKED');
  });

  it('a call that never answers (a pending unlock prompt) → KEYCHAIN_LOCKED naming the wait', () => {
    const e = classifyKeychainError(new Error('aborted'), 'read', 'Secret Service', 30_000);
    expect(e.code).toBe('KEYCHAIN_LOCKED');
    expect(e.message).toMatch(/within 30 s/);
  });

  it('only a daemon that went away mid-call is tried again; a missing or locked one is not', () => {
    const noReply = new Error(
      'Platform failure: DBus error: Did not receive a reply. Possible causes include: the remote application did not send a reply',
    );
    expect(diedMidCall(noReply)).toBe(true);
    expect(
      diedMidCall(new Error('Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files')),
    ).toBe(false);
    expect(diedMidCall(new Error("Couldn't access platform storage: Secret Service: no result found"))).toBe(false);
  });
});
