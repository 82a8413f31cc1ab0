import { spawnSync } from 'node:child_process';
import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorityCertificate } from '../../src/main/core/ca/create-authority.ts';
import { isCertdeskError } from '../../src/main/core/errors.ts';
import { keySpec } from '../../src/main/core/pki/key-types.ts';
import { exportPkcs8, generateKeyPair, importPkcs8, importSigningKey } from '../../src/main/core/pki/keys.ts';
import { buildName } from '../../src/main/core/pki/names.ts';
import { buildPkcs12 } from '../../src/main/core/pki/pkcs12.ts';
import { randomSerialHex } from '../../src/main/core/pki/serial.ts';
import { x509 } from '../../src/main/core/pki/x509.ts';
import type { KeyType } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { tempDir } from '../support/temp.ts';

const PASS = 'correct horse battery staple';
const NOT_BEFORE = new Date(Date.now() - 60_000);
const NOT_AFTER = new Date(Date.now() + 86_400_000);

interface Bundle {
  leaf: Uint8Array;
  chain: Uint8Array[];
  pkcs8: Uint8Array;
}

/** Root → issuing CA → leaf, all made by certdesk's own CA code and @peculiar/x509. */
async function makeBundle(leafKeyType: KeyType, commonName = 'client.example'): Promise<Bundle> {
  const root = await createAuthorityCertificate({
    subject: { commonName: 'Test Root', organization: 'Acme' },
    keyType: 'ec-p256',
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
  });
  const rootKey = importSigningKey(root.pkcs8, 'ec-p256');
  const issuing = await createAuthorityCertificate({
    subject: { commonName: 'Test Issuing', organization: 'Acme' },
    keyType: 'ec-p384',
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    issuer: { certificate: root.certificate, ...rootKey, keyType: 'ec-p256' },
  });
  const keys = await generateKeyPair(leafKeyType);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: buildName({ commonName, organization: 'Acme' }),
    issuer: issuing.certificate.subjectName,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    publicKey: keys.publicKey,
    signingKey: await importPkcs8(issuing.pkcs8, 'ec-p384'),
    signingAlgorithm: keySpec('ec-p384').sign,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
  });
  return {
    leaf: new Uint8Array(leaf.rawData),
    chain: [new Uint8Array(issuing.certificate.rawData), new Uint8Array(root.certificate.rawData)],
    pkcs8: await exportPkcs8(keys.privateKey),
  };
}

function pemBlocks(text: string, label: string): string[] {
  return [...text.matchAll(new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g'))].map((m) => m[0]);
}

function writeP12(bytes: Uint8Array): string {
  const file = join(tempDir(), 'bundle.p12');
  writeFileSync(file, bytes);
  return file;
}

/**
 * What `openssl asn1parse` shows that DER forbids, descending (-strparse) into every OCTET STRING that
 * holds a structure: BER-only readers accept such files, strict DER readers (Go's, for one) do not.
 */
function berFindings(file: string, path: string[] = []): string[] {
  const parsed = openssl(['asn1parse', '-inform', 'DER', '-in', file, ...path.flatMap((offset) => ['-strparse', offset])]);
  // Below the top, a ciphertext or salt that merely starts with 0x30 is not a structure: skip it.
  if (parsed.status !== 0) return path.length === 0 ? [parsed.output] : [];
  const lines = parsed.stdout.split('\n');
  const findings = lines.filter((line) => /l=inf|cons: +OCTET STRING/.test(line)).map((line) => `${path.join('/')}: ${line.trim()}`);
  for (const line of lines) {
    const nested = /^\s*(\d+):d=\d+\s+hl=\d+ l=\s*\d+ prim: +OCTET STRING\s+\[HEX DUMP\]:30/.exec(line);
    if (nested?.[1]) findings.push(...berFindings(file, [...path, nested[1]]));
  }
  return findings;
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; field: string | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isCertdeskError(error)) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a CertdeskError');
}

describe.each(['ec-p256', 'rsa-2048'] as const)('buildPkcs12 with a %s leaf', (leafKeyType) => {
  let bundle: Bundle;
  let p12: Uint8Array;

  beforeAll(async () => {
    bundle = await makeBundle(leafKeyType);
    p12 = await buildPkcs12({ certificate: bundle.leaf, chain: bundle.chain, pkcs8: bundle.pkcs8, passphrase: PASS });
  });

  it('is read by openssl 3 without -legacy: PBES2/PBKDF2/AES-256-CBC everywhere, SHA-256 MAC', () => {
    const file = writeP12(p12);
    const info = openssl(['pkcs12', '-info', '-noout', '-passin', `pass:${PASS}`, '-in', file]);
    expect(info.status, info.output).toBe(0);
    expect(info.output).toMatch(/MAC: sha256, Iteration 100000/);
    expect(info.output).toMatch(/MAC length: 32/);
    expect(info.output).toMatch(/PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256/);
    expect(info.output).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256/);
    expect(info.output).not.toMatch(/RC2|3DES|DES-EDE|pbeWithSHA1|sha1/i);
    expect(info.output).not.toMatch(/error/i);
  });

  it('holds the same key and every certificate, leaf first, linked by localKeyID and named', () => {
    const file = writeP12(p12);
    const out = openssl(['pkcs12', '-in', file, '-nodes', '-passin', `pass:${PASS}`]);
    expect(out.status, out.output).toBe(0);
    const keys = pemBlocks(out.stdout, 'PRIVATE KEY');
    expect(keys).toHaveLength(1);
    expect(createPrivateKey(keys[0] ?? '').equals(createPrivateKey({ key: Buffer.from(bundle.pkcs8), format: 'der', type: 'pkcs8' }))).toBe(
      true,
    );
    const certs = pemBlocks(out.stdout, 'CERTIFICATE').map((pem) => new Uint8Array(new X509Certificate(pem).raw));
    expect(certs).toEqual([bundle.leaf, ...bundle.chain]);
    // The key bag and the leaf's cert bag carry the same localKeyID and the leaf's CN as friendlyName.
    const ids = [...out.stdout.matchAll(/localKeyID: ([0-9A-F ]+)/g)].map((m) => m[1]?.trim());
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    expect(out.stdout.match(/friendlyName: client\.example/g)).toHaveLength(2);
  });

  it('is DER throughout: no indefinite lengths or constructed OCTET STRINGs, down to the bags', () => {
    expect(berFindings(writeP12(p12))).toEqual([]);
  });

  it('fails the MAC check with a wrong passphrase', () => {
    const file = writeP12(p12);
    const info = openssl(['pkcs12', '-info', '-noout', '-passin', 'pass:wrong passphrase!', '-in', file]);
    expect(info.status).not.toBe(0);
    expect(info.output).toMatch(/Mac verify error/i);
  });

  it('is read by Java keytool, a reader that is not OpenSSL (skipped where no JDK is installed)', (ctx) => {
    const file = writeP12(p12);
    const listed = spawnSync('keytool', ['-list', '-v', '-storetype', 'PKCS12', '-keystore', file, '-storepass', PASS], {
      encoding: 'utf8',
    });
    if (listed.error) ctx.skip();
    expect(listed.status, `${listed.stdout}${listed.stderr}`).toBe(0);
    expect(listed.stdout).toContain('Alias name: client.example');
    expect(listed.stdout).toContain('Entry type: PrivateKeyEntry');
    expect(listed.stdout).toContain('Certificate chain length: 3');
  });

  it('loads into a Node TLS context (another OpenSSL-backed consumer)', () => {
    expect(() => createSecureContext({ pfx: Buffer.from(p12), passphrase: PASS })).not.toThrow();
  });
});

describe('buildPkcs12 options and refusals', () => {
  let bundle: Bundle;
  beforeAll(async () => {
    bundle = await makeBundle('ec-p256', 'Ünïcode Client ☃');
  });

  it('honours iterations, a given friendlyName and a non-ASCII passphrase', async () => {
    const passphrase = 'pässwörd-ünïcödé-☃';
    const file = writeP12(
      await buildPkcs12({
        certificate: bundle.leaf,
        chain: [],
        pkcs8: bundle.pkcs8,
        passphrase,
        friendlyName: 'My Laptop',
        iterations: 4096,
      }),
    );
    const info = openssl(['pkcs12', '-info', '-noout', '-passin', `pass:${passphrase}`, '-in', file]);
    expect(info.status, info.output).toBe(0);
    expect(info.output).toMatch(/MAC: sha256, Iteration 4096/);
    expect(info.output).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 4096, PRF hmacWithSHA256/);
    const out = openssl(['pkcs12', '-in', file, '-nodes', '-passin', `pass:${passphrase}`]);
    expect(out.status, out.output).toBe(0);
    expect(out.stdout.match(/friendlyName: My Laptop/g)).toHaveLength(2);
    expect(pemBlocks(out.stdout, 'CERTIFICATE')).toHaveLength(1);
  });

  it('names the bundle after a non-ASCII CN by default', async () => {
    const p12 = await buildPkcs12({ certificate: bundle.leaf, chain: [], pkcs8: bundle.pkcs8, passphrase: PASS, iterations: 2048 });
    const file = writeP12(p12);
    const out = openssl(['pkcs12', '-in', file, '-nodes', '-passin', `pass:${PASS}`]);
    expect(out.status, out.output).toBe(0);
    // OpenSSL 3.0 prints a BMPString's low bytes only, so look for the BMPString itself: the key bag's
    // attributes sit outside any encryption, in the plain Data safe.
    expect(out.stdout).toContain('code Client');
    const bmp = Buffer.from('Ünïcode Client ☃', 'utf16le').swap16();
    expect(Buffer.from(p12).includes(bmp)).toBe(true);
  });

  it('refuses a passphrase shorter than 12 characters', async () => {
    const error = await rejection(
      buildPkcs12({ certificate: bundle.leaf, chain: bundle.chain, pkcs8: bundle.pkcs8, passphrase: 'elevenchars' }),
    );
    expect(error).toMatchObject({ code: 'PASSPHRASE_TOO_SHORT', field: 'passphrase' });
  });

  it('refuses a key that does not belong to the certificate', async () => {
    const other = await makeBundle('ec-p256');
    const error = await rejection(buildPkcs12({ certificate: bundle.leaf, chain: bundle.chain, pkcs8: other.pkcs8, passphrase: PASS }));
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'key' });
  });

  it('refuses out-of-range iterations and damaged inputs', async () => {
    const base = { certificate: bundle.leaf, chain: bundle.chain, pkcs8: bundle.pkcs8, passphrase: PASS };
    expect(await rejection(buildPkcs12({ ...base, iterations: 1000 }))).toMatchObject({ code: 'VALIDATION', field: 'iterations' });
    expect(await rejection(buildPkcs12({ ...base, iterations: 1.5e6 }))).toMatchObject({ code: 'VALIDATION', field: 'iterations' });
    expect(await rejection(buildPkcs12({ ...base, certificate: bundle.leaf.subarray(0, 100) }))).toMatchObject({
      code: 'PEM_INVALID',
      field: 'certificate',
    });
    expect(await rejection(buildPkcs12({ ...base, chain: [new Uint8Array([1, 2, 3])] }))).toMatchObject({
      code: 'PEM_INVALID',
      field: 'chain',
    });
    expect(await rejection(buildPkcs12({ ...base, pkcs8: new Uint8Array([0x30, 0x00]) }))).toMatchObject({
      code: 'PEM_INVALID',
      field: 'key',
    });
  });
});

describe('buildPkcs12 leaves no copy of the key it encrypts', () => {
  it("zeroes the plaintext it hands to the cipher, and the passphrase's bytes", async () => {
    const bundle = await makeBundle('ec-p256');
    const pkcs8 = Buffer.from(bundle.pkcs8);
    const passphrase = Buffer.from(PASS, 'utf8');
    // The real WebCrypto, watched: what pkijs asks it to encrypt, and the password it derives keys from.
    const handed: { data: Uint8Array[]; passwords: Uint8Array[] } = { data: [], passwords: [] };
    const view = (source: ArrayBuffer | ArrayBufferView) =>
      ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : new Uint8Array(source);
    const subtle = new Proxy(webcrypto.subtle, {
      get(target, name) {
        const original = Reflect.get(target, name, target) as (...args: unknown[]) => unknown;
        if (name === 'encrypt')
          return (algorithm: unknown, key: unknown, data: ArrayBuffer | ArrayBufferView) => {
            handed.data.push(view(data));
            return original.call(target, algorithm, key, data);
          };
        if (name === 'importKey')
          return (format: string, data: ArrayBuffer | ArrayBufferView, ...rest: unknown[]) => {
            if (format === 'raw') handed.passwords.push(view(data));
            return original.call(target, format, data, ...rest);
          };
        return typeof original === 'function' ? original.bind(target) : original;
      },
    });
    const crypto = { subtle, getRandomValues: webcrypto.getRandomValues.bind(webcrypto) } as unknown as typeof webcrypto;
    const p12 = await buildPkcs12({ certificate: bundle.leaf, chain: bundle.chain, pkcs8: bundle.pkcs8, passphrase: PASS, crypto });
    // Still a working file, and the caller's own key is untouched.
    const info = openssl(['pkcs12', '-nocerts', '-nodes', '-passin', `pass:${PASS}`, '-in', writeP12(p12)]);
    expect(info.status, info.output).toBe(0);
    expect(createPrivateKey(info.stdout).export({ format: 'der', type: 'pkcs8' }).equals(pkcs8)).toBe(true);
    expect(Buffer.from(bundle.pkcs8).equals(pkcs8)).toBe(true);

    const keyCopies = handed.data.filter((d) => d.byteLength > 0 && Buffer.from(d).includes(pkcs8.subarray(8, 40)));
    const zeroed = handed.data.filter((d) => d.byteLength >= pkcs8.length && d.every((b) => b === 0));
    // Two encryptions (the certificates' bag, the key's bag); the key's plaintext is now all zero.
    expect(handed.data).toHaveLength(2);
    expect(keyCopies).toEqual([]);
    expect(zeroed.length).toBeGreaterThanOrEqual(1);
    // The PBKDF2 password pkijs imported from the caller's passphrase bytes: zeroed too.
    const passwordCopies = handed.passwords.filter((p) => Buffer.from(p).equals(passphrase));
    expect(handed.passwords.length).toBeGreaterThanOrEqual(1);
    expect(passwordCopies).toEqual([]);
  });
});
