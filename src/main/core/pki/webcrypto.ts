// WebCrypto types without the DOM lib in the main process (the DOM lib would bring `window` in too).
import type { webcrypto } from 'node:crypto';

export type Crypto = webcrypto.Crypto;
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
export type KeyAlgorithm = webcrypto.KeyAlgorithm;
export type EcKeyAlgorithm = webcrypto.EcKeyAlgorithm;
export type RsaKeyAlgorithm = webcrypto.RsaKeyAlgorithm;
export type Algorithm = webcrypto.Algorithm;
export type EcdsaParams = webcrypto.EcdsaParams;
export type EcKeyGenParams = webcrypto.EcKeyGenParams;
export type EcKeyImportParams = webcrypto.EcKeyImportParams;
export type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;
export type RsaHashedImportParams = webcrypto.RsaHashedImportParams;
