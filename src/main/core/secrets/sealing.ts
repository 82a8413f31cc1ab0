import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CertdeskError } from '../errors.ts';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with the record's id as associated data, so a sealed blob copied onto another row
 * does not open. Layout: version(1) | iv(12) | ciphertext | tag(16).
 */
export function seal(key: Uint8Array, plaintext: Uint8Array, associatedData: string): Uint8Array {
  if (key.length !== 32) throw new Error('seal: the data-encryption key must be 32 bytes');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, body, cipher.getAuthTag()]);
}

export function unseal(key: Uint8Array, sealed: Uint8Array, associatedData: string): Uint8Array {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) {
    throw new CertdeskError('KEY_UNSEAL_FAILED', `The sealed record "${associatedData}" is damaged or of an unknown format.`);
  }
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES);
  let head: Buffer | undefined;
  let tail: Buffer | undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    head = decipher.update(body);
    tail = decipher.final();
    // Copied into memory of its own. Buffer.concat would take it from Node's shared pool, where a plaintext
    // key (the data key, any private key) stayed after the caller zeroed its copy, until the pool was reused.
    const plain = new Uint8Array(head.length + tail.length);
    plain.set(head);
    plain.set(tail, head.length);
    return plain;
  } catch (cause) {
    throw new CertdeskError(
      'KEY_UNSEAL_FAILED',
      `The sealed record "${associatedData}" does not open with this store's data-encryption key: it was altered, moved from another row, or the key in the keychain is not the one it was sealed with.`,
      { cause },
    );
  } finally {
    // The pieces the plaintext came in (unauthenticated ones too, when the tag did not match) leave memory now.
    head?.fill(0);
    tail?.fill(0);
  }
}
