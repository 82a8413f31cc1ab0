// Reading private keys in the formats people actually have, and writing one that any tool reads back.
// OpenSSL (through node:crypto) does the decoding and decryption; this module decides which
// format it is looking at first, so that every failure gets a precise, actionable error.
import { createCipheriv, createPrivateKey, pbkdf2Sync, randomBytes, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import type { KeyType } from '../../../shared/contract/index.ts';
import { CertdeskError, isCertdeskError } from '../errors.ts';
import { assertKdfCost } from './kdf-cost.ts';
import { keyAlgorithmOf, keyTypeOf } from './key-types.ts';
import { bufferView, toArrayBuffer, toPem } from './pem.ts';

/** Shortest passphrase accepted for anything certdesk exports encrypted (PKCS#8 PEM, PKCS#12). */
export const MIN_EXPORT_PASSPHRASE = 12;

/**
 * PBKDF2 iterations for exported keys. OpenSSL's default (2048) is from another era; 100 000
 * HMAC-SHA256 rounds cost tens of milliseconds once per export and every guess of an attacker.
 */
export const EXPORT_KDF_ITERATIONS = 100_000;

/** Far beyond any key (an RSA-4096 PEM is ~3.3 KB, even with a chain pasted alongside it). */
export const MAX_KEY_INPUT_BYTES = 256 * 1024;

export interface ParsedPrivateKey {
  pkcs8: Uint8Array;
  keyType: KeyType;
}

const KEY_LABELS = ['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'];
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Parses a PEM or DER private key (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1, legacy encrypted PEM) into PKCS#8 DER. */
export function parsePrivateKey(input: string | Uint8Array, passphrase?: string): ParsedPrivateKey {
  const read = readPrivateKey(input, passphrase);
  return parsedKey(isDecryptJob(read) ? decodeWith(() => createPrivateKey(read), true) : read);
}

/**
 * What it takes to decrypt an encrypted key: the input as OpenSSL reads it and its passphrase. It
 * is only ever produced once the input was checked whole and its key-derivation cost within bounds.
 */
export interface DecryptJob {
  key: string | Buffer;
  format: 'pem' | 'der';
  type?: 'pkcs8';
  passphrase: string;
}

function isDecryptJob(value: KeyObject | DecryptJob): value is DecryptJob {
  return 'passphrase' in value && typeof value.passphrase === 'string';
}

/**
 * Every check parsePrivateKey makes before decrypting (size, structure, passphrase present, the
 * cost the key derivation asks for): a plain key comes back decoded, an encrypted one as the job
 * that decrypts it, for the caller to run where it likes (private-key-decrypt.ts: off the main thread).
 */
export function readPrivateKey(input: string | Uint8Array, passphrase?: string): KeyObject | DecryptJob {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > MAX_KEY_INPUT_BYTES) {
    throw new CertdeskError(
      'INPUT_TOO_LARGE',
      `The key input is ${Math.ceil(size / 1024)} KiB; a private key is a few KiB at most. Choose the key file itself.`,
      { field: 'key' },
    );
  }
  return typeof input !== 'string' && input[0] === 0x30
    ? readDer(input, passphrase)
    : readPem(typeof input === 'string' ? input : bufferView(input).toString('latin1'), passphrase);
}

/** The PKCS#8 DER and supported type of a decoded key (refusing weak and unsupported ones). */
export function parsedKey(key: KeyObject): ParsedPrivateKey {
  const keyType = supportedKeyType(key);
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const pkcs8 = new Uint8Array(der);
  der.fill(0); // the copy above is the caller's to zero
  return { pkcs8, keyType };
}

/** Encrypts a PKCS#8 key as `ENCRYPTED PRIVATE KEY` PEM: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC. */
export function encryptPkcs8Pem(pkcs8: Uint8Array, passphrase: string): string {
  assertExportPassphrase(passphrase);
  // Validate first: encrypting bytes that are not a key would only fail later, at the recipient.
  decodeWith(() => createPrivateKey({ key: bufferView(pkcs8), format: 'der', type: 'pkcs8' }), false);
  // Built by hand rather than with KeyObject.export({ cipher }) because that fixes PBKDF2 at 2048 iterations.
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const secret = new TextEncoder().encode(passphrase);
  const kek = pbkdf2Sync(secret, salt, EXPORT_KDF_ITERATIONS, 32, 'sha256');
  secret.fill(0);
  const cipher = createCipheriv('aes-256-cbc', kek, iv);
  const encrypted = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  kek.fill(0);
  const oid = (value: string) => new asn1js.ObjectIdentifier({ value });
  const der = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          oid('1.2.840.113549.1.5.13'), // PBES2
          new asn1js.Sequence({
            value: [
              new asn1js.Sequence({
                value: [
                  oid('1.2.840.113549.1.5.12'), // PBKDF2
                  new asn1js.Sequence({
                    value: [
                      new asn1js.OctetString({ valueHex: salt }),
                      new asn1js.Integer({ value: EXPORT_KDF_ITERATIONS }),
                      new asn1js.Sequence({ value: [oid('1.2.840.113549.2.9'), new asn1js.Null()] }), // hmacWithSHA256
                    ],
                  }),
                ],
              }),
              new asn1js.Sequence({ value: [oid('2.16.840.1.101.3.4.1.42'), new asn1js.OctetString({ valueHex: iv })] }), // aes256-CBC
            ],
          }),
        ],
      }),
      new asn1js.OctetString({ valueHex: encrypted }),
    ],
  }).toBER();
  return toPem(new Uint8Array(der), 'ENCRYPTED PRIVATE KEY');
}

/** Throws PASSPHRASE_TOO_SHORT unless the passphrase has at least MIN_EXPORT_PASSPHRASE characters. */
export function assertExportPassphrase(passphrase: string): void {
  // Characters as a person counts them (code points), not UTF-16 units.
  if ([...passphrase].length < MIN_EXPORT_PASSPHRASE) {
    throw new CertdeskError(
      'PASSPHRASE_TOO_SHORT',
      `The passphrase must be at least ${MIN_EXPORT_PASSPHRASE} characters long; a few random words make a good one.`,
      { field: 'passphrase' },
    );
  }
}

function readPem(text: string, passphrase: string | undefined): KeyObject | DecryptJob {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  const keys = blocks.filter((b) => KEY_LABELS.includes(b[1] ?? ''));
  const [block] = keys;
  if (!block) {
    const labels = blocks.map((b) => b[1]);
    if (labels.includes('DSA PRIVATE KEY')) {
      throw new CertdeskError('KEY_TYPE_UNSUPPORTED', 'DSA keys are not supported; use RSA 2048, 3072 or 4096, or ECDSA P-256/P-384.', {
        field: 'key',
      });
    }
    if (labels.includes('OPENSSH PRIVATE KEY')) {
      throw new CertdeskError(
        'PEM_INVALID',
        'This is an OpenSSH-format key; convert it to PKCS#8 first with `ssh-keygen -p -m PKCS8 -f <copy of the key file>`.',
        { field: 'key' },
      );
    }
    const found =
      labels.length > 0
        ? `only ${[...new Set(labels)].join(', ')} blocks`
        : text.includes('-----BEGIN')
          ? 'a PEM block without its END line (truncated?)'
          : 'no PEM block';
    throw new CertdeskError(
      'PEM_INVALID',
      `No private key found: the input holds ${found}. Give a PEM or DER private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY).`,
      { field: 'key' },
    );
  }
  if (keys.length > 1)
    throw new CertdeskError('PEM_INVALID', `The input holds ${keys.length} private keys; give exactly one.`, { field: 'key' });

  const label = block[1] ?? '';
  const { headers, body } = splitPemHeaders(block[2] ?? '');
  const legacyEncrypted = /^Proc-Type:\s*4,\s*ENCRYPTED\s*$/im.test(headers);
  const encrypted = label === 'ENCRYPTED PRIVATE KEY' || legacyEncrypted;
  // The DER is decoded only to check it (OpenSSL reads the PEM text itself), and zeroed after: for a plain key it is the key.
  const bytes = decodeBase64(body, label);
  try {
    // Legacy encrypted PEM holds raw ciphertext (whole cipher blocks); everything else must be one DER SEQUENCE.
    const intact = legacyEncrypted ? bytes.length > 0 && bytes.length % 8 === 0 : derSequenceInnerTag(bytes) !== undefined;
    if (!intact)
      throw new CertdeskError('PEM_INVALID', `The ${label} block is damaged or truncated; copy the whole key file again.`, {
        field: 'key',
      });
    if (!encrypted) return decodeWith(() => createPrivateKey({ key: block[0], format: 'pem' }), false);
    const given = requirePassphrase(passphrase);
    if (label === 'ENCRYPTED PRIVATE KEY') assertKdfCost(bytes);
    return { key: block[0], format: 'pem', passphrase: given };
  } finally {
    bytes.fill(0);
  }
}

function readDer(der: Uint8Array, passphrase: string | undefined): KeyObject | DecryptJob {
  const innerTag = derSequenceInnerTag(der);
  if (innerTag === undefined)
    throw new CertdeskError(
      'PEM_INVALID',
      'The key is neither PEM text nor a complete DER structure (damaged or truncated?). Give the key file itself.',
      { field: 'key' },
    );
  // EncryptedPrivateKeyInfo opens with its AlgorithmIdentifier (a SEQUENCE); the plain forms with a version INTEGER.
  if (innerTag === 0x30) {
    const given = requirePassphrase(passphrase);
    assertKdfCost(der);
    // A copy in memory of its own (not a slice of the shared pool): the job travels to a worker, which would
    // otherwise be sent the whole buffer the bytes sit in.
    return { key: Buffer.from(toArrayBuffer(der)), format: 'der', type: 'pkcs8', passphrase: given };
  }
  const key = bufferView(der);
  // DER carries no label: try each plain structure in turn and report the first failure if none fits.
  let firstError: unknown;
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key, format: 'der', type });
    } catch (error) {
      firstError ??= error;
    }
  }
  return decodeWith(() => {
    throw firstError;
  }, false);
}

function requirePassphrase(passphrase: string | undefined): string {
  if (passphrase === undefined || passphrase === '') {
    throw new CertdeskError('VALIDATION', 'This key is encrypted; give its passphrase.', { field: 'keyPassphrase' });
  }
  return passphrase;
}

/** Runs an OpenSSL decode, translating its errors; never echoes key bytes or the passphrase. */
export function decodeWith(decode: () => KeyObject, encrypted: boolean): KeyObject {
  try {
    return decode();
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (encrypted && code === 'ERR_OSSL_EVP_UNSUPPORTED') {
      throw new CertdeskError(
        'PEM_INVALID',
        'The key is encrypted with an obsolete cipher (RC2 or DES) that certdesk does not read. Re-encrypt it: `openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.pem -out new.pem` (add `-provider legacy -provider default`).',
        { field: 'key', cause },
      );
    }
    // The structure was checked intact beforehand, so a failed decryption means the passphrase: a wrong
    // one usually fails the padding check, and about 1 in 256 decrypts to garbage that fails to parse.
    if (encrypted)
      throw new CertdeskError('PASSPHRASE_WRONG', 'The passphrase does not decrypt this key; check it and try again.', {
        field: 'keyPassphrase',
        cause,
      });
    throw new CertdeskError(
      'PEM_INVALID',
      'The private key could not be read: the data is damaged or not a key. Give an RSA or ECDSA private key in PEM or DER.',
      { field: 'key', cause },
    );
  }
}

function supportedKeyType(key: KeyObject): KeyType {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < 2048)
      throw new CertdeskError(
        'KEY_TOO_WEAK',
        `RSA-${bits} is too weak to use; make a new key of RSA 2048, 3072 or 4096 bits, or ECDSA P-256/P-384.`,
        { field: 'key' },
      );
    return asKeyField(() => keyTypeOf(keyAlgorithmOf(key)));
  }
  if (key.asymmetricKeyType === 'ec') return asKeyField(() => keyTypeOf(keyAlgorithmOf(key)));
  const names: Record<string, string> = {
    'rsa-pss': 'RSA-PSS (restricted)',
    ed25519: 'Ed25519',
    ed448: 'Ed448',
    x25519: 'X25519',
    x448: 'X448',
    dsa: 'DSA',
    dh: 'DH',
  };
  const type = key.asymmetricKeyType ?? 'unknown';
  throw new CertdeskError(
    'KEY_TYPE_UNSUPPORTED',
    `${names[type] ?? type.toUpperCase()} keys are not supported; use RSA 2048, 3072 or 4096, or ECDSA P-256/P-384.`,
    { field: 'key' },
  );
}

/** keyTypeOf blames the `keyType` field of a form that generates keys; here the fault is the imported key. */
function asKeyField(classify: () => KeyType): KeyType {
  try {
    return classify();
  } catch (error) {
    if (isCertdeskError(error)) throw new CertdeskError(error.code, error.message, { field: 'key', cause: error });
    throw error;
  }
}

/** Separates RFC 1421 headers (`Proc-Type`, `DEK-Info`) from the base64 body of a PEM block. */
function splitPemHeaders(content: string): { headers: string; body: string } {
  const trimmed = content.replace(/^\s+/, '');
  if (!/^[A-Za-z-]+:/.test(trimmed)) return { headers: '', body: trimmed };
  const end = trimmed.search(/\r?\n\s*\r?\n/);
  return end < 0 ? { headers: trimmed, body: '' } : { headers: trimmed.slice(0, end), body: trimmed.slice(end) };
}

function decodeBase64(body: string, label: string): Uint8Array {
  const compact = body.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    throw new CertdeskError(
      'PEM_INVALID',
      `The ${label} block is not valid base64 (damaged or truncated?); copy the whole key file again.`,
      { field: 'key' },
    );
  }
  // Memory of its own, not a slice of Node's shared pool: the caller zeroes it, and no other copy is left.
  const bytes = Buffer.allocUnsafeSlow((compact.length / 4) * 3 - (compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0));
  bytes.write(compact, 'base64');
  return bytes;
}

/** The tag of the first element inside `der` if it is exactly one definite-length SEQUENCE; otherwise undefined. */
function derSequenceInnerTag(der: Uint8Array): number | undefined {
  if (der.length < 3 || der[0] !== 0x30) return undefined;
  const first = der[1] ?? 0;
  let length = first;
  let header = 2;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4 || der.length < 2 + count) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[2 + i] ?? 0);
    header = 2 + count;
  }
  return header + length === der.length && length > 0 ? der[header] : undefined;
}
