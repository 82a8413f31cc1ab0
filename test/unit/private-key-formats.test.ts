import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCertdeskError } from '../../src/main/core/errors.ts';
import * as asn1js from 'asn1js';
import { MAX_IMPORT_PBKDF2_ITERATIONS } from '../../src/main/core/pki/kdf-cost.ts';
import { importPkcs8 } from '../../src/main/core/pki/keys.ts';
import { encryptPkcs8Pem, MIN_EXPORT_PASSPHRASE, parsePrivateKey } from '../../src/main/core/pki/private-key-formats.ts';
import type { KeyType } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { tempDir } from '../support/temp.ts';

const PASS = 'correct horse battery staple';

// Keys are made once for the whole file (RSA-4096 takes a while), so this folder outlives single tests.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'certdesk-keys-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs openssl and fails loudly: these commands make fixtures, they are not under test. */
function make(args: string[]): void {
  const r = openssl(args);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.output}`);
}

function path(name: string): string {
  return join(dir, name);
}

/** The SPKI openssl derives from a key file: the independent answer to "is it the same key?". */
function opensslSpki(file: string, passphrase?: string): Buffer {
  const out = join(dir, `${file.split('/').pop()}.spki.der`);
  make(['pkey', '-in', file, ...(passphrase ? ['-passin', `pass:${passphrase}`] : []), '-pubout', '-outform', 'DER', '-out', out]);
  return readFileSync(out);
}

function spkiOf(pkcs8: Uint8Array): Buffer {
  return createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })).export({
    type: 'spki',
    format: 'der',
  });
}

function failure(run: () => unknown): { code: string; field: string | undefined; message: string } {
  try {
    run();
  } catch (error) {
    if (isCertdeskError(error)) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a CertdeskError');
}

interface Form {
  name: string;
  file: string;
  der: boolean;
  passphrase?: string;
}

/**
 * One base key per type, in the format openssl makes it (`genrsa -traditional` → PKCS#1,
 * `ecparam -genkey` → SEC1 with an EC PARAMETERS block before it), then every other form converted
 * from it by openssl.
 */
function makeForms(keyType: KeyType): Form[] {
  const rsa = keyType.startsWith('rsa');
  const base = path(`${keyType}.base.pem`);
  if (rsa) make(['genrsa', '-traditional', '-out', base, keyType.slice(4)]);
  else make(['ecparam', '-genkey', '-name', keyType === 'ec-p256' ? 'prime256v1' : 'secp384r1', '-out', base]);
  const tool = rsa ? 'rsa' : 'ec';
  const f = (suffix: string) => path(`${keyType}.${suffix}`);
  make(['pkcs8', '-topk8', '-nocrypt', '-in', base, '-out', f('p8.pem')]);
  make(['pkcs8', '-topk8', '-nocrypt', '-in', base, '-outform', 'DER', '-out', f('p8.der')]);
  make(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', `pass:${PASS}`, '-in', base, '-out', f('p8enc.pem')]);
  make(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', `pass:${PASS}`, '-in', base, '-outform', 'DER', '-out', f('p8enc.der')]);
  make([tool, '-in', base, ...(rsa ? ['-traditional'] : []), '-outform', 'DER', '-out', f('trad.der')]);
  make([tool, '-in', base, '-aes256', ...(rsa ? ['-traditional'] : []), '-passout', `pass:${PASS}`, '-out', f('legacy.pem')]);
  const traditional = rsa ? 'PKCS#1' : 'SEC1';
  return [
    { name: `${traditional} PEM`, file: base, der: false },
    { name: `${traditional} DER`, file: f('trad.der'), der: true },
    { name: 'PKCS#8 PEM', file: f('p8.pem'), der: false },
    { name: 'PKCS#8 DER', file: f('p8.der'), der: true },
    { name: 'encrypted PKCS#8 PEM', file: f('p8enc.pem'), der: false, passphrase: PASS },
    { name: 'encrypted PKCS#8 DER', file: f('p8enc.der'), der: true, passphrase: PASS },
    { name: 'legacy encrypted PEM (Proc-Type: 4,ENCRYPTED)', file: f('legacy.pem'), der: false, passphrase: PASS },
  ];
}

describe.each(['rsa-2048', 'rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384'] as const)('parsePrivateKey: %s made by openssl', (keyType) => {
  let forms: Form[] = [];
  let expected: Buffer;
  beforeAll(() => {
    forms = makeForms(keyType);
    expected = opensslSpki(forms[0]?.file ?? '');
  });

  it('reads every form as the same key, as PKCS#8 that WebCrypto and openssl accept', async () => {
    expect(forms).toHaveLength(7);
    for (const form of forms) {
      const input = form.der ? new Uint8Array(readFileSync(form.file)) : readFileSync(form.file, 'utf8');
      const parsed = parsePrivateKey(input, form.passphrase);
      expect(parsed.keyType, form.name).toBe(keyType);
      expect(spkiOf(parsed.pkcs8).equals(expected), form.name).toBe(true);
      // Usable by the rest of the core, and plain PKCS#8 to openssl too.
      await expect(importPkcs8(parsed.pkcs8, keyType), form.name).resolves.toBeDefined();
      const p8 = join(dir, `${keyType}.parsed.der`);
      writeFileSync(p8, parsed.pkcs8);
      expect(opensslSpki(p8).equals(expected), form.name).toBe(true);
    }
  });

  it('reads PEM given as bytes, as a file read without an encoding would be', () => {
    const pem = forms.find((f) => f.name === 'legacy encrypted PEM (Proc-Type: 4,ENCRYPTED)');
    const parsed = parsePrivateKey(new Uint8Array(readFileSync(pem?.file ?? '')), PASS);
    expect(spkiOf(parsed.pkcs8).equals(expected)).toBe(true);
  });

  it('names a missing or wrong passphrase for each encrypted form, without echoing it', () => {
    for (const form of forms.filter((f) => f.passphrase)) {
      const input = form.der ? new Uint8Array(readFileSync(form.file)) : readFileSync(form.file, 'utf8');
      expect(
        failure(() => parsePrivateKey(input)),
        form.name,
      ).toMatchObject({ code: 'VALIDATION', field: 'keyPassphrase', message: expect.stringMatching(/encrypted; give its passphrase/) });
      expect(
        failure(() => parsePrivateKey(input, '')),
        form.name,
      ).toMatchObject({ code: 'VALIDATION', field: 'keyPassphrase' });
      const wrong = failure(() => parsePrivateKey(input, 'not the passphrase 42'));
      expect(wrong, form.name).toMatchObject({ code: 'PASSPHRASE_WRONG', field: 'keyPassphrase' });
      expect(wrong.message).not.toContain('not the passphrase 42');
    }
  });
});

describe('parsePrivateKey refusals', () => {
  it('calls every wrong passphrase wrong, also the ~1 in 256 that decrypts to garbage with valid padding', () => {
    const file = path('weak-legacy.pem');
    make(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path('weak-base.pem')]);
    make(['ec', '-in', path('weak-base.pem'), '-aes256', '-passout', `pass:${PASS}`, '-out', file]);
    const pem = readFileSync(file, 'utf8');
    const codes = new Set<string>();
    for (let i = 0; i < 1000; i++) codes.add(failure(() => parsePrivateKey(pem, `wrong passphrase ${i}`)).code);
    expect([...codes]).toEqual(['PASSPHRASE_WRONG']);
  });

  it('refuses RSA-1024 as too weak, also when encrypted', () => {
    make(['genrsa', '-out', path('rsa1024.pem'), '1024']);
    make([
      'pkcs8',
      '-topk8',
      '-v2',
      'aes-256-cbc',
      '-passout',
      `pass:${PASS}`,
      '-in',
      path('rsa1024.pem'),
      '-out',
      path('rsa1024.enc.pem'),
    ]);
    expect(failure(() => parsePrivateKey(readFileSync(path('rsa1024.pem'), 'utf8')))).toMatchObject({
      code: 'KEY_TOO_WEAK',
      field: 'key',
      message: expect.stringMatching(/RSA-1024/),
    });
    expect(failure(() => parsePrivateKey(readFileSync(path('rsa1024.enc.pem'), 'utf8'), PASS))).toMatchObject({
      code: 'KEY_TOO_WEAK',
      field: 'key',
    });
  });

  it.each([
    ['Ed25519', ['genpkey', '-algorithm', 'ED25519', '-out'], /Ed25519/],
    ['Ed448', ['genpkey', '-algorithm', 'ED448', '-out'], /Ed448/],
    ['X25519', ['genpkey', '-algorithm', 'X25519', '-out'], /X25519/],
    ['P-521 (secp521r1)', ['ecparam', '-genkey', '-name', 'secp521r1', '-out'], /P-521/],
    ['secp256k1', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1', '-out'], /secp256k1/],
    ['DSA', ['dsaparam', '-genkey', '-out', '', '1024'], /DSA/],
  ])('refuses %s as an unsupported key type', (name, args, message) => {
    const file = path(`${name.replace(/\W/g, '')}.pem`);
    // The file name goes after -out: in the blank slot, or last.
    make(args.includes('') ? args.map((a) => (a === '' ? file : a)) : [...args, file]);
    expect(failure(() => parsePrivateKey(readFileSync(file, 'utf8')))).toMatchObject({
      code: 'KEY_TYPE_UNSUPPORTED',
      field: 'key',
      message: expect.stringMatching(message),
    });
    // The same key as PKCS#8, PEM and DER: refused by type, not by format.
    make(['pkcs8', '-topk8', '-nocrypt', '-in', file, '-outform', 'DER', '-out', `${file}.p8.der`]);
    expect(failure(() => parsePrivateKey(new Uint8Array(readFileSync(`${file}.p8.der`))))).toMatchObject({
      code: 'KEY_TYPE_UNSUPPORTED',
      field: 'key',
    });
  });

  it('refuses garbage, truncated and keyless input as PEM_INVALID', () => {
    make(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', path('trunc.pem')]);
    make(['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', `pass:${PASS}`, '-in', path('trunc.pem'), '-out', path('trunc.enc.pem')]);
    const pem = readFileSync(path('trunc.pem'), 'utf8');
    const lines = pem.split('\n');
    const encLines = readFileSync(path('trunc.enc.pem'), 'utf8').split('\n');
    const der = new Uint8Array(createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' }));
    const cases: Array<[string, string | Uint8Array, string?]> = [
      ['garbage text', 'hello, this is not a key'],
      ['empty', ''],
      ['cut off before END', pem.slice(0, pem.length / 2)],
      ['middle lines lost', [...lines.slice(0, 5), ...lines.slice(10)].join('\n')],
      ['a line damaged', [...lines.slice(0, 5), '!!!!' + (lines[5] ?? '').slice(4), ...lines.slice(6)].join('\n')],
      ['encrypted, middle lines lost', [...encLines.slice(0, 5), ...encLines.slice(10)].join('\n'), PASS],
      ['truncated DER', der.subarray(0, der.length - 40)],
      ['DER-looking garbage', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05])],
      ['random bytes', new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256))],
      ['a certificate, not a key', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'],
      ['two keys', `${pem}\n${pem}`],
    ];
    for (const [name, input, passphrase] of cases) {
      const error = failure(() => parsePrivateKey(input, passphrase));
      expect(error, name).toMatchObject({ code: 'PEM_INVALID', field: 'key' });
      // No key material in messages: no run of the key's base64 survives into them.
      const body = lines.slice(1, -2).join('');
      for (let i = 0; i + 16 <= body.length; i += 16) expect(error.message).not.toContain(body.slice(i, i + 16));
    }
    expect(failure(() => parsePrivateKey('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')).message).toContain(
      'CERTIFICATE',
    );
  });

  it('refuses PKCS#8 encrypted with an obsolete cipher, naming the fix', (ctx) => {
    make(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', path('rc2.base.pem')]);
    const r = openssl([
      'pkcs8',
      '-topk8',
      '-v1',
      'PBE-SHA1-RC2-40',
      '-provider',
      'legacy',
      '-provider',
      'default',
      '-passout',
      `pass:${PASS}`,
      '-in',
      path('rc2.base.pem'),
      '-out',
      path('rc2.pem'),
    ]);
    if (r.status !== 0) ctx.skip(); // openssl built without the legacy provider cannot make the fixture
    expect(failure(() => parsePrivateKey(readFileSync(path('rc2.pem'), 'utf8'), PASS))).toMatchObject({
      code: 'PEM_INVALID',
      field: 'key',
      message: expect.stringMatching(/obsolete cipher/),
    });
  });

  it('refuses a 10 MB input by its size before parsing it, as text and as bytes', () => {
    const huge = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(10 * 1024 * 1024)}\n-----END PRIVATE KEY-----\n`;
    expect(failure(() => parsePrivateKey(huge))).toMatchObject({ code: 'INPUT_TOO_LARGE', field: 'key' });
    expect(failure(() => parsePrivateKey(new Uint8Array(10 * 1024 * 1024).fill(0x30), PASS))).toMatchObject({
      code: 'INPUT_TOO_LARGE',
      field: 'key',
    });
    // Just under the cap, garbage is refused as such (no pathological regex time).
    expect(failure(() => parsePrivateKey(`-----BEGIN PRIVATE KEY-----\n${'-----BEGIN '.repeat(20_000)}`))).toMatchObject({
      code: 'PEM_INVALID',
    });
  });
});

/** The same encrypted PKCS#8 DER with the KDF's integer at `index` (in the KDF's parameter SEQUENCE) set to `value`. */
function withKdfInteger(der: Uint8Array, index: number, value: number): Uint8Array {
  const root = asn1js.fromBER(der).result as asn1js.Sequence;
  const algorithm = root.valueBlock.value[0] as asn1js.Sequence;
  const pbes2 = algorithm.valueBlock.value[1] as asn1js.Sequence;
  const kdf = pbes2.valueBlock.value[0] as asn1js.Sequence;
  const params = kdf.valueBlock.value[1] as asn1js.Sequence;
  params.valueBlock.value[index] = new asn1js.Integer({ value });
  return new Uint8Array(root.toBER());
}

describe('parsePrivateKey: the cost an encrypted key asks for', () => {
  it('refuses PBKDF2 rounds and scrypt memory beyond any honest file, before running them', () => {
    make(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path('kdf.pem')]);
    make([
      'pkcs8',
      '-topk8',
      '-v2',
      'aes-256-cbc',
      '-iter',
      '2048',
      '-in',
      path('kdf.pem'),
      '-outform',
      'DER',
      '-out',
      path('kdf.pbkdf2.der'),
      '-passout',
      `pass:${PASS}`,
    ]);
    make([
      'pkcs8',
      '-topk8',
      '-v2',
      'aes-256-cbc',
      '-scrypt',
      '-scrypt_N',
      '16384',
      '-scrypt_r',
      '8',
      '-scrypt_p',
      '1',
      '-in',
      path('kdf.pem'),
      '-outform',
      'DER',
      '-out',
      path('kdf.scrypt.der'),
      '-passout',
      `pass:${PASS}`,
    ]);
    const pbkdf2 = new Uint8Array(readFileSync(path('kdf.pbkdf2.der')));
    const scrypt = new Uint8Array(readFileSync(path('kdf.scrypt.der')));
    // As openssl wrote them, both open.
    expect(parsePrivateKey(pbkdf2, PASS).keyType).toBe('ec-p256');
    expect(parsePrivateKey(scrypt, PASS).keyType).toBe('ec-p256');
    // 2^31 - 1 rounds would hold the process for minutes; N = 2^24 would ask scrypt for 16 GiB.
    const greedy = [withKdfInteger(pbkdf2, 1, 2 ** 31 - 1), withKdfInteger(scrypt, 1, 2 ** 24)];
    for (const der of greedy) {
      expect(failure(() => parsePrivateKey(der, PASS))).toMatchObject({ code: 'PEM_INVALID', field: 'key' });
      const pem = `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${Buffer.from(der).toString('base64')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
      expect(failure(() => parsePrivateKey(pem, PASS))).toMatchObject({ code: 'PEM_INVALID', field: 'key' });
    }
    expect(failure(() => parsePrivateKey(greedy[0]!, PASS)).message).toMatch(/2,147,483,647 PBKDF2 rounds.*-iter 600000/);
    expect(failure(() => parsePrivateKey(greedy[1]!, PASS)).message).toMatch(/scrypt for 16,384 MiB/);
    // Just above the cap: refused by the count, not by running it.
    expect(failure(() => parsePrivateKey(withKdfInteger(pbkdf2, 1, MAX_IMPORT_PBKDF2_ITERATIONS + 1), PASS))).toMatchObject({
      code: 'PEM_INVALID',
    });
  });
});

describe('encryptPkcs8Pem', () => {
  let pkcs8: Uint8Array;
  beforeAll(() => {
    make(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', path('export.pem')]);
    pkcs8 = parsePrivateKey(readFileSync(path('export.pem'), 'utf8')).pkcs8;
  });

  it('writes PBES2 / PBKDF2-HMAC-SHA256 (100 000 iterations) / AES-256-CBC that openssl decrypts to the same key', () => {
    const d = tempDir();
    const pem = encryptPkcs8Pem(pkcs8, PASS);
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END ENCRYPTED PRIVATE KEY-----\n$/);
    writeFileSync(join(d, 'enc.pem'), pem);
    const structure = openssl(['asn1parse', '-in', join(d, 'enc.pem')]);
    expect(structure.status, structure.output).toBe(0);
    expect(structure.stdout).toMatch(/OBJECT +:PBES2/);
    expect(structure.stdout).toMatch(/OBJECT +:PBKDF2/);
    expect(structure.stdout).toMatch(/INTEGER +:0186A0/); // 100 000
    expect(structure.stdout).toMatch(/OBJECT +:hmacWithSHA256/);
    expect(structure.stdout).toMatch(/OBJECT +:aes-256-cbc/);
    const decrypted = openssl(['pkcs8', '-in', join(d, 'enc.pem'), '-passin', `pass:${PASS}`]);
    expect(decrypted.status, decrypted.output).toBe(0);
    expect(createPrivateKey(decrypted.stdout).equals(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }))).toBe(
      true,
    );
    const wrong = openssl(['pkcs8', '-in', join(d, 'enc.pem'), '-passin', 'pass:not the passphrase']);
    expect(wrong.status).not.toBe(0);
  });

  it('round-trips through parsePrivateKey, with a fresh salt and IV each time', () => {
    const a = encryptPkcs8Pem(pkcs8, PASS);
    expect(a).not.toBe(encryptPkcs8Pem(pkcs8, PASS));
    expect(Buffer.from(parsePrivateKey(a, PASS).pkcs8).equals(Buffer.from(pkcs8))).toBe(true);
    expect(failure(() => parsePrivateKey(a, 'not the passphrase'))).toMatchObject({ code: 'PASSPHRASE_WRONG' });
  });

  it('counts passphrase characters as people do, and uses UTF-8 as openssl does', () => {
    expect(MIN_EXPORT_PASSPHRASE).toBe(12);
    expect(failure(() => encryptPkcs8Pem(pkcs8, 'elevenchars'))).toMatchObject({ code: 'PASSPHRASE_TOO_SHORT', field: 'passphrase' });
    expect(failure(() => encryptPkcs8Pem(pkcs8, '☃☃☃☃☃☃🔑🔑🔑🔑🔑'))).toMatchObject({ code: 'PASSPHRASE_TOO_SHORT' }); // 11 characters, 16 UTF-16 units
    const passphrase = 'twelve chärs';
    const d = tempDir();
    writeFileSync(join(d, 'enc.pem'), encryptPkcs8Pem(pkcs8, passphrase));
    const decrypted = openssl(['pkcs8', '-in', join(d, 'enc.pem'), '-passin', `pass:${passphrase}`]);
    expect(decrypted.status, decrypted.output).toBe(0);
  });

  it('refuses bytes that are not a PKCS#8 key', () => {
    expect(failure(() => encryptPkcs8Pem(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), PASS))).toMatchObject({
      code: 'PEM_INVALID',
      field: 'key',
    });
  });
});
