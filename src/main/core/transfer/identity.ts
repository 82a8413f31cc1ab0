/**
 * This data folder's transfer identity: one Ed25519 key that signs every bundle it sends. The private
 * half is a `keys` row sealed by the vault like a CA's key and is opened only to sign; the public JWK
 * and its fingerprint sit in `transfer_identity`, so showing them never needs the vault.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { CertdeskError } from '../errors.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import type { KeyVault } from '../secrets/key-vault.ts';
import { TRANSFER_KEY_TYPE, type KeyRepository } from '../store/key-repository.ts';
import { transferId } from './ids.ts';

export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
}

export interface TransferIdentity {
  keyId: string;
  publicJwk: PublicJwk;
  /** `SHA256:` and the unpadded base64 of SHA-256 over the public key's SubjectPublicKeyInfo (DER). */
  fingerprint: string;
  createdAt: string;
}

export interface IdentityDeps {
  db: Database;
  vault: KeyVault;
  keys: KeyRepository;
  clock: Clock;
}

/** The public key of a JWK; a JWK that is not an Ed25519 public key is refused by the caller's schema first. */
export function publicKeyOf(jwk: PublicJwk): KeyObject {
  return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
}

/** The fingerprint anyone can recompute: `openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64`. */
export function fingerprintOf(jwk: PublicJwk): string {
  const spki = publicKeyOf(jwk).export({ format: 'der', type: 'spki' });
  return `SHA256:${createHash('sha256').update(spki).digest('base64').replace(/=+$/, '')}`;
}

interface IdentityRow {
  key_id: string;
  public_jwk: string;
  fingerprint: string;
  created_at: string;
}

export function readIdentity(db: Database): TransferIdentity | null {
  const row = db.prepare('SELECT key_id, public_jwk, fingerprint, created_at FROM transfer_identity WHERE id = 1').get() as
    IdentityRow | undefined;
  return row
    ? { keyId: row.key_id, publicJwk: JSON.parse(row.public_jwk) as PublicJwk, fingerprint: row.fingerprint, createdAt: row.created_at }
    : null;
}

/** The identity, made (and its private key sealed) the first time anything needs it. */
export async function ensureIdentity(deps: IdentityDeps): Promise<TransferIdentity> {
  const existing = readIdentity(deps.db);
  if (existing) return existing;
  const pair = generateKeyPairSync('ed25519');
  const pkcs8 = new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' }));
  const spki = new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' }));
  const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x: pair.publicKey.export({ format: 'jwk' }).x ?? '' };
  const keyId = transferId('key');
  const sealed = await deps.vault.sealKey(keyId, pkcs8);
  pkcs8.fill(0);
  const createdAt = deps.clock.now().toISOString();
  const identity: TransferIdentity = { keyId, publicJwk, fingerprint: fingerprintOf(publicJwk), createdAt };
  deps.db
    .transaction(() => {
      // Another process made one meanwhile: keep the first, so the fingerprint a peer saw stays true.
      if (readIdentity(deps.db)) return;
      deps.keys.insert({ id: keyId, keyType: TRANSFER_KEY_TYPE, publicKeySha256: thumbprints(spki).sha256Hex, sealed, createdAt });
      deps.db
        .prepare('INSERT INTO transfer_identity (id, key_id, public_jwk, fingerprint, created_at) VALUES (1, ?, ?, ?, ?)')
        .run(keyId, JSON.stringify(publicJwk), identity.fingerprint, createdAt);
    })
    .immediate();
  return readIdentity(deps.db) ?? identity;
}

/** Opens the private key for one signature; the PKCS#8 bytes are wiped as soon as the key object holds them. */
export async function openSigningKey(deps: Pick<IdentityDeps, 'vault' | 'keys'>, identity: TransferIdentity): Promise<KeyObject> {
  const record = deps.keys.get(identity.keyId);
  if (record?.keyType !== TRANSFER_KEY_TYPE)
    throw new CertdeskError(
      'NOT_FOUND',
      `This folder's transfer key (${identity.keyId}) is not in its key store; the database was altered. Restore it from a backup.`,
    );
  const pkcs8 = await deps.vault.openKey(identity.keyId, record.sealed);
  try {
    return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } finally {
    pkcs8.fill(0);
  }
}
