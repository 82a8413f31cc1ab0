/**
 * certdesk's side of the CSR inbox after signing: the answer in `issued/`, and setting up a new inbox.
 *
 * Safe to run again at every point. The answer's three files are written (chain and fullchain
 * first, cert.pem last, so whoever sees the new cert.pem finds its chain beside it), and only then
 * is `request.csr` moved to `issued/request-<serial>.csr`: its disappearance tells the workload the
 * answer is complete. A crash before that move leaves `request.csr` in place; {@link inboxAnswered}
 * then finds that `issued/cert.pem` already certifies the CSR's key, so the caller answers again
 * with the certificate it has instead of signing a second one. A request is moved only when it
 * carries the answered certificate's key: a newer CSR the workload dropped meanwhile stays.
 */
import { closeSync, constants, fstatSync, openSync, readSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CertdeskError } from '../errors.ts';
import { makeFolderInExistingParent } from '../files/chosen-file.ts';
import { decodePemOrBase64, toArrayBuffer } from '../pki/pem.ts';
import { x509 } from '../pki/x509.ts';
import { spkiSha256Hex } from './csr-inbox.ts';
import {
  checkInboxFolder,
  ensureSubfolder,
  fsyncFolder,
  ISSUED_FOLDER,
  lstatOrNull,
  MAX_CSR_BYTES,
  REJECTED_FOLDER,
  REQUEST_FILE,
  writeAtomic,
} from './csr-inbox-fs.ts';

export const ANSWER_FILES = { cert: 'cert.pem', chain: 'chain.pem', fullchain: 'fullchain.pem' } as const;

export interface InboxAnswer {
  certPem: string;
  /** The issuing chain without the root. */
  chainPem: string;
  /** The leaf, then the chain. */
  fullchainPem: string;
}

/** A small regular file read without following a link; null when absent or not one. */
export function readSmallFile(path: string): string | null {
  const info = lstatOrNull(path);
  if (!info?.isFile() || info.size > MAX_CSR_BYTES) return null;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    if (!fstatSync(fd).isFile()) return null;
    const buffer = Buffer.alloc(MAX_CSR_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    return length > MAX_CSR_BYTES ? null : buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function pemBlocks(pem: string, label: string): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g');
  return [...pem.matchAll(re)].map((m) => decodePemOrBase64(m[0], [label], label.toLowerCase()));
}

/** SHA-256 (hex) of a CSR's SPKI, to compare with a certificate's (no signature check: the CSR was checked when read). */
export function csrKeySha256Hex(csrPem: string): string {
  const der = decodePemOrBase64(csrPem, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'], 'csr');
  return spkiSha256Hex(new x509.Pkcs10CertificateRequest(toArrayBuffer(der)).publicKey);
}

/**
 * Whether `issued/cert.pem` already certifies the key of `csrPem`: then that CSR was answered (or
 * signed and answered before a crash) and must not be signed again. Returns the certificate's serial.
 */
export function inboxAnswered(dir: string, csrPem: string): { serialHex: string; certPem: string } | null {
  const folder = checkInboxFolder(dir);
  const text = readSmallFile(join(folder, ISSUED_FOLDER, ANSWER_FILES.cert));
  const der = text === null ? undefined : safeBlocks(text)[0];
  if (!der) return null;
  const cert = new x509.X509Certificate(toArrayBuffer(der));
  return spkiSha256Hex(cert.publicKey) === csrKeySha256Hex(csrPem)
    ? { serialHex: cert.serialNumber.toLowerCase(), certPem: text ?? '' }
    : null;
}

function safeBlocks(text: string): Uint8Array[] {
  try {
    return pemBlocks(text, 'CERTIFICATE');
  } catch {
    return [];
  }
}

/** Refuses an answer whose fullchain is not the leaf followed by the chain: a caller's mistake, caught before any write. */
function checkAnswer(answer: InboxAnswer): x509.X509Certificate {
  const [leaf, ...rest] = pemBlocks(answer.certPem, 'CERTIFICATE');
  if (!leaf || rest.length > 0)
    throw new CertdeskError('VALIDATION', 'certPem must hold exactly one certificate (the leaf). Nothing was written.', {
      field: 'certPem',
    });
  const chain = pemBlocks(answer.chainPem, 'CERTIFICATE');
  const full = pemBlocks(answer.fullchainPem, 'CERTIFICATE');
  const same = (a: Uint8Array, b: Uint8Array | undefined) => b !== undefined && Buffer.from(a).equals(Buffer.from(b));
  if (full.length !== chain.length + 1 || !same(leaf, full[0]) || !chain.every((c, i) => same(c, full[i + 1])))
    throw new CertdeskError('VALIDATION', 'fullchainPem must be the leaf followed by the chain. Nothing was written.', {
      field: 'fullchainPem',
    });
  return new x509.X509Certificate(toArrayBuffer(leaf));
}

/**
 * Writes the answer to `issued/`, then moves the answered `request.csr` (the one with the
 * certificate's key) to `issued/request-<serial>.csr`. Returns where it went, or null when no
 * such request was there (already moved by an earlier run, or the workload wrote a newer one).
 */
export function answerInbox(dir: string, answer: InboxAnswer): { serialHex: string; consumed: string | null } {
  const cert = checkAnswer(answer);
  const serialHex = cert.serialNumber.toLowerCase();
  const folder = checkInboxFolder(dir);
  const issued = ensureSubfolder(folder, ISSUED_FOLDER);
  writeAtomic(join(issued, ANSWER_FILES.chain), answer.chainPem, 0o644);
  writeAtomic(join(issued, ANSWER_FILES.fullchain), answer.fullchainPem, 0o644);
  writeAtomic(join(issued, ANSWER_FILES.cert), answer.certPem, 0o644);
  const request = join(folder, REQUEST_FILE);
  const text = readSmallFile(request);
  let carriesKey = false;
  try {
    carriesKey = text !== null && csrKeySha256Hex(text) === spkiSha256Hex(cert.publicKey);
  } catch {
    // Not a CSR any more: the workload replaced it; the next read judges it.
  }
  if (!carriesKey) return { serialHex, consumed: null };
  const consumed = join(ISSUED_FOLDER, `request-${serialHex}.csr`);
  renameSync(request, join(folder, consumed));
  fsyncFolder(issued);
  fsyncFolder(folder);
  return { serialHex, consumed };
}

/**
 * Sets up the layout of a new csr-inbox target: the folder (made, 0755, only inside an existing
 * parent), `issued/` and `rejected/`; then the same rules every read applies. Returns the path and
 * what it made.
 */
export function initInbox(dir: string): { path: string; created: string[] } {
  const folder = resolve(dir);
  const created: string[] = [];
  if (!lstatOrNull(folder)) {
    makeFolderInExistingParent(folder, { field: 'path', mode: 0o755 });
    created.push(folder);
  }
  checkInboxFolder(folder);
  for (const name of [ISSUED_FOLDER, REJECTED_FOLDER] as const) {
    const existed = lstatOrNull(join(folder, name)) !== null;
    ensureSubfolder(folder, name);
    if (!existed) created.push(join(folder, name));
  }
  return { path: folder, created };
}
