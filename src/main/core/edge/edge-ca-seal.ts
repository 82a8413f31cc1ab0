/**
 * Where the operator's approved set of issuing CAs is kept: one key of the `settings` table, as the
 * exact text the edge approval's MAC covers (edge-config.ts, record v2). No migration: an edge
 * approved before CA sets were sealed has no such key, and its record (v1) keeps verifying.
 */
import type { Database } from 'better-sqlite3';
import { canonical } from '../audit/audit-chain.ts';

const KEY = 'edge.approved_cas';

/** The approved set as sealed: the issuing CAs' certificate SHA-256s, sorted, and who approved them when. */
export interface SealedCas {
  sha256s: string[];
  approvedAt: string;
  approvedBy: string;
}

/** The stored text, unparsed: the MAC is checked over these bytes before anything reads them. */
export function readSealedCasText(db: Database): string | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
  return row?.value ?? null;
}

/** Replaces (or, with null, removes) the sealed set; the caller writes the row's new MAC in the same transaction. */
export function writeSealedCasText(db: Database, text: string | null): void {
  if (text === null) db.prepare('DELETE FROM settings WHERE key = ?').run(KEY);
  else db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(KEY, text);
}

/** The one spelling a set is stored and sealed in: SHA-256s lower-case and sorted, keys sorted. */
export function sealedCasText(cas: SealedCas): string {
  return canonical({
    sha256s: [...new Set(cas.sha256s.map((s) => s.toLowerCase()))].sort(),
    approvedAt: cas.approvedAt,
    approvedBy: cas.approvedBy,
  });
}

/** Only called once the MAC over `text` holds: a malformed value cannot have been sealed. */
export function parseSealedCas(text: string): SealedCas {
  return JSON.parse(text) as SealedCas;
}
