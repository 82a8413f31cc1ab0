/**
 * Private keys handed to node:crypto are read in place, never copied into Node's shared buffer pool:
 * small Buffers (every private key) come from one slab that nothing zeroes, so a copy made there stays
 * until the slab is reused. Each case runs one path with a fresh key, then reads the current slab.
 */
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { openSshPrivateKey } from '../../src/main/core/delivery/ssh-client-key.ts';
import { describe, expect, it } from 'vitest';
import { toPem, toPemBytes } from '../../src/main/core/pki/pem.ts';
import { buildRelease } from '../../src/main/core/delivery/release-builder.ts';
import { encryptPkcs8Pem, parsePrivateKey } from '../../src/main/core/pki/private-key-formats.ts';
import { parsePrivateKeyOffThread } from '../../src/main/core/pki/private-key-decrypt.ts';

const freshPkcs8 = (): Uint8Array =>
  new Uint8Array(
    generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      publicKeyEncoding: { type: 'spki', format: 'der' },
    }).privateKey,
  );

/** The slab small Buffers are cut from right now (a new one-byte Buffer is a view of it). */
const currentSlab = (): Buffer => Buffer.from(Buffer.allocUnsafe(1).buffer);

/** `bytes` as a Buffer of its own, to search with (Buffer.from(bytes) would itself copy into the slab). */
const needle = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));

describe("private keys stay out of Node's shared buffer pool", () => {
  it('when a DER key or a PEM key given as bytes is read', () => {
    for (const form of ['der', 'pem'] as const) {
      const pkcs8 = freshPkcs8();
      const input = form === 'der' ? pkcs8 : new TextEncoder().encode(toPem(pkcs8, 'PRIVATE KEY'));
      const parsed = parsePrivateKey(input);
      expect(needle(parsed.pkcs8).equals(needle(pkcs8)), form).toBe(true);
      const slab = currentSlab();
      expect(slab.length).toBe(Buffer.poolSize);
      expect(slab.includes(needle(pkcs8)), `${form}: the key's DER`).toBe(false);
      expect(slab.includes(needle(input)), `${form}: the input`).toBe(false);
    }
  });

  it('when an encrypted key is decrypted in a worker and read back', async () => {
    const pkcs8 = freshPkcs8();
    const parsed = await parsePrivateKeyOffThread(encryptPkcs8Pem(pkcs8, 'correct horse battery staple'), 'correct horse battery staple');
    expect(needle(parsed.pkcs8).equals(needle(pkcs8))).toBe(true);
    expect(currentSlab().includes(needle(pkcs8))).toBe(false);
  });

  it('when a key is checked before it is encrypted for export', () => {
    const pkcs8 = freshPkcs8();
    expect(encryptPkcs8Pem(pkcs8, 'correct horse battery staple')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(currentSlab().includes(needle(pkcs8))).toBe(false);
  });

  it("when an ssh client key is written in OpenSSH's format, none of the copies of its seed is left", () => {
    const pair = generateKeyPairSync('ed25519');
    const pkcs8 = new Uint8Array(pair.privateKey.export({ type: 'pkcs8', format: 'der' }));
    const seed = Buffer.from(pair.privateKey.export({ format: 'jwk' }).d!, 'base64url');
    const seedNeedle = needle(seed);
    seed.fill(0);
    expect(openSshPrivateKey(pkcs8)).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(currentSlab().includes(seedNeedle)).toBe(false);
  });

  it("when a release writes a key as PEM: toPem's bytes, in memory of their own, with no copy in the pool", async () => {
    // The same text as toPem for every length of DER around a line's end (48 bytes make one line of 64).
    for (let length = 0; length <= 150; length++) {
      const der = webcrypto.getRandomValues(new Uint8Array(length));
      expect(toPemBytes(der, 'PRIVATE KEY').toString('latin1'), `${length} bytes`).toBe(toPem(der, 'PRIVATE KEY'));
    }
    const pkcs8 = freshPkcs8();
    const pem = toPem(pkcs8, 'PRIVATE KEY');
    const body = needle(new TextEncoder().encode(pem.split('\n')[1]!));
    const release = await buildRelease({
      cert: {
        id: 'crt_x',
        serialHex: '01',
        sha256Hex: '00',
        notAfter: new Date().toISOString(),
        commonName: 'x',
        certDer: new Uint8Array(0),
      },
      chainPems: [],
      pkcs8,
      keyFormat: 'pem',
      passphrase: null,
      fileNames: { cert: 'cert.pem', chain: 'chain.pem', fullchain: 'fullchain.pem', key: 'key.pem', p12: 'bundle.p12' },
      keyMode: 0o600,
      publicMode: 0o644,
      at: new Date(),
      crypto: webcrypto,
      // Only what a release reads of its certificate's row: the PEM key file does not depend on it.
    } as unknown as Parameters<typeof buildRelease>[0]);
    const key = release.files.find((f) => f.role === 'key')!;
    expect(Buffer.from(key.bytes.buffer, key.bytes.byteOffset, key.bytes.byteLength).toString('latin1')).toBe(pem);
    expect(currentSlab().includes(body)).toBe(false);
    // Memory of its own: not a view of the pool's slab.
    expect(key.bytes.byteLength).toBe(key.bytes.buffer.byteLength);
  });
});
