import type { CertdeskEvent } from '../../shared/contract/index.ts';
import type { AuditLog } from './audit/audit-log.ts';
import type { Authorities } from './ca/authorities.ts';
import type { Clock } from './clock.ts';
import type { Crypto } from './pki/webcrypto.ts';
import type { KeyVault } from './secrets/key-vault.ts';
import type { CertificateRepository } from './store/certificate-repository.ts';
import type { Database } from './store/database.ts';
import type { ReloadLedger } from './edge/reload-ledger.ts';
import type { KeyRepository } from './store/key-repository.ts';

/** What the core's use cases share: one database, one vault, one clock, one audit log. */
export interface CoreContext {
  db: Database;
  vault: KeyVault;
  clock: Clock;
  crypto: Crypto;
  audit: AuditLog;
  /** The keychain's record of which reload approvals are current. */
  reloadApprovals: ReloadLedger;
  authorities: Authorities;
  certificates: CertificateRepository;
  keys: KeyRepository;
  emit: (event: CertdeskEvent) => void;
}
