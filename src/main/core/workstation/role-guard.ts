/**
 * What a data folder's role forbids, in one place (issue 12). A `signer` opens no network socket; a
 * `publisher` uses no CA private key. Each rule is checked twice: at the use case's entry, against
 * the folder the use case belongs to, so the refusal is clear and nothing is half-done; and next to
 * the socket (ssh, TLS, fetch, the sandbox), so a new caller cannot go around it.
 *
 * The socket-side check has no data folder in hand: it asks every folder open in this process. A
 * process that has an offline signer open therefore opens no outgoing connection at all, whichever
 * folder asked. Real hosts open one folder; a test that opens a signer and a networked folder side
 * by side sees the networked one refused too, which is the safe side of that trade.
 */
import type { Database } from 'better-sqlite3';
import type { WorkstationRole } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { readRole } from './role.ts';

const SWITCH_BACK = 'certdesk role set standalone --confirm standalone';

/** The refusal for `what` (an operation, in words) on an offline signer. */
export function roleOfflineError(what: string): CertdeskError {
  return new CertdeskError(
    'ROLE_OFFLINE',
    `This data folder is an offline signer: ${what} is not available, because a signer opens no network connection. ` +
      `Do it on the publisher, which sends its requests to the signer in a transfer bundle; if this folder is not meant to be air-gapped, ${SWITCH_BACK}.`,
    { field: 'role' },
  );
}

/** The refusal for `what` on a publisher, which holds CA certificates but never a CA private key. */
export function roleNoCaKeyError(what: string): CertdeskError {
  return new CertdeskError(
    'ROLE_NO_CA_KEY',
    `This data folder is a publisher: ${what} needs a CA private key, and a publisher holds none. ` +
      'Send the request to the signer in a transfer bundle (certdesk bundle export) and import its answer here.',
    { field: 'role' },
  );
}

/** Entry check: refuses `what` when this folder is an offline signer. */
export function requireNetwork(db: Database, what: string): void {
  if (readRole(db).role === 'signer') throw roleOfflineError(what);
}

/** Entry check: refuses `what` when this folder is a publisher. */
export function requireCaKey(db: Database, what: string): void {
  if (readRole(db).role === 'publisher') throw roleNoCaKeyError(what);
}

/** Every data folder open in this process, by the reader of its current role (read at each check: another process may set it). */
const openFolders = new Set<() => WorkstationRole | null>();

/** Registers a folder opened by this process; the returned function forgets it (call it before the database closes). */
export function watchFolderRole(db: Database): () => void {
  const role = () => (db.open ? readRole(db).role : null);
  openFolders.add(role);
  return () => openFolders.delete(role);
}

/** Socket check: refuses `what` while any folder open in this process is an offline signer. */
export function assertProcessOnline(what: string): void {
  for (const role of openFolders) if (role() === 'signer') throw roleOfflineError(what);
}

/**
 * A fetch that checks before every request: the folder's role at the entry (`db`), and every open
 * folder's at the socket. `what` names the traffic in the refusal.
 */
export function guardedFetch(db: Database, what: string, inner: typeof fetch): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = URL.parse(input instanceof Request ? input.url : String(input));
    const target = url ? `${what} (${url.origin})` : what;
    requireNetwork(db, target);
    assertProcessOnline(target);
    return inner(input, init);
  }) as typeof fetch;
}
