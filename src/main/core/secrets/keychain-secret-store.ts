import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';
import { CertdeskError } from '../errors.ts';
import type { SecretStore } from './secret-store.ts';

export const KEYCHAIN_SERVICE = 'certdesk';

const PLATFORM_NAME: Record<string, string> = {
  darwin: 'macOS Keychain',
  win32: 'Windows Credential Manager',
  linux: 'Secret Service',
};

/** Where the operator chooses passphrase mode: the app's Settings page, or the CLI's `vault init`. */
export type PassphraseFix = 'app' | 'cli';

const PASSPHRASE_FIX: Record<PassphraseFix, string> = {
  app: 'choose passphrase mode in Settings → Key protection',
  cli: 'choose passphrase mode (`certdesk vault init --protection passphrase`)',
};

/**
 * The OS keychain through @napi-rs/keyring. On Linux the store is pinned to the Secret Service so a
 * missing daemon is an error, not a silent fall-back to the kernel keyring (which forgets on reboot).
 * Every call has a deadline: a locked keyring can sit waiting for an unlock prompt forever.
 */
export class KeychainSecretStore implements SecretStore {
  readonly description: string;
  private readonly options: EntryOptions = { linux: { store: 'secret-service' } };
  private readonly timeoutMs: number;
  private readonly fix: PassphraseFix;

  /** `fix` names where this host lets the operator choose passphrase mode instead. */
  constructor(timeoutMs = 30_000, fix: PassphraseFix = 'app') {
    this.timeoutMs = timeoutMs;
    this.fix = fix;
    this.description = PLATFORM_NAME[process.platform] ?? 'OS keychain';
  }

  async get(account: string): Promise<Uint8Array | null> {
    return this.call('read', async (signal) => {
      const secret = await this.entry(account).getSecret(signal);
      return secret ? Uint8Array.from(secret) : null;
    });
  }

  async set(account: string, secret: Uint8Array): Promise<void> {
    await this.call('write', (signal) => this.entry(account).setSecret(secret, signal));
  }

  async delete(account: string): Promise<boolean> {
    return this.call('delete', (signal) => this.entry(account).deleteCredential(signal));
  }

  private entry(account: string): AsyncEntry {
    return new AsyncEntry(KEYCHAIN_SERVICE, account, this.options);
  }

  /**
   * One call, tried again when the keyring daemon went away in the middle of it: a desktop session
   * (D-Bus or systemd activation) starts the daemon again on the next call, and every call here is
   * idempotent (read, replace, delete), so the operator never sees a daemon restart.
   */
  private async call<T>(what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const deadline = performance.now() + this.timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await run(signal);
      } catch (error) {
        const retryIn = RETRY_AFTER_MS[attempt];
        // Tried again only while the deadline leaves room for the pause and a call; otherwise this error is the answer.
        if (retryIn !== undefined && !signal.aborted && diedMidCall(error) && deadline - performance.now() > retryIn + MIN_CALL_MS) {
          await sleep(retryIn);
          continue;
        }
        throw classifyKeychainError(error, what, this.description, signal.aborted ? this.timeoutMs : undefined, this.fix);
      }
    }
  }
}

/** Pauses before each new try of a call whose daemon went away: a restart (and unlock) can take seconds on a busy machine. */
const RETRY_AFTER_MS = [250, 1_000, 2_000];
/** The least time left worth another try. */
const MIN_CALL_MS = 1_000;

/** The daemon disconnected without answering: it crashed or was restarted while handling the call. */
export function diedMidCall(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String((error.cause as Error | undefined)?.message ?? '')}` : String(error);
  return /Did not receive a reply|NoReply|disconnected from message bus without replying/i.test(text);
}

/**
 * Turns the platform's error into KEYCHAIN_UNAVAILABLE or KEYCHAIN_LOCKED: one sentence with what
 * to do. The platform's own text (D-Bus details) stays in `cause`, for logs, not in the message.
 */
export function classifyKeychainError(
  error: unknown,
  what: string,
  store: string,
  timedOutAfterMs?: number,
  fix: PassphraseFix = 'app',
): CertdeskError {
  const text = error instanceof Error ? `${error.message} ${String((error.cause as Error | undefined)?.message ?? '')}` : String(error);
  const passphrase = PASSPHRASE_FIX[fix];
  if (timedOutAfterMs !== undefined) {
    return new CertdeskError(
      'KEYCHAIN_LOCKED',
      `The ${store} did not answer within ${Math.round(timedOutAfterMs / 1000)} s, probably because it is locked and waiting for you: unlock your keyring and try again, or ${passphrase}.`,
      { cause: error },
    );
  }
  if (
    /DBUS_SESSION_BUS_ADDRESS|ServiceUnknown|org\.freedesktop\.secrets|Platform failure: DBus|connection refused|No such file or directory/i.test(
      text,
    )
  ) {
    return new CertdeskError(
      'KEYCHAIN_UNAVAILABLE',
      `Start a keyring daemon (GNOME Keyring or KWallet) and try again, or ${passphrase}: no ${store} is running in this session, so the OS keychain cannot hold the key.`,
      { cause: error },
    );
  }
  if (/no result found|locked|not unlocked|interaction is not allowed|user canceled|dismissed/i.test(text)) {
    return new CertdeskError(
      'KEYCHAIN_LOCKED',
      `Unlock (or create) your login keyring and try again, or ${passphrase}: the ${store} is locked or has no default keyring.`,
      { cause: error },
    );
  }
  return new CertdeskError(
    'KEYCHAIN_UNAVAILABLE',
    `The ${store} failed to ${what} a secret (${firstLine(error instanceof Error ? error.message : text)}): check that your keyring is running and unlocked, or ${passphrase}.`,
    { cause: error },
  );
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}
