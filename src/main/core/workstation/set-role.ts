/**
 * Setting a data folder's role: an operator action only (`certdesk role set`), never a channel, so
 * no page or web client can turn an offline signer into a networked folder. A role is refused when
 * the folder already holds what that role must not: a signer keeps nothing that talks to the
 * network, a publisher keeps no CA private key.
 */
import { WORKSTATION_ROLES, type WorkstationRole } from '../../../shared/contract/index.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { CertdeskError } from '../errors.ts';
import { ACCESS_LOG_SSH } from '../evidence/ssh-log-config.ts';
import type { Database } from '../store/database.ts';
import { readRole, writeRole, type RoleRecord } from './role.ts';

export interface RoleChange extends RoleRecord {
  from: WorkstationRole;
  /** False when the folder already had this role: nothing was written or audited. */
  changed: boolean;
}

function count(db: Database, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

/** What ties this folder to the network, in words; empty when it may become a signer. */
function networkedContents(db: Database): string[] {
  const found: string[] = [];
  const tenants = count(db, 'SELECT COUNT(*) AS n FROM tenants');
  if (tenants > 0) found.push(`${tenants} tenant(s) (certdesk tenant remove NAME)`);
  const bindings = count(db, 'SELECT COUNT(*) AS n FROM bindings');
  if (bindings > 0) found.push(`${bindings} binding(s) (certdesk unbind ID)`);
  if (count(db, 'SELECT COUNT(*) AS n FROM edge_config WHERE folder IS NOT NULL OR settings IS NOT NULL') > 0)
    found.push('an edge folder or edge settings');
  if (count(db, `SELECT COUNT(*) AS n FROM settings WHERE key = '${ACCESS_LOG_SSH}'`) > 0)
    found.push('an ssh source for the edge access log (certdesk usage --clear-source)');
  const targets = count(db, 'SELECT COUNT(*) AS n FROM delivery_targets');
  if (targets > 0) found.push(`${targets} delivery target(s) (certdesk target remove ID --yes)`);
  return found;
}

/** The CAs whose private key this folder holds, by name. */
function caKeyHolders(db: Database): string[] {
  return (db.prepare('SELECT a.name FROM authorities a JOIN keys k ON k.id = a.key_id ORDER BY a.name').all() as { name: string }[]).map(
    (r) => r.name,
  );
}

function checkFits(db: Database, role: WorkstationRole): void {
  if (role === 'signer') {
    const found = networkedContents(db);
    if (found.length > 0)
      throw new CertdeskError(
        'ROLE_SIGNER_NOT_EMPTY',
        `This data folder cannot become an offline signer: it holds ${found.join(', ')}, which belong to the publisher. ` +
          'Remove them first, or set up the signer in a fresh data folder (certdesk --data-dir DIR) and make this one the publisher.',
        { field: 'role' },
      );
  }
  if (role === 'publisher') {
    const holders = caKeyHolders(db);
    if (holders.length > 0)
      throw new CertdeskError(
        'ROLE_PUBLISHER_HOLDS_CA_KEY',
        `This data folder cannot become a publisher: it holds the private key of ${holders.map((n) => `"${n}"`).join(', ')}, and a publisher holds CA certificates only. ` +
          'Make this folder the signer (certdesk role set signer --confirm signer), and set up the publisher in a fresh data folder that receives the CA certificates in a transfer bundle.',
        { field: 'role' },
      );
  }
}

export function parseRole(value: string): WorkstationRole {
  if ((WORKSTATION_ROLES as readonly string[]).includes(value)) return value as WorkstationRole;
  throw new CertdeskError('VALIDATION', `The role must be one of ${WORKSTATION_ROLES.join(', ')}; got "${value}".`, { field: 'role' });
}

/**
 * Sets the role once the operator typed it twice (`confirm`). The check and the write are one
 * immediate transaction: another process cannot add a tenant between them.
 */
export async function setRole(
  deps: { db: Database; audit: AuditLog; clock: Clock },
  input: { role: string; confirm: string | undefined; by: string },
): Promise<RoleChange> {
  const role = parseRole(input.role);
  if (input.confirm !== role)
    throw new CertdeskError(
      'CONFIRMATION_REQUIRED',
      `Changing a data folder's role changes what it may do. Type the role again to confirm: certdesk role set ${role} --confirm ${role}`,
      { field: 'confirm' },
    );
  // The entry is keyed by the audit key, read from the keychain asynchronously.
  await deps.audit.keyLoaded();
  return deps.db
    .transaction((): RoleChange => {
      const before = readRole(deps.db);
      if (before.role === role) return { ...before, from: before.role, changed: false };
      checkFits(deps.db, role);
      const at = deps.clock.now().toISOString();
      writeRole(deps.db, role, at, input.by);
      deps.audit.append('role.set', null, { from: before.role, to: role });
      return { role, setAt: at, setBy: input.by, from: before.role, changed: true };
    })
    .immediate();
}
