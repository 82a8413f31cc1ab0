import type { AuditLog } from '../audit/audit-log.ts';
import type { Database } from '../store/database.ts';
import type { IdentityDeps } from './identity.ts';

/** What the transfer core uses of the service: the database, the vault and key rows, the clock, the audit log. */
export interface TransferDeps extends IdentityDeps {
  db: Database;
  audit: Pick<AuditLog, 'append'>;
}
