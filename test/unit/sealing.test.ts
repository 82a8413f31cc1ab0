import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seal, unseal } from '../../src/main/core/secrets/sealing.ts';

const key = new Uint8Array(randomBytes(32));

describe('sealing (AES-256-GCM, id as associated data)', () => {
  it('round-trips any plaintext and never contains it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 3000 }), fc.string({ minLength: 1, maxLength: 40 }), (plain, id) => {
        const sealed = seal(key, plain, id);
        expect(Buffer.from(sealed).includes(Buffer.from(plain))).toBe(false);
        expect(Buffer.from(unseal(key, sealed, id)).equals(Buffer.from(plain))).toBe(true);
      }),
    );
  });

  it("leaves no copy of the plaintext in Node's shared buffer pool once the caller zeroes its own", () => {
    // Small Buffers come from one shared slab (Buffer.poolSize); a new small allocation shows the current slab.
    // Views, never copies: Buffer.from(typedArray) would itself copy into the pool.
    const view = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const plain = new Uint8Array(randomBytes(121));
    const expected = view(new Uint8Array(plain)); // a copy of its own, to compare with
    const sealed = seal(key, plain, 'key_pool');
    const opened = unseal(key, sealed, 'key_pool');
    expect(view(opened).equals(expected)).toBe(true);
    opened.fill(0);
    const slab = Buffer.from(Buffer.allocUnsafe(1).buffer);
    expect(slab.length).toBe(Buffer.poolSize);
    expect(slab.includes(expected)).toBe(false);
  });

  it('refuses a blob moved to another id', () => {
    const sealed = seal(key, new Uint8Array([1, 2, 3]), 'key_a');
    expect(() => unseal(key, sealed, 'key_b')).toThrow(expect.objectContaining({ code: 'KEY_UNSEAL_FAILED' }));
  });

  it('refuses any single flipped bit, and a wrong key', () => {
    const sealed = seal(key, new Uint8Array(64).fill(7), 'key_a');
    for (let i = 0; i < sealed.length; i++) {
      const copy = new Uint8Array(sealed);
      copy[i] = (copy[i] ?? 0) ^ 0x01;
      expect(() => unseal(key, copy, 'key_a')).toThrow(expect.objectContaining({ code: 'KEY_UNSEAL_FAILED' }));
    }
    expect(() => unseal(new Uint8Array(randomBytes(32)), sealed, 'key_a')).toThrow(expect.objectContaining({ code: 'KEY_UNSEAL_FAILED' }));
  });

  it('refuses a truncated blob with a named error, not a crash', () => {
    expect(() => unseal(key, new Uint8Array(10), 'key_a')).toThrow(expect.objectContaining({ code: 'KEY_UNSEAL_FAILED' }));
  });
});
