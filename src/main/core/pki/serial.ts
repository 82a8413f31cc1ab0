import { defaultCrypto } from './x509.ts';
import type { Crypto } from './webcrypto.ts';

/**
 * A 128-bit random, positive serial as hex (RFC 5280 §4.1.2.2 allows up to 20 octets; CA/B asks for
 * ≥ 64 bits of entropy). The top bit is cleared so the DER INTEGER stays positive without padding,
 * and the first octet is kept non-zero so the encoding is always exactly 16 octets.
 */
export function randomSerialHex(crypto: Crypto = defaultCrypto): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}
