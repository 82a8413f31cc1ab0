import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import type { SecretStore } from './secret-store.ts';

/**
 * The keychain item that ties a data folder to the store id its audit key belongs to
 * (`audit-anchor:<first 32 hex of sha256(realpath(data folder))>`).
 *
 * Why: the audit key and the keychain checkpoint are looked up by the store id, and the store id
 * lives in the database. A file-only attacker who rewrites the log and changes that id would
 * otherwise look like a store's first keyed use, and a fresh key would bless the rewritten log.
 * The anchor is keyed by where the data is, which the database cannot change, so a database that
 * now names another store id is refused instead of re-keyed.
 */
export function auditAnchorAccount(dataDir: string): string {
  const digest = createHash('sha256').update(realpathSync(dataDir)).digest('hex');
  return `audit-anchor:${digest.slice(0, 32)}`;
}

/**
 * The store id the anchor records, or null when there is none. An item that is there but is not an
 * anchor throws: treating it as absent would let a new key be made over it.
 */
export async function readAuditAnchor(store: SecretStore, account: string): Promise<string | null> {
  const raw = await store.get(account);
  if (!raw) return null;
  let parsed: { v?: unknown; store?: unknown } = {};
  try {
    parsed = JSON.parse(Buffer.from(raw).toString('utf8')) as typeof parsed;
  } catch {
    // Reported below like any other item that is not an anchor.
  }
  if (parsed.v === 1 && typeof parsed.store === 'string' && parsed.store) return parsed.store;
  throw new Error(`the keychain item "${account}" is not a certdesk audit anchor`);
}

export async function writeAuditAnchor(store: SecretStore, account: string, storeId: string): Promise<void> {
  await store.set(account, new Uint8Array(Buffer.from(JSON.stringify({ v: 1, store: storeId }), 'utf8')));
}
