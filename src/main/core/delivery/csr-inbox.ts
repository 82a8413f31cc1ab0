/**
 * The CSR inbox: how a workload that keeps its own key asks for its successor certificate. The
 * layout is a contract workload scripts rely on (the README shows the workload's side):
 *
 *   DIR/request.csr                      the workload's new CSR, written to a temp name and renamed
 *   DIR/issued/cert.pem chain.pem fullchain.pem   certdesk's answer, each written atomically;
 *                                        chain = issuing chain without the root, fullchain = leaf + chain
 *   DIR/issued/request-<serial>.csr      the request once answered (request.csr is gone: the answer is complete)
 *   DIR/rejected/<time>-request.csr      a refused request, with `<same>.reason` beside it: one line, code and message
 *
 * Reading never changes anything but a refused request, which moves to `rejected/` whole. A
 * problem with the inbox folder itself (a symlink, another owner, a mode others can write) is a
 * named error, and nothing is touched.
 *
 * A rotation step uses it so: `readInbox` (empty: wait; rejected: say why and wait for the next
 * CSR; csr: go on), then `inboxAnswered` from csr-inbox-answer.ts; when it finds the answer, or the
 * lineage already holds a successor whose key hashes to `publicKeySha256Hex` (signed before a
 * crash), it answers with that certificate instead of signing again; then `answerInbox`. Issuance's
 * DN-conflict check (SubjectConflicts) needs the database and stays with the signing.
 */
import { closeSync, constants, fstatSync, openSync, readSync, renameSync, unlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { KeyType, SanEntry } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { parseCsr, type ParsedCsr } from '../pki/csr.ts';
import { nameText } from '../pki/csr-names.ts';
import { nameDer, sameDn } from '../pki/names.ts';
import { toPem } from '../pki/pem.ts';
import { checkKeyType, type Profile } from '../pki/profiles.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import { defaultCrypto, x509 } from '../pki/x509.ts';
import type { Crypto } from '../pki/webcrypto.ts';
import {
  checkInboxFolder,
  ensureSubfolder,
  fsyncFolder,
  lstatOrNull,
  MAX_CSR_BYTES,
  REJECTED_FOLDER,
  rejectedName,
  REQUEST_FILE,
  writeAtomic,
} from './csr-inbox-fs.ts';

/** What the successor's CSR must match: taken from the certificate it replaces. */
export interface InboxExpectation {
  /** The predecessor's subject Name as DER; compared with the one DN rule, {@link sameDn}. */
  subjectDer: Uint8Array;
  /** SHA-256 (hex) of the SPKI of the predecessor's key, and of any older key of the lineage: a CSR with one is refused. */
  oldKeysSha256Hex: readonly string[];
  /** The predecessor's SANs: the successor carries exactly these, so a CSR may omit SANs but not ask for another. */
  sans: readonly SanEntry[];
  /** The lineage's profile, when known: its allowed key types apply to the new key. */
  profile?: Profile;
}

export type InboxRead =
  | { kind: 'empty' }
  | { kind: 'csr'; csrPem: string; publicKeySha256Hex: string; keyType: KeyType }
  | { kind: 'rejected'; code: string; reason: string; rejectedFile: string };

export interface InboxOptions {
  now?: () => Date;
  crypto?: Crypto;
}

/** SHA-256 (hex) of a public key's SPKI DER: the form the keys table and the expectation use. */
export function spkiSha256Hex(publicKey: x509.PublicKey): string {
  return thumbprints(new Uint8Array(publicKey.rawData)).sha256Hex;
}

/** The expectation for a successor of `certDer` (its SANs as the inventory records them). */
export function expectationFromCertificate(certDer: Uint8Array, sans: readonly SanEntry[], profile?: Profile): InboxExpectation {
  const cert = new x509.X509Certificate(certDer);
  return {
    subjectDer: nameDer(cert.subjectName),
    oldKeysSha256Hex: [spkiSha256Hex(cert.publicKey)],
    sans,
    ...(profile ? { profile } : {}),
  };
}

/** A refusal on the way to a CSR: moved to `rejected/` with this code and message. */
class Refusal {
  readonly code: string;
  readonly message: string;
  constructor(code: string, message: string) {
    this.code = code;
    this.message = message;
  }
}

const REWRITE = `Write the CSR to a temporary name in the inbox, then rename it to ${REQUEST_FILE}.`;

/** Reads the file behind `info` without following a link or blocking on a FIFO raced into its place. */
function readRequest(path: string, info: Stats): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new Refusal('VALIDATION', `${REQUEST_FILE} cannot be opened (${code}). ${REWRITE}`);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile() || opened.ino !== info.ino || opened.dev !== info.dev)
      throw new Refusal('VALIDATION', `${REQUEST_FILE} changed while it was being read. ${REWRITE}`);
    const buffer = Buffer.alloc(MAX_CSR_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_CSR_BYTES) throw new Refusal('INPUT_TOO_LARGE', `${REQUEST_FILE} grew past ${MAX_CSR_BYTES} bytes while it was read.`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, length));
    } catch {
      throw new Refusal('PEM_INVALID', `${REQUEST_FILE} is not text; it must be a PEM CERTIFICATE REQUEST (openssl req -new … -out FILE).`);
    }
  } finally {
    closeSync(fd);
  }
}

/** The checks of issuance from a CSR (parseCsr), then the successor's own: same subject, SANs it may have, a new key. */
async function checkCsr(text: string, expect: InboxExpectation, crypto: Crypto): Promise<ParsedCsr> {
  if (!/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(text))
    throw new Refusal('PEM_INVALID', `${REQUEST_FILE} is not a PEM CERTIFICATE REQUEST (no -----BEGIN CERTIFICATE REQUEST----- line).`);
  let parsed: ParsedCsr;
  try {
    parsed = await parseCsr(text, crypto);
    if (expect.profile) checkKeyType(expect.profile, parsed.keyType, 'csr');
  } catch (error) {
    if (error instanceof CertdeskError) throw new Refusal(error.code, error.message);
    throw error;
  }
  const wanted = new x509.Name(expect.subjectDer.slice().buffer);
  if (!sameDn(nameDer(parsed.subject), expect.subjectDer))
    throw new Refusal(
      'CSR_SUBJECT_MISMATCH',
      `The CSR's subject "${nameText(parsed.subject)}" is not the predecessor's "${nameText(wanted)}"; a successor keeps its subject (Auth0 matches it). Create the CSR with -subj exactly as the current certificate's subject.`,
    );
  const sanKey = (san: SanEntry) => `${san.type}:${san.type === 'uri' ? san.value : san.value.toLowerCase()}`;
  const allowed = new Set(expect.sans.map(sanKey));
  const extra = parsed.sans.find((san) => !allowed.has(sanKey(san)));
  if (extra)
    throw new Refusal(
      'CSR_SAN_INVALID',
      `The CSR asks for the SAN ${extra.type}:${extra.value}, which the predecessor does not have; a successor carries the predecessor's SANs only. Create the CSR without it (or with none).`,
    );
  if (expect.oldKeysSha256Hex.includes(spkiSha256Hex(parsed.request.publicKey)))
    throw new Refusal(
      'CSR_KEY_REUSED',
      'The CSR carries the key of the certificate it replaces (or an older one of its lineage); a successor needs a new key. Generate a new key (openssl genpkey …) and create the CSR from it.',
    );
  return parsed;
}

/**
 * What the inbox holds: nothing yet, a CSR that passed every check (left in place until
 * {@link answerInbox} consumes it), or a request refused just now and moved to `rejected/`.
 */
export async function readInbox(dir: string, expect: InboxExpectation, options: InboxOptions = {}): Promise<InboxRead> {
  const folder = checkInboxFolder(dir);
  ensureSubfolder(folder, REJECTED_FOLDER);
  // A request replaced while it was being refused is read again rather than refused for the old one's reason.
  for (let attempt = 0; attempt < 3; attempt++) {
    const path = join(folder, REQUEST_FILE);
    const info = lstatOrNull(path);
    if (!info) return { kind: 'empty' };
    try {
      if (info.isSymbolicLink())
        throw new Refusal('FORBIDDEN', `${REQUEST_FILE} is a symbolic link; certdesk reads only a file written in the inbox. ${REWRITE}`);
      if (!info.isFile()) throw new Refusal('VALIDATION', `${REQUEST_FILE} is not a regular file (a folder, FIFO or device). ${REWRITE}`);
      if (info.size > MAX_CSR_BYTES)
        throw new Refusal('INPUT_TOO_LARGE', `${REQUEST_FILE} is ${info.size} bytes; a CSR is at most ${MAX_CSR_BYTES} bytes.`);
      const parsed = await checkCsr(readRequest(path, info), expect, options.crypto ?? defaultCrypto);
      return {
        kind: 'csr',
        csrPem: toPem(new Uint8Array(parsed.request.rawData), 'CERTIFICATE REQUEST'),
        publicKeySha256Hex: spkiSha256Hex(parsed.request.publicKey),
        keyType: parsed.keyType,
      };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const moved = reject(folder, info, error, (options.now ?? (() => new Date()))());
      if (moved) return { kind: 'rejected', code: error.code, reason: error.message, rejectedFile: moved };
    }
  }
  throw new CertdeskError(
    'CONFLICT',
    `${REQUEST_FILE} in ${folder} keeps changing while it is read; try again once the workload has written it.`,
    {
      field: 'path',
    },
  );
}

/** Moves the refused request (the same inode that was judged) into `rejected/`, the reason first; null when it was replaced meanwhile. */
function reject(folder: string, judged: Stats, refusal: Refusal, at: Date): string | null {
  const rejected = join(folder, REJECTED_FOLDER);
  const name = rejectedName(rejected, at);
  const reasonPath = join(rejected, `${name}.reason`);
  writeAtomic(reasonPath, `${refusal.code} ${refusal.message.replace(/\s+/g, ' ').trim()}\n`, 0o644);
  const path = join(folder, REQUEST_FILE);
  const now = lstatOrNull(path);
  if (!now || now.ino !== judged.ino || now.dev !== judged.dev) {
    unlinkSync(reasonPath);
    return null;
  }
  renameSync(path, join(rejected, name));
  fsyncFolder(rejected);
  fsyncFolder(folder);
  return join(REJECTED_FOLDER, name);
}
