import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, webcrypto } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initInbox } from '../../src/main/core/delivery/csr-inbox-answer.ts';
import { expectationFromCertificate, readInbox, type InboxExpectation } from '../../src/main/core/delivery/csr-inbox.ts';
import { x509 } from '../../src/main/core/pki/x509.ts';
import { CertdeskError } from '../../src/main/core/errors.ts';
import { csrFor, emptyInbox, inboxPki, newKey, SAN, snapshot, SUBJECT, type InboxPki } from '../support/inbox-pki.ts';
import { openssl } from '../support/openssl.ts';
import { tempDir } from '../support/temp.ts';

const AT = new Date('2026-12-05T06:00:00.123Z');
const REJECTED = '20261205T060000.123Z-request.csr';
const now = () => AT;

let pki: InboxPki;
let expectation: InboxExpectation;

beforeAll(() => {
  pki = inboxPki();
  expectation = expectationFromCertificate(pki.predecessorDer, [{ type: 'dns', value: SAN }]);
});
afterAll(() => pki.dispose());

/** A laid-out inbox holding `request.csr` with these bytes. */
function inboxWith(bytes: string | Uint8Array): string {
  const inbox = emptyInbox();
  initInbox(inbox);
  writeFileSync(join(inbox, 'request.csr'), bytes);
  return inbox;
}

function freshCsr(subject = SUBJECT, extra: string[] = []): string {
  return csrFor(newKey(join(tempDir(), 'next.key')), subject, extra);
}

function der(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
}

/** A key's SPKI DER, as openssl writes it. */
function spkiDer(keyPath: string): Buffer {
  return der(openssl(['pkey', '-in', keyPath, '-pubout']).stdout);
}

function pem(bytes: Uint8Array): string {
  return `-----BEGIN CERTIFICATE REQUEST-----\n${Buffer.from(bytes).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
}

/**
 * Reads the inbox and proves the refusal: `request.csr` moved (the very entry, unchanged) to
 * rejected/ with a one-line reason beginning with the code, nothing issued, nothing else changed.
 */
async function expectRefused(inbox: string, code: string): Promise<string> {
  const before = snapshot(inbox);
  const result = await readInbox(inbox, expectation, { now });
  expect(result).toMatchObject({ kind: 'rejected', code, rejectedFile: `rejected/${REJECTED}` });
  const after = snapshot(inbox);
  const expected: Record<string, string> = { ...before, [`rejected/${REJECTED}`]: before['request.csr'] ?? 'missing' };
  delete expected['request.csr'];
  expected[`rejected/${REJECTED}.reason`] = after[`rejected/${REJECTED}.reason`] ?? 'missing';
  expect(after).toEqual(expected);
  expect(after[`rejected/${REJECTED}.reason`]).toMatch(/^file 644 /);
  const reason = readFileSync(join(inbox, 'rejected', `${REJECTED}.reason`), 'utf8');
  expect(reason).toMatch(new RegExp(`^${code} \\S.*\\n$`));
  expect(reason.trimEnd()).not.toContain('\n');
  expect(readdirSync(join(inbox, 'issued'))).toEqual([]);
  return reason;
}

describe('readInbox: what it accepts', () => {
  it('is empty when no request.csr is there, and ignores a CSR still under its temporary name', async () => {
    const inbox = emptyInbox();
    initInbox(inbox);
    writeFileSync(join(inbox, '.request.csr.tmp'), freshCsr().slice(0, 200));
    writeFileSync(join(inbox, 'request.csr.tmp'), freshCsr());
    const before = snapshot(inbox);
    expect(await readInbox(inbox, expectation, { now })).toEqual({ kind: 'empty' });
    expect(snapshot(inbox)).toEqual(before);
  });

  it('accepts an openssl CSR with a new key and the predecessor subject, and leaves it in place', async () => {
    const key = newKey(join(tempDir(), 'next.key'));
    const csr = csrFor(key, SUBJECT, ['-addext', `subjectAltName=DNS:${SAN}`]);
    const inbox = inboxWith(csr);
    const before = snapshot(inbox);
    const result = await readInbox(inbox, expectation, { now });
    expect(result).toMatchObject({ kind: 'csr', keyType: 'ec-p256' });
    if (result.kind !== 'csr') throw new Error('unreachable');
    expect(der(result.csrPem)).toEqual(der(csr));
    expect(result.publicKeySha256Hex).toBe(createHash('sha256').update(spkiDer(key)).digest('hex'));
    expect(snapshot(inbox)).toEqual(before);
  });

  it('accepts a WebCrypto CSR, and compares the subject under the one DN rule (case folds)', async () => {
    const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const request = await x509.Pkcs10CertificateRequestGenerator.create({
      name: [{ C: ['US'] }, { O: ['acme'] }, { CN: ['Payments-Worker'] }],
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    });
    const inbox = inboxWith(request.toString('pem'));
    expect(await readInbox(inbox, expectation, { now })).toMatchObject({ kind: 'csr' });
  });
});

describe('readInbox: each refusal moves the request to rejected/ with its reason, and changes nothing else', () => {
  it('refuses a CSR with another subject, or the same names in another order', async () => {
    const reason = await expectRefused(inboxWith(freshCsr('/C=US/O=Acme/CN=someone-else')), 'CSR_SUBJECT_MISMATCH');
    expect(reason).toContain('CN=payments-worker,O=Acme,C=US');
    await expectRefused(inboxWith(freshCsr('/O=Acme/C=US/CN=payments-worker')), 'CSR_SUBJECT_MISMATCH');
  });

  it("refuses a CSR that reuses the predecessor's key", async () => {
    await expectRefused(inboxWith(csrFor(pki.predecessorKey, SUBJECT)), 'CSR_KEY_REUSED');
  });

  it('refuses a CSR whose signature byte was altered', async () => {
    const bytes = der(freshCsr());
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
    await expectRefused(inboxWith(pem(bytes)), 'CSR_SIGNATURE_INVALID');
  });

  it('refuses a CSR signed by an unrelated key (its public key swapped for another)', async () => {
    const signer = newKey(join(tempDir(), 'signer.key'));
    const other = newKey(join(tempDir(), 'other.key'));
    const bytes = der(csrFor(signer, SUBJECT));
    const at = bytes.indexOf(spkiDer(signer));
    expect(at).toBeGreaterThan(0);
    spkiDer(other).copy(bytes, at);
    expect(openssl(['req', '-noout', '-verify'], pem(bytes)).output).toMatch(/verify failure/i);
    await expectRefused(inboxWith(pem(bytes)), 'CSR_SIGNATURE_INVALID');
  });

  it("refuses a CSR asking for a SAN the predecessor does not have (issuance's SAN rule too)", async () => {
    await expectRefused(inboxWith(freshCsr(SUBJECT, ['-addext', 'subjectAltName=DNS:other.example.com'])), 'CSR_SAN_INVALID');
    await expectRefused(inboxWith(freshCsr(SUBJECT, ['-addext', 'subjectAltName=IP:127.0.0.1'])), 'CSR_SAN_INVALID');
  });

  it('refuses an oversize file unread, text that is not PEM, and a CSR asking for CA powers', async () => {
    await expectRefused(inboxWith(Buffer.alloc(64 * 1024 + 1, 0x41)), 'INPUT_TOO_LARGE');
    await expectRefused(inboxWith('hello, this is not a CSR\n'), 'PEM_INVALID');
    await expectRefused(inboxWith(Buffer.from([0xff, 0xfe, 0x00, 0x80])), 'PEM_INVALID');
    await expectRefused(inboxWith(freshCsr(SUBJECT, ['-addext', 'basicConstraints=critical,CA:TRUE'])), 'CSR_REQUESTS_CA');
  });

  it('refuses a request.csr that is a symlink (moving the link, never its target) or a FIFO', async () => {
    const elsewhere = join(tempDir(), 'planted.csr');
    const csr = freshCsr();
    writeFileSync(elsewhere, csr);
    const inbox = emptyInbox();
    initInbox(inbox);
    symlinkSync(elsewhere, join(inbox, 'request.csr'));
    await expectRefused(inbox, 'FORBIDDEN');
    expect(readFileSync(elsewhere, 'utf8')).toBe(csr);

    const fifoInbox = emptyInbox();
    initInbox(fifoInbox);
    expect(spawnSync('mkfifo', [join(fifoInbox, 'request.csr')]).status).toBe(0);
    await expectRefused(fifoInbox, 'VALIDATION');
  });
});

describe('readInbox: an unsafe inbox folder is a named error, and nothing is touched', () => {
  async function expectUnsafe(path: string, watched: string, pattern: RegExp): Promise<void> {
    const before = snapshot(watched);
    const failure = await readInbox(path, expectation, { now }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CertdeskError);
    expect(failure).toMatchObject({ code: 'FORBIDDEN', field: 'path' });
    expect((failure as Error).message).toMatch(pattern);
    expect(snapshot(watched)).toEqual(before);
  }

  it('refuses an inbox that is a symlink, or reached through one, naming the real path', async () => {
    const inbox = emptyInbox();
    writeFileSync(join(inbox, 'request.csr'), freshCsr());
    const link = join(tempDir(), 'link');
    symlinkSync(inbox, link);
    await expectUnsafe(link, inbox, /symbolic link.*Configure the real path/);
    const parentLink = join(tempDir(), 'parent');
    symlinkSync(join(inbox, '..'), parentLink);
    await expectUnsafe(join(parentLink, 'inbox'), inbox, new RegExp(`leads to ${inbox}`));
    expect(existsSync(join(inbox, 'rejected'))).toBe(false);
  });

  it('refuses a world- or group-writable inbox, and one under a writable non-sticky folder', async () => {
    for (const mode of [0o777, 0o775]) {
      const inbox = emptyInbox();
      writeFileSync(join(inbox, 'request.csr'), freshCsr('/CN=wrong'));
      chmodSync(inbox, mode);
      await expectUnsafe(inbox, inbox, new RegExp(`mode ${mode.toString(8)}.*chmod go-w`));
    }
    const open = realpathSync(tempDir());
    chmodSync(open, 0o777);
    const inbox = join(open, 'inbox');
    mkdirSync(inbox, { mode: 0o755 });
    writeFileSync(join(inbox, 'request.csr'), freshCsr('/CN=wrong'));
    await expectUnsafe(inbox, inbox, /folder above the CSR inbox/);
  });

  it('refuses an inbox another user owns, and a rejected/ folder that is a symlink', async () => {
    let inbox: string;
    if (process.getuid?.() === 0) {
      inbox = emptyInbox();
      writeFileSync(join(inbox, 'request.csr'), freshCsr('/CN=wrong'));
      chownSync(inbox, 65534, 65534);
    } else inbox = '/usr/share'; // root's: refused before anything is read or written
    await expectUnsafe(inbox, join(inbox, process.getuid?.() === 0 ? '.' : 'doc/..'), /not by this user.*StrictModes/);

    const linked = emptyInbox();
    symlinkSync(tempDir(), join(linked, 'rejected'));
    writeFileSync(join(linked, 'request.csr'), freshCsr('/CN=wrong'));
    await expectUnsafe(linked, linked, /rejected is a symbolic link/);
  });
});
