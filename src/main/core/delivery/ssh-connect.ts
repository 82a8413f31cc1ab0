import { createHash } from 'node:crypto';
import { Client, type ConnectConfig } from 'ssh2';
import { hasControlCharacters, hasFormatCharacters } from '../../../shared/validation.ts';
import { CertdeskError } from '../errors.ts';
import { assertProcessOnline } from '../workstation/role-guard.ts';

/** Where an ssh target is and whom it must be: the host key is pinned when the target is added. */
export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  /** The pinned host key, `SHA256:<base64>` as `ssh-keygen -l` prints it. */
  hostKey: string;
  /** The client's private key, OpenSSH or PEM (see `loadSshClientKey`). */
  clientKey: string | Uint8Array;
}

/** For the TCP connect and the whole handshake: an unreachable host fails in bounded time. */
export const SSH_CONNECT_TIMEOUT_MS = 15_000;

export const HOST_KEY_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** The OpenSSH fingerprint of a host key blob: SHA-256, base64 without padding. */
export function sshFingerprint(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type a host key blob starts with (`ssh-ed25519`, `ecdsa-sha2-nistp256`…). */
function blobAlgorithm(blob: Buffer): string {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  return length > 0 && length <= 64 && blob.length >= 4 + length ? blob.toString('latin1', 4, 4 + length) : 'unknown';
}

function checkText(value: string, field: string, what: string): void {
  if (!value || value.length > 255 || hasControlCharacters(value) || hasFormatCharacters(value) || /\s/.test(value))
    throw new CertdeskError('VALIDATION', `The ssh target's ${what} must be 1–255 visible characters without spaces.`, { field });
}

export function checkEndpoint(endpoint: Pick<SshEndpoint, 'host' | 'port' | 'user' | 'hostKey'>): void {
  checkText(endpoint.host, 'host', 'host');
  checkText(endpoint.user, 'user', 'user name');
  if (!Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65535)
    throw new CertdeskError('VALIDATION', 'The ssh port must be a whole number from 1 to 65535 (22 by default).', { field: 'port' });
  if (!HOST_KEY_FINGERPRINT.test(endpoint.hostKey))
    throw new CertdeskError(
      'VALIDATION',
      'The host key must be pinned as SHA256:<43 base64 characters>, as `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` prints it on the host.',
      { field: 'hostKey' },
    );
}

const UNREACHABLE_ERRNO = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET']);

interface Ssh2Error extends Error {
  level?: string;
  code?: string;
}

function unreachable(where: string, error: Ssh2Error): CertdeskError {
  const why = error.level === 'client-timeout' ? `no answer within ${SSH_CONNECT_TIMEOUT_MS / 1000} s` : (error.code ?? error.message);
  return new CertdeskError(
    'SSH_UNREACHABLE',
    `The ssh host ${where} could not be reached (${why}). Check the host and port, that sshd runs there, and that no firewall is in the way; nothing was written.`,
    { field: 'host', cause: error },
  );
}

/**
 * Opens an ssh connection that only completes if the host presents the pinned key. A different key
 * is refused before authentication, so nothing (not even the client key's signature) reaches it.
 */
export function connectSsh(endpoint: SshEndpoint): Promise<Client> {
  checkEndpoint(endpoint);
  const where = `${endpoint.host}:${endpoint.port}`;
  return new Promise((resolve, reject) => {
    assertProcessOnline(`an ssh connection to ${where}`);
    const client = new Client();
    let presented: string | null = null;
    const config: ConnectConfig = {
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.user,
      privateKey: typeof endpoint.clientKey === 'string' ? endpoint.clientKey : Buffer.from(endpoint.clientKey),
      readyTimeout: SSH_CONNECT_TIMEOUT_MS,
      // A host that stops answering mid-delivery ends the connection (and fails its pending requests) within ~45 s.
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      tryKeyboard: false,
      agent: undefined,
      hostVerifier: (key: Buffer) => {
        presented = sshFingerprint(key);
        return presented === endpoint.hostKey;
      },
    };
    client.once('ready', () => {
      // SFTP is one small request after another: without this, Nagle and delayed ACKs add ~40 ms to each.
      client.setNoDelay(true);
      ready = true;
      resolve(client);
    });
    let ready = false;
    // `on`, not `once`: an error after the handshake (a dropped connection) must not go unhandled; the requests
    // pending on it fail by themselves then.
    client.on('error', (error: Ssh2Error) => {
      client.end();
      if (ready) return;
      if (presented !== null && presented !== endpoint.hostKey) {
        reject(
          new CertdeskError(
            'SSH_HOST_KEY_CHANGED',
            `The ssh host ${where} presented host key ${presented}, but this target pinned ${endpoint.hostKey}. The connection was refused and nothing was written. If the host's key was changed on purpose, confirm the new fingerprint on the host (ssh-keygen -lf) and pin it again; otherwise something is impersonating the host.`,
            { field: 'hostKey', cause: error },
          ),
        );
      } else if (error.level === 'client-authentication') {
        reject(
          new CertdeskError(
            'SSH_AUTH_REFUSED',
            `The ssh host ${where} refused the client key for user "${endpoint.user}". Add the target's public key (shown when the target was added) to that user's authorized_keys on the host; nothing was written.`,
            { field: 'user', cause: error },
          ),
        );
      } else if (error.level === 'client-timeout' || (error.code && UNREACHABLE_ERRNO.has(error.code)) || error.level === 'client-socket') {
        reject(unreachable(where, error));
      } else {
        reject(
          new CertdeskError('SSH_UNREACHABLE', `The ssh connection to ${where} failed: ${error.message}. Nothing was written.`, {
            field: 'host',
            cause: error,
          }),
        );
      }
    });
    try {
      client.connect(config);
    } catch (error) {
      // A client key ssh2 cannot parse throws synchronously.
      reject(
        new CertdeskError('VALIDATION', `The ssh client key cannot be used: ${(error as Error).message}.`, {
          field: 'clientKey',
          cause: error,
        }),
      );
    }
  });
}

/**
 * The host key a host presents, for the operator to confirm (against `ssh-keygen -lf` on the host)
 * before it is pinned. The connection stops at the host key: no authentication is attempted.
 */
export function probeHostKey(host: string, port: number): Promise<{ fingerprint: string; algorithm: string }> {
  checkText(host, 'host', 'host');
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new CertdeskError('VALIDATION', 'The ssh port must be a whole number from 1 to 65535 (22 by default).', { field: 'port' });
  return new Promise((resolve, reject) => {
    assertProcessOnline(`an ssh connection to ${host}:${port}`);
    const client = new Client();
    let seen: { fingerprint: string; algorithm: string } | null = null;
    client.on('error', (error: Ssh2Error) => {
      client.end();
      if (seen) resolve(seen);
      else reject(unreachable(`${host}:${port}`, error));
    });
    client.once('ready', () => {
      // Cannot happen (the verifier refuses every key); closed all the same.
      client.end();
      reject(new CertdeskError('INTERNAL', 'The host-key probe authenticated unexpectedly.'));
    });
    client.connect({
      host,
      port,
      username: 'certdesk-probe',
      readyTimeout: SSH_CONNECT_TIMEOUT_MS,
      hostVerifier: (key: Buffer) => {
        seen = { fingerprint: sshFingerprint(key), algorithm: blobAlgorithm(key) };
        return false;
      },
    });
  });
}

/** Runs `work` over a verified connection and always closes it. */
export async function withSsh<T>(endpoint: SshEndpoint, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectSsh(endpoint);
  try {
    return await work(client);
  } finally {
    client.end();
  }
}
