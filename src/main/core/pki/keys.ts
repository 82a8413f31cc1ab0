import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { KeyType } from '../../../shared/contract/index.ts';
import { keySpec } from './key-types.ts';
import { defaultCrypto } from './x509.ts';
import type { Crypto, CryptoKey, CryptoKeyPair } from './webcrypto.ts';

/** Generates an extractable key pair: extractable only so that main can seal the PKCS#8 at once. */
export async function generateKeyPair(type: KeyType, crypto: Crypto = defaultCrypto): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(keySpec(type).generate, true, ['sign', 'verify']);
}

export async function exportPkcs8(key: CryptoKey, crypto: Crypto = defaultCrypto): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey('pkcs8', key));
}

export async function importPkcs8(pkcs8: Uint8Array, type: KeyType, crypto: Crypto = defaultCrypto): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', pkcs8, keySpec(type).import, false, ['sign']);
}

/**
 * A CA's signing key from its PKCS#8, on this thread: the node:crypto key the leaf fast path signs
 * with, and the same key as a non-extractable WebCrypto key for @peculiar/x509 (CA certificates,
 * CRLs). OpenSSL copies what it parses, so the caller may zero `pkcs8` at once.
 */
export function importSigningKey(pkcs8: Uint8Array, type: KeyType): { keyObject: KeyObject; privateKey: CryptoKey } {
  const keyObject = createPrivateKey({ key: Buffer.from(pkcs8.buffer, pkcs8.byteOffset, pkcs8.byteLength), format: 'der', type: 'pkcs8' });
  return { keyObject, privateKey: keyObject.toCryptoKey(keySpec(type).import, false, ['sign']) as CryptoKey };
}
