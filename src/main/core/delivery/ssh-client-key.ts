import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { CertdeskError } from '../errors.ts';
import { newId } from '../ids.ts';
import { bufferView } from '../pki/pem.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import type { KeyVault } from '../secrets/key-vault.ts';
import { SSH_CLIENT_KEY_TYPE, type KeyRepository } from '../store/key-repository.ts';
import { sshFingerprint } from './ssh-connect.ts';

export interface SshClientKeyDeps {
  vault: KeyVault;
  keys: KeyRepository;
  clock: Clock;
}

export interface SshClientKey {
  /** The `keys` row holding it, sealed like every CA and leaf key; the target records this id. */
  keyId: string;
  /** For the operator to append to `~/.ssh/authorized_keys` of the target's user on the host. */
  authorizedKey: string;
  /** `SHA256:…` of the public key, as sshd logs it when the key is accepted. */
  fingerprint: string;
}

function sshString(value: Uint8Array | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : bufferView(value);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function rawEd25519(pkcs8: Uint8Array): { seed: Buffer; publicKey: Buffer } {
  const key = createPrivateKey({ key: bufferView(pkcs8), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an ed25519 key (${key.asymmetricKeyType})`);
  const jwk = key.export({ format: 'jwk' });
  return { seed: Buffer.from(jwk.d ?? '', 'base64url'), publicKey: Buffer.from(jwk.x ?? '', 'base64url') };
}

function publicBlob(publicKey: Buffer): Buffer {
  return Buffer.concat([sshString('ssh-ed25519'), sshString(publicKey)]);
}

/**
 * The unencrypted `openssh-key-v1` form of an ed25519 key (PROTOCOL.key in OpenSSH), which ssh2
 * parses; ssh2 does not read PKCS#8, and the vault keeps keys as PKCS#8 like every other key.
 */
export function openSshPrivateKey(pkcs8: Uint8Array, comment = 'certdesk'): string {
  const { seed, publicKey } = rawEd25519(pkcs8);
  // Every buffer that holds the seed is zeroed before returning, the intermediate ones too.
  const held: Buffer[] = [seed];
  const hold = (bytes: Buffer): Buffer => (held.push(bytes), bytes);
  try {
    const blob = publicBlob(publicKey);
    const check = randomBytes(4);
    const keyPair = hold(sshString(hold(Buffer.concat([seed, publicKey]))));
    const unpadded = hold(Buffer.concat([check, check, blob, keyPair, sshString(comment)]));
    const padding = Buffer.from(Array.from({ length: (8 - (unpadded.length % 8)) % 8 }, (_, i) => i + 1));
    const section = hold(Buffer.concat([unpadded, padding]));
    const body = hold(
      Buffer.concat([
        Buffer.from('openssh-key-v1\0', 'latin1'),
        sshString('none'),
        sshString('none'),
        sshString(''),
        Buffer.from([0, 0, 0, 1]),
        sshString(blob),
        hold(sshString(section)),
      ]),
    );
    const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
    return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
  } finally {
    for (const bytes of held) bytes.fill(0);
  }
}

/**
 * A new ed25519 client key for an ssh target, sealed under the vault's data-encryption key and stored
 * in `keys` like a CA's or a leaf's key. Only the public half leaves: the operator authorizes it on
 * the host.
 */
export async function createSshClientKey(deps: SshClientKeyDeps, label: string): Promise<SshClientKey> {
  const comment = `certdesk:${label}`.replace(/[^A-Za-z0-9@:._-]/g, '_').slice(0, 64);
  const pair = generateKeyPairSync('ed25519');
  const pkcs8 = new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' }));
  const spki = new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' }));
  const blob = publicBlob(Buffer.from(pair.publicKey.export({ format: 'jwk' }).x ?? '', 'base64url'));
  const keyId = newId('key');
  const sealed = await deps.vault.sealKey(keyId, pkcs8);
  pkcs8.fill(0);
  deps.keys.insert({
    id: keyId,
    keyType: SSH_CLIENT_KEY_TYPE,
    publicKeySha256: thumbprints(spki).sha256Hex,
    sealed,
    createdAt: deps.clock.now().toISOString(),
  });
  return { keyId, authorizedKey: `ssh-ed25519 ${blob.toString('base64')} ${comment}`, fingerprint: sshFingerprint(blob) };
}

/** Opens a target's client key for one connection, in the form ssh2 reads. */
export async function loadSshClientKey(deps: Pick<SshClientKeyDeps, 'vault' | 'keys'>, keyId: string): Promise<string> {
  const record = deps.keys.get(keyId);
  if (record?.keyType !== SSH_CLIENT_KEY_TYPE)
    throw new CertdeskError('NOT_FOUND', `The ssh client key ${keyId} is not in this store; remove the target and add it again.`, {
      field: 'clientKey',
    });
  const pkcs8 = await deps.vault.openKey(keyId, record.sealed);
  try {
    return openSshPrivateKey(pkcs8);
  } finally {
    pkcs8.fill(0);
  }
}

/** The operator's line for a key certdesk already holds (a source or target that reuses its key shows it again). */
export async function sshClientKeyLine(
  deps: Pick<SshClientKeyDeps, 'vault' | 'keys'>,
  keyId: string,
  label: string,
): Promise<SshClientKey> {
  const record = deps.keys.get(keyId);
  if (record?.keyType !== SSH_CLIENT_KEY_TYPE)
    throw new CertdeskError('NOT_FOUND', `The ssh client key ${keyId} is not in this store.`, { field: 'clientKey' });
  const pkcs8 = await deps.vault.openKey(keyId, record.sealed);
  try {
    const { seed, publicKey } = rawEd25519(pkcs8);
    seed.fill(0);
    const blob = publicBlob(publicKey);
    const comment = `certdesk:${label}`.replace(/[^A-Za-z0-9@:._-]/g, '_').slice(0, 64);
    return { keyId, authorizedKey: `ssh-ed25519 ${blob.toString('base64')} ${comment}`, fingerprint: sshFingerprint(blob) };
  } finally {
    pkcs8.fill(0);
  }
}
