import { createPublicKey, type KeyObject } from 'node:crypto';
import type { KeyType } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { spkiAlgorithm } from './der-fields.ts';
import { x509 } from './x509.ts';
import type {
  Algorithm,
  Crypto,
  EcdsaParams,
  EcKeyAlgorithm,
  EcKeyGenParams,
  EcKeyImportParams,
  KeyAlgorithm,
  RsaHashedImportParams,
  RsaHashedKeyGenParams,
  RsaKeyAlgorithm,
} from './webcrypto.ts';

export interface KeyAlgorithmSpec {
  generate: RsaHashedKeyGenParams | EcKeyGenParams;
  /** Import parameters for the PKCS#8 / SPKI of this key type. */
  import: RsaHashedImportParams | EcKeyImportParams;
  /** Signature algorithm for certificates and CRLs signed with this key. */
  sign: Algorithm | EcdsaParams;
  label: string;
}

const RSA_EXPONENT = new Uint8Array([1, 0, 1]);

function rsa(bits: number): KeyAlgorithmSpec {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return {
    generate: { ...algorithm, modulusLength: bits, publicExponent: RSA_EXPONENT },
    import: algorithm,
    sign: algorithm,
    label: `RSA ${bits}`,
  };
}

function ec(curve: 'P-256' | 'P-384', hash: 'SHA-256' | 'SHA-384'): KeyAlgorithmSpec {
  return {
    generate: { name: 'ECDSA', namedCurve: curve },
    import: { name: 'ECDSA', namedCurve: curve },
    sign: { name: 'ECDSA', hash } as EcdsaParams,
    label: `ECDSA ${curve}`,
  };
}

const SPECS: Record<KeyType, KeyAlgorithmSpec> = {
  'ec-p256': ec('P-256', 'SHA-256'),
  'ec-p384': ec('P-384', 'SHA-384'),
  'rsa-2048': rsa(2048),
  'rsa-3072': rsa(3072),
  'rsa-4096': rsa(4096),
};

export function keySpec(type: KeyType): KeyAlgorithmSpec {
  const spec = SPECS[type];
  if (!spec)
    throw new CertdeskError(
      'KEY_TYPE_UNSUPPORTED',
      `Key type "${String(type)}" is not supported; use one of ${Object.keys(SPECS).join(', ')}.`,
      { field: 'keyType' },
    );
  return spec;
}

/** Names the key type of a public key, or throws KEY_TYPE_UNSUPPORTED naming what it found. */
export function keyTypeOf(algorithm: KeyAlgorithm): KeyType {
  if (algorithm.name === 'ECDSA') {
    const curve = (algorithm as EcKeyAlgorithm).namedCurve;
    if (curve === 'P-256') return 'ec-p256';
    if (curve === 'P-384') return 'ec-p384';
    throw new CertdeskError('KEY_TYPE_UNSUPPORTED', `ECDSA curve ${curve} is not supported; use P-256 or P-384.`, { field: 'keyType' });
  }
  if (algorithm.name === 'RSASSA-PKCS1-v1_5' || algorithm.name === 'RSA-PSS') {
    const bits = (algorithm as RsaKeyAlgorithm).modulusLength;
    if (bits === 2048) return 'rsa-2048';
    if (bits === 3072) return 'rsa-3072';
    if (bits === 4096) return 'rsa-4096';
    throw new CertdeskError('KEY_TYPE_UNSUPPORTED', `RSA-${bits} is not supported; use RSA 2048, 3072 or 4096, or ECDSA P-256/P-384.`, {
      field: 'keyType',
    });
  }
  throw new CertdeskError('KEY_TYPE_UNSUPPORTED', `Key algorithm ${algorithm.name} is not supported; use RSA or ECDSA P-256/P-384.`, {
    field: 'keyType',
  });
}

/** OpenSSL's names of the NIST curves, as WebCrypto names them. */
const WEB_CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
const OTHER_KEYS: Record<string, string> = { ed25519: 'Ed25519', ed448: 'Ed448', x25519: 'X25519', x448: 'X448', dsa: 'DSA', dh: 'DH' };

/**
 * A node:crypto key's algorithm as WebCrypto would name it (`ECDSA` on `P-256`, `RSASSA-PKCS1-v1_5`
 * of 2048 bits), for keyTypeOf: read by OpenSSL on this thread, where a WebCrypto import takes a trip
 * through the thread pool.
 */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  const type = key.asymmetricKeyType ?? 'unknown';
  if (type === 'ec') {
    const curve = details.namedCurve;
    return { name: 'ECDSA', namedCurve: (curve && WEB_CURVES[curve]) ?? curve ?? 'with explicit parameters' } as EcKeyAlgorithm;
  }
  if (type === 'rsa' || type === 'rsa-pss')
    return { name: type === 'rsa' ? 'RSASSA-PKCS1-v1_5' : 'RSA-PSS', modulusLength: details.modulusLength ?? 0 } as RsaKeyAlgorithm;
  return { name: OTHER_KEYS[type] ?? type.toUpperCase() };
}

/** id-ecPublicKey (1.2.840.10045.2.1), as its OID's content octets. */
const EC_PUBLIC_KEY = Buffer.from('2a8648ce3d0201', 'hex');

/**
 * The key type of a certificate's or CSR's public key, and the key itself for node:crypto. Read by
 * OpenSSL on this thread; where the process's OpenSSL cannot read it (Electron's BoringSSL knows
 * fewer key kinds than Node's OpenSSL), as WebCrypto reads it through @peculiar/x509, and then with
 * no KeyObject. An EC key must name its curve: RFC 5480 forbids spelled-out parameters, which OpenSSL
 * would otherwise match to a named curve.
 */
export async function readPublicKey(
  publicKey: x509.PublicKey | Uint8Array,
  crypto: Crypto,
): Promise<{ keyType: KeyType; keyObject: KeyObject | null }> {
  const spki = publicKey instanceof Uint8Array ? publicKey : new Uint8Array(publicKey.rawData);
  let algorithm: { oid: Uint8Array; parameterTag: number | undefined } | undefined;
  try {
    algorithm = spkiAlgorithm(spki);
  } catch {
    // Not readable as DER here: WebCrypto's reading below decides, and names the failure as before.
  }
  if (algorithm && EC_PUBLIC_KEY.equals(algorithm.oid) && algorithm.parameterTag !== 0x06)
    throw new CertdeskError(
      'KEY_TYPE_UNSUPPORTED',
      'ECDSA keys with spelled-out curve parameters are not supported (RFC 5480); use a named curve, P-256 or P-384.',
      { field: 'keyType' },
    );
  let keyObject: KeyObject | null = null;
  try {
    keyObject = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    // This OpenSSL cannot read it: WebCrypto may.
  }
  const keyAlgorithm = keyObject
    ? keyAlgorithmOf(keyObject)
    : ((await (publicKey instanceof Uint8Array ? new x509.PublicKey(Uint8Array.from(spki).buffer) : publicKey).export(crypto))
        .algorithm as KeyAlgorithm);
  return { keyType: keyTypeOf(keyAlgorithm), keyObject };
}
