import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomSerialHex } from '../../src/main/core/pki/serial.ts';
import { thumbprints } from '../../src/main/core/pki/thumbprints.ts';

describe('serials', () => {
  it('are 128-bit, positive and distinct', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const hex = randomSerialHex();
      expect(hex).toMatch(/^[0-9a-f]{32}$/);
      const first = Number.parseInt(hex.slice(0, 2), 16);
      expect(first & 0x80).toBe(0); // positive without a leading zero octet
      expect(first).toBeGreaterThan(0); // always exactly 16 octets
      seen.add(hex);
    }
    expect(seen.size).toBe(2000);
  });
});

describe('thumbprints', () => {
  it('match SHA-256/SHA-1 of the DER, with x5t#S256 as unpadded base64url', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 512 }), (der) => {
        const t = thumbprints(der);
        const sha256 = createHash('sha256').update(der).digest();
        expect(t.sha256Hex).toBe(sha256.toString('hex'));
        expect(Buffer.from(t.sha256Base64url, 'base64url').equals(sha256)).toBe(true);
        expect(t.sha256Base64url).not.toMatch(/[=+/]/);
        expect(t.sha1Hex).toBe(createHash('sha1').update(der).digest('hex'));
      }),
    );
  });
});
