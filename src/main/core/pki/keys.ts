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
