import type { Database } from 'better-sqlite3';
import type { PublicJwk } from './identity.ts';

/** The peer this folder exchanges bundles with, and where each direction's sequence stands. */
export interface Pairing {
  id: string;
  peerRole: 'signer' | 'publisher';
  peerPublicJwk: PublicJwk;
  peerFingerprint: string;
  peerActor: string;
  peerCreatedAt: string;
  pairedAt: string;
  pairedBy: string;
  /** The sequence of the last bundle this folder wrote for the peer. */
  lastSentSeq: number;
  /** The sequence of the last bundle from the peer this folder accepted. */
  lastAcceptedSeq: number;
  /** A signer's last audit `seq` already sent to the peer. */
  auditSentSeq: number;
}

interface PairingRow {
  id: string;
  peer_role: 'signer' | 'publisher';
  peer_public_jwk: string;
  peer_fingerprint: string;
  peer_actor: string;
  peer_created_at: string;
  paired_at: string;
  paired_by: string;
  last_sent_seq: number;
  last_accepted_seq: number;
  audit_sent_seq: number;
}

function toPairing(row: PairingRow): Pairing {
  return {
    id: row.id,
    peerRole: row.peer_role,
    peerPublicJwk: JSON.parse(row.peer_public_jwk) as PublicJwk,
    peerFingerprint: row.peer_fingerprint,
    peerActor: row.peer_actor,
    peerCreatedAt: row.peer_created_at,
    pairedAt: row.paired_at,
    pairedBy: row.paired_by,
    lastSentSeq: row.last_sent_seq,
    lastAcceptedSeq: row.last_accepted_seq,
    auditSentSeq: row.audit_sent_seq,
  };
}

export function activePairing(db: Database): Pairing | null {
  const row = db.prepare('SELECT * FROM transfer_pairings WHERE ended_at IS NULL').get() as PairingRow | undefined;
  return row ? toPairing(row) : null;
}

/**
 * Where an earlier pairing with the same peer key left the sequences: pairing that key again must not
 * reopen the bundles it already sent or accepted (a replay after a re-pairing).
 */
export function earlierSequences(db: Database, peerFingerprint: string): { sent: number; accepted: number; audit: number } {
  const row = db
    .prepare(
      'SELECT max(last_sent_seq) AS sent, max(last_accepted_seq) AS accepted, max(audit_sent_seq) AS audit FROM transfer_pairings WHERE peer_fingerprint = ?',
    )
    .get(peerFingerprint) as { sent: number | null; accepted: number | null; audit: number | null };
  return { sent: row.sent ?? 0, accepted: row.accepted ?? 0, audit: row.audit ?? 0 };
}

export function endPairing(db: Database, id: string, at: string): void {
  db.prepare('UPDATE transfer_pairings SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(at, id);
}

export function insertPairing(db: Database, pairing: Pairing): void {
  db.prepare(
    `INSERT INTO transfer_pairings (id, peer_role, peer_public_jwk, peer_fingerprint, peer_actor, peer_created_at, paired_at, paired_by,
       last_sent_seq, last_accepted_seq, audit_sent_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    pairing.id,
    pairing.peerRole,
    JSON.stringify(pairing.peerPublicJwk),
    pairing.peerFingerprint,
    pairing.peerActor,
    pairing.peerCreatedAt,
    pairing.pairedAt,
    pairing.pairedBy,
    pairing.lastSentSeq,
    pairing.lastAcceptedSeq,
    pairing.auditSentSeq,
  );
}

/** Moves a sequence on, only forward: a lost race or a stale caller cannot move it back. */
export function advanceAccepted(db: Database, id: string, sequence: number): void {
  const changed = db
    .prepare('UPDATE transfer_pairings SET last_accepted_seq = ? WHERE id = ? AND last_accepted_seq < ?')
    .run(sequence, id, sequence).changes;
  if (changed !== 1) throw new Error(`pairing ${id}: accepted sequence did not advance to ${sequence}`);
}

export function advanceSent(db: Database, id: string, sequence: number, auditSentSeq: number): void {
  const changed = db
    .prepare('UPDATE transfer_pairings SET last_sent_seq = ?, audit_sent_seq = max(audit_sent_seq, ?) WHERE id = ? AND last_sent_seq < ?')
    .run(sequence, auditSentSeq, id, sequence).changes;
  if (changed !== 1) throw new Error(`pairing ${id}: sent sequence did not advance to ${sequence}`);
}
