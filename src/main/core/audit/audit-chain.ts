/**
 * The arithmetic of the audit chain, free of storage: the unkeyed link hash every entry has had
 * since the first version, the keyed MAC (HMAC-SHA256 under the store's audit key) each entry has
 * from the keyed epoch on, and the MAC that authenticates a checkpoint kept outside SQLite.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const GENESIS = '0'.repeat(64);

export interface ChainRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
  mac: string | null;
}

/** Canonical JSON (sorted keys), so the hash does not depend on property order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The link hash: SHA-256 over the previous hash and the entry. Anyone can recompute it; the MAC below is what they cannot. */
export function entryHash(prev: string, row: Pick<ChainRow, 'seq' | 'at' | 'actor' | 'action' | 'subject_id' | 'details'>): string {
  return createHash('sha256')
    .update(prev)
    .update('\n')
    .update(
      canonical({
        seq: row.seq,
        at: row.at,
        actor: row.actor,
        action: row.action,
        subject: row.subject_id,
        details: JSON.parse(row.details) as unknown,
      }),
    )
    .digest('hex');
}

/**
 * The keyed MAC of one entry. It covers the link hash, which covers the entry and (through
 * prev_hash) every entry before it: recomputing the chain after an edit needs the key.
 */
export function entryMac(key: Uint8Array, storeId: string, hash: string): string {
  return createHmac('sha256', key).update(`certdesk-audit-entry\n${storeId}\n${hash}`).digest('hex');
}

/** A (sequence, head) checkpoint as written to the keychain item and to the file beside the database. */
export interface Checkpoint {
  v: 1;
  store: string;
  /** The first entry written with a keyed MAC; the entries before it are the legacy (unkeyed) segment. */
  epoch: number;
  seq: number;
  head: string;
  mac: string;
}

export function checkpointMac(key: Uint8Array, cp: Omit<Checkpoint, 'mac'>): string {
  return createHmac('sha256', key)
    .update(`certdesk-audit-checkpoint\n${canonical({ v: cp.v, store: cp.store, epoch: cp.epoch, seq: cp.seq, head: cp.head })}`)
    .digest('hex');
}

export function sameMac(a: string | null, b: string): boolean {
  if (a === null || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Parses checkpoint bytes; null when they are not a well-formed checkpoint (the MAC is checked by the caller). */
export function parseCheckpoint(text: string): Checkpoint | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const cp = raw as Partial<Checkpoint> | null;
  const ok =
    cp !== null &&
    typeof cp === 'object' &&
    cp.v === 1 &&
    typeof cp.store === 'string' &&
    Number.isSafeInteger(cp.epoch) &&
    Number.isSafeInteger(cp.seq) &&
    cp.seq! >= 0 &&
    cp.epoch! >= 1 &&
    typeof cp.head === 'string' &&
    /^[0-9a-f]{64}$/.test(cp.head) &&
    typeof cp.mac === 'string' &&
    /^[0-9a-f]{64}$/.test(cp.mac);
  return ok ? (cp as Checkpoint) : null;
}
