/**
 * Pairing, done once: each side exports its public transfer key to a pairing file, imports the other's,
 * and the operator types the peer's fingerprint as the peer's own screen shows it (as with SSH host
 * keys), so a file swapped on the way is refused. Audited on both sides (`transfer.pair`).
 */
import { osActor } from '../audit/actor.ts';
import { CertdeskError } from '../errors.ts';
import { writeChosenFile } from '../files/chosen-file.ts';
import { readRole } from '../workstation/role.ts';
import type { TransferDeps } from './deps.ts';
import { transferId } from './ids.ts';
import { ensureIdentity, fingerprintOf, readIdentity } from './identity.ts';
import { TRANSFER_LIMITS } from './limits.ts';
import { activePairing, earlierSequences, endPairing, insertPairing, type Pairing } from './pairing-store.ts';
import { readBounded } from './read-bounded.ts';
import { PAIRING_FORMAT, pairingFileSchema, type PairingFile } from './schemas.ts';

export interface PairView {
  role: 'standalone' | 'signer' | 'publisher';
  fingerprint: string;
  peer: { role: 'signer' | 'publisher'; fingerprint: string; actor: string; pairedAt: string; pairedBy: string } | null;
}

export interface PairImportResult {
  ownFingerprint: string;
  peer: { role: 'signer' | 'publisher'; fingerprint: string; actor: string; createdAt: string };
  replaced: string | null;
}

type PairingRole = 'signer' | 'publisher';

const SET_ROLE =
  'Give this folder a role first: certdesk role set signer (the offline CA) or certdesk role set publisher (the online side).';

/** This folder's role when it can pair; a standalone folder is named and told what to do. */
export function pairingRole(deps: Pick<TransferDeps, 'db'>, what: string): PairingRole {
  const { role } = readRole(deps.db);
  if (role === 'standalone')
    throw new CertdeskError('TRANSFER_ROLE', `This data folder is standalone, and a standalone folder does not ${what}. ${SET_ROLE}`, {
      field: 'role',
    });
  return role;
}

export async function showPairing(deps: TransferDeps): Promise<PairView> {
  const identity = await ensureIdentity(deps);
  const peer = activePairing(deps.db);
  return {
    role: readRole(deps.db).role,
    fingerprint: identity.fingerprint,
    peer: peer && {
      role: peer.peerRole,
      fingerprint: peer.peerFingerprint,
      actor: peer.peerActor,
      pairedAt: peer.pairedAt,
      pairedBy: peer.pairedBy,
    },
  };
}

/** This folder's pairing file: its public transfer key, never anything secret. */
export async function pairingFile(deps: TransferDeps): Promise<PairingFile> {
  const role = pairingRole(deps, 'pair');
  const identity = await ensureIdentity(deps);
  return {
    format: PAIRING_FORMAT,
    role,
    publicJwk: identity.publicJwk,
    fingerprint: identity.fingerprint,
    actor: osActor(),
    createdAt: deps.clock.now().toISOString(),
  };
}

export const pairingFileText = (file: PairingFile): string => `${JSON.stringify(file, null, 2)}\n`;

/** Writes this folder's pairing file where the operator chose (an existing file only with `force`). */
export async function exportPairing(deps: TransferDeps, out: string, force: boolean): Promise<{ path: string; file: PairingFile }> {
  const file = await pairingFile(deps);
  const path = writeChosenFile(out, pairingFileText(file), {
    field: 'out',
    replace: force,
    replaceHint: 'pass --force',
    private: false,
  });
  return { path, file };
}

/** Where a pairing file came from, as its messages name it: a path, or an upload. */
export interface PairingSource {
  label: string;
  read(): Buffer;
}

export const pairingPath = (path: string): PairingSource => ({
  label: path,
  read: () => readBounded(path, TRANSFER_LIMITS.pairingBytes, 'file', 'pairing file'),
});

/** A pairing file that arrived as bytes (a browser upload), refused by its size before it is parsed. */
export const pairingUpload = (bytes: Buffer): PairingSource => ({
  label: 'the uploaded pairing file',
  read: () => {
    if (bytes.length > TRANSFER_LIMITS.pairingBytes)
      throw new CertdeskError(
        'TRANSFER_TOO_LARGE',
        `The uploaded pairing file is ${bytes.length} bytes; a pairing file is at most ${TRANSFER_LIMITS.pairingBytes} bytes. Nothing was paired.`,
        { field: 'file' },
      );
    return bytes;
  },
});

function readPairingFile(source: PairingSource): PairingFile {
  const path = source.label;
  const bytes = source.read();
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = pairingFileSchema.safeParse(parsed);
  if (!result.success)
    throw new CertdeskError(
      'TRANSFER_FORMAT',
      `${path} is not a certdesk pairing file (${PAIRING_FORMAT}): ${result.error.issues[0]?.path.join('.') || 'file'}: ${result.error.issues[0]?.message ?? 'not JSON'}. Nothing was paired.`,
      { field: 'file' },
    );
  const file = result.data;
  if (fingerprintOf(file.publicJwk) !== file.fingerprint)
    throw new CertdeskError(
      'TRANSFER_FORMAT',
      `${path} states the fingerprint ${file.fingerprint}, but its key's fingerprint is ${fingerprintOf(file.publicJwk)}: the file was altered. Nothing was paired.`,
      { field: 'file' },
    );
  return file;
}

/** What the operator compares before pairing: the peer's file, checked as an import checks it, with nothing stored. */
export interface PairInspection {
  role: PairingRole;
  fingerprint: string;
  actor: string;
  createdAt: string;
  ownFingerprint: string;
  /** The peer this folder is paired with now, which pairing would replace. */
  replaces: string | null;
}

/** The peer's file checked for this folder's role (a peer's, not its own), as `source.label` names it. */
function peerFile(deps: TransferDeps, source: PairingSource): { role: PairingRole; file: PairingFile } {
  const path = source.label;
  const role = pairingRole(deps, 'pair');
  const file = readPairingFile(source);
  const want: PairingRole = role === 'signer' ? 'publisher' : 'signer';
  if (file.role !== want)
    throw new CertdeskError(
      'TRANSFER_ROLE',
      `This folder is a ${role} and pairs with a ${want}, but ${path} is a ${file.role}'s. Import the ${want}'s pairing file. Nothing was paired.`,
      { field: 'file' },
    );
  if (file.fingerprint === readIdentity(deps.db)?.fingerprint)
    throw new CertdeskError('TRANSFER_ROLE', `${path} is this folder's own pairing file; import the peer's. Nothing was paired.`, {
      field: 'file',
    });
  return { role, file };
}

export async function inspectPairing(deps: TransferDeps, source: PairingSource): Promise<PairInspection> {
  const { file } = peerFile(deps, source);
  const identity = await ensureIdentity(deps);
  return {
    role: file.role,
    fingerprint: file.fingerprint,
    actor: file.actor,
    createdAt: file.createdAt,
    ownFingerprint: identity.fingerprint,
    replaces: activePairing(deps.db)?.peerFingerprint ?? null,
  };
}

/**
 * Pairs with the peer in the pairing file `source` when `confirm` is the peer's fingerprint. Without
 * `confirm`, or with another one, nothing is stored and the error shows both fingerprints to compare.
 */
export async function importPairing(
  deps: TransferDeps,
  source: PairingSource,
  options: { confirm?: string | undefined; replace?: boolean },
): Promise<PairImportResult> {
  const path = source.label;
  const { role, file } = peerFile(deps, source);
  // Made here on first need (it must exist to show both fingerprints), after the file proved it is a peer's.
  const identity = await ensureIdentity(deps);
  const both = `This folder (${role}): ${identity.fingerprint}. The ${file.role} in the file (${file.actor}): ${file.fingerprint}.`;
  if (options.confirm === undefined)
    throw new CertdeskError(
      'CONFIRMATION_REQUIRED',
      `${both} Compare the ${file.role}'s fingerprint with what certdesk pair show prints on the ${file.role} itself, then run again with --confirm ${file.fingerprint}. Nothing was paired.`,
      { field: 'confirm' },
    );
  if (options.confirm.trim() !== file.fingerprint)
    throw new CertdeskError(
      'TRANSFER_FINGERPRINT_MISMATCH',
      `The fingerprint you typed (${options.confirm.trim()}) is not the one in ${path}. ${both} If the ${file.role}'s own screen shows another one, the file was swapped on the way: do not pair. Nothing was paired.`,
      { field: 'confirm' },
    );
  const current = activePairing(deps.db);
  if (current && !options.replace)
    throw new CertdeskError(
      'CONFLICT',
      `This folder is already paired with the ${current.peerRole} ${current.peerFingerprint} (since ${current.pairedAt}). Pass --replace to pair with ${file.fingerprint} instead. Nothing was changed.`,
      { field: 'replace' },
    );
  const at = deps.clock.now().toISOString();
  const earlier = earlierSequences(deps.db, file.fingerprint);
  const pairing: Pairing = {
    id: transferId('pair'),
    peerRole: file.role,
    peerPublicJwk: file.publicJwk,
    peerFingerprint: file.fingerprint,
    peerActor: file.actor,
    peerCreatedAt: file.createdAt,
    pairedAt: at,
    pairedBy: osActor(),
    lastSentSeq: earlier.sent,
    lastAcceptedSeq: earlier.accepted,
    auditSentSeq: earlier.audit,
  };
  deps.db
    .transaction(() => {
      if (current) endPairing(deps.db, current.id, at);
      insertPairing(deps.db, pairing);
      deps.audit.append('transfer.pair', pairing.id, {
        role,
        ownFingerprint: identity.fingerprint,
        peerRole: file.role,
        peerFingerprint: file.fingerprint,
        peerActor: file.actor,
        replaced: current?.peerFingerprint ?? null,
      });
    })
    .immediate();
  return {
    ownFingerprint: identity.fingerprint,
    peer: { role: file.role, fingerprint: file.fingerprint, actor: file.actor, createdAt: file.createdAt },
    replaced: current?.peerFingerprint ?? null,
  };
}
