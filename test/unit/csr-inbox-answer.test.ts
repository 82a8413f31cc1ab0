import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerInbox, inboxAnswered, initInbox, type InboxAnswer } from '../../src/main/core/delivery/csr-inbox-answer.ts';
import { expectationFromCertificate, readInbox, type InboxExpectation } from '../../src/main/core/delivery/csr-inbox.ts';
import { csrFor, emptyInbox, inboxPki, newKey, SAN, snapshot, SUBJECT, type InboxPki } from '../support/inbox-pki.ts';
import { openssl } from '../support/openssl.ts';
import { tempDir } from '../support/temp.ts';

let pki: InboxPki;
let expectation: InboxExpectation;

beforeAll(() => {
  pki = inboxPki();
  expectation = expectationFromCertificate(pki.predecessorDer, [{ type: 'dns', value: SAN }]);
});
afterAll(() => pki.dispose());

/** A laid-out inbox where the workload dropped a good CSR, and the CA's answer to it. */
async function requested(serial: string): Promise<{ inbox: string; key: string; csrPem: string; answer: InboxAnswer }> {
  const inbox = emptyInbox();
  initInbox(inbox);
  const key = newKey(join(tempDir(), 'next.key'));
  writeFileSync(join(inbox, 'request.csr'), csrFor(key, SUBJECT));
  const read = await readInbox(inbox, expectation);
  if (read.kind !== 'csr') throw new Error(`expected a CSR, got ${JSON.stringify(read)}`);
  const certPem = pki.sign(read.csrPem, serial);
  return { inbox, key, csrPem: read.csrPem, answer: { certPem, chainPem: pki.issuingPem, fullchainPem: certPem + pki.issuingPem } };
}

const issued = (inbox: string, name: string) => join(inbox, 'issued', name);

describe('answerInbox', () => {
  it('writes cert, chain and fullchain that openssl verifies, for the CSR key, then consumes the request', async () => {
    const { inbox, key, csrPem, answer } = await requested('0b01');
    const request = readFileSync(join(inbox, 'request.csr'), 'utf8');
    expect(answerInbox(inbox, answer)).toEqual({ serialHex: '0b01', consumed: 'issued/request-0b01.csr' });

    expect(existsSync(join(inbox, 'request.csr'))).toBe(false);
    expect(readFileSync(issued(inbox, 'request-0b01.csr'), 'utf8')).toBe(request);
    const verify = openssl(['verify', '-CAfile', pki.rootPath, '-untrusted', issued(inbox, 'chain.pem'), issued(inbox, 'cert.pem')]);
    expect(verify.output).toContain(': OK');
    // The chain is the issuing CA alone: no root.
    const chain = readFileSync(issued(inbox, 'chain.pem'), 'utf8');
    expect(chain.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    expect(openssl(['x509', '-noout', '-subject'], chain).stdout).toContain('Inbox Test Issuing');
    expect(readFileSync(issued(inbox, 'fullchain.pem'), 'utf8')).toBe(readFileSync(issued(inbox, 'cert.pem'), 'utf8') + chain);
    const leafKey = openssl(['x509', '-noout', '-pubkey', '-in', issued(inbox, 'cert.pem')]).stdout;
    expect(leafKey).toBe(openssl(['pkey', '-in', key, '-pubout']).stdout);
    expect(openssl(['x509', '-noout', '-pubkey'], pki.predecessorPem).stdout).not.toBe(leafKey);

    expect(Object.keys(snapshot(inbox)).sort()).toEqual(
      ['issued', 'issued/cert.pem', 'issued/chain.pem', 'issued/fullchain.pem', 'issued/request-0b01.csr', 'rejected'].sort(),
    );
    for (const name of ['cert.pem', 'chain.pem', 'fullchain.pem']) expect(lstatSync(issued(inbox, name)).mode & 0o777).toBe(0o644);
    expect(inboxAnswered(inbox, csrPem)).toMatchObject({ serialHex: '0b01' });
  });

  it('is safe to run again after a crash between writing the answer and consuming the request', async () => {
    const { inbox, csrPem, answer } = await requested('0b02');
    // Before the answer: cert.pem does not certify this key, so the caller signs.
    expect(inboxAnswered(inbox, csrPem)).toBeNull();
    answerInbox(inbox, answer);
    const done = snapshot(inbox);
    // The consuming rename is the last step: undoing it is exactly the state a crash just before it leaves.
    renameSync(issued(inbox, 'request-0b02.csr'), join(inbox, 'request.csr'));

    const again = await readInbox(inbox, expectation);
    expect(again).toMatchObject({ kind: 'csr', csrPem });
    expect(inboxAnswered(inbox, csrPem)).toEqual({ serialHex: '0b02', certPem: answer.certPem });
    expect(answerInbox(inbox, answer)).toEqual({ serialHex: '0b02', consumed: 'issued/request-0b02.csr' });
    expect(snapshot(inbox)).toEqual(done);
    expect(await readInbox(inbox, expectation)).toEqual({ kind: 'empty' });
  });

  it('never consumes a newer CSR the workload dropped after the answer', async () => {
    const { inbox, answer } = await requested('0b03');
    answerInbox(inbox, answer);
    const newer = csrFor(newKey(join(tempDir(), 'newer.key')), SUBJECT);
    writeFileSync(join(inbox, 'request.csr'), newer);
    const before = snapshot(inbox);
    expect(answerInbox(inbox, answer)).toEqual({ serialHex: '0b03', consumed: null });
    expect(snapshot(inbox)).toEqual(before);
    expect(inboxAnswered(inbox, newer)).toBeNull();
  });

  it('replaces a symlink planted at issued/cert.pem instead of writing through it', async () => {
    const { inbox, answer } = await requested('0b04');
    const victim = join(tempDir(), 'victim.txt');
    writeFileSync(victim, 'keep me\n');
    symlinkSync(victim, issued(inbox, 'cert.pem'));
    answerInbox(inbox, answer);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(lstatSync(issued(inbox, 'cert.pem')).isFile()).toBe(true);
    expect(readdirSync(join(inbox, 'issued')).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('refuses an answer whose fullchain is not leaf then chain, or an issued/ that is a symlink, writing nothing', async () => {
    const { inbox, answer } = await requested('0b05');
    const before = snapshot(inbox);
    expect(() => answerInbox(inbox, { ...answer, fullchainPem: pki.issuingPem + answer.certPem })).toThrow(
      expect.objectContaining({ code: 'VALIDATION', field: 'fullchainPem' }),
    );
    expect(() => answerInbox(inbox, { ...answer, certPem: answer.fullchainPem })).toThrow(expect.objectContaining({ field: 'certPem' }));
    expect(snapshot(inbox)).toEqual(before);

    const elsewhere = tempDir();
    const linked = emptyInbox();
    symlinkSync(elsewhere, join(linked, 'issued'));
    expect(() => answerInbox(linked, answer)).toThrow(expect.objectContaining({ code: 'FORBIDDEN', field: 'path' }));
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

describe('initInbox', () => {
  it('makes the inbox and its issued/ and rejected/ folders (0755), once', () => {
    const parent = realpathSync(tempDir());
    const dir = join(parent, 'inbox');
    expect(initInbox(dir)).toEqual({ path: dir, created: [dir, join(dir, 'issued'), join(dir, 'rejected')] });
    for (const path of [dir, join(dir, 'issued'), join(dir, 'rejected')]) expect(lstatSync(path).mode & 0o777).toBe(0o755);
    expect(initInbox(dir)).toEqual({ path: dir, created: [] });
  });

  it('refuses a missing parent, a symlinked inbox and a world-writable one, creating nothing', () => {
    const parent = realpathSync(tempDir());
    expect(() => initInbox(join(parent, 'missing', 'inbox'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND', field: 'path' }));
    expect(readdirSync(parent)).toEqual([]);

    const real = join(parent, 'real');
    mkdirSync(real, { mode: 0o755 });
    symlinkSync(real, join(parent, 'link'));
    expect(() => initInbox(join(parent, 'link'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(readdirSync(real)).toEqual([]);

    const open = join(parent, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(() => initInbox(open)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(readdirSync(open)).toEqual([]);
  });
});
