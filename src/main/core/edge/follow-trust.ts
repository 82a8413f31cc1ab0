import type { SandboxPort } from '../sandbox-tenant/sandbox-port.ts';
import type { CertdeskService } from '../service.ts';
import { currentTrust } from './current-trust.ts';

/** What following the trust reads of the core: the trust itself, and the signals that it changed. */
export type TrustSource = Pick<CertdeskService, 'db' | 'crls' | 'inventory' | 'edgeTrust'>;

/**
 * Keeps the edge of a sandbox running in this process trusting certdesk's current CAs and CRLs:
 * after a CA is added, a certificate revoked (by the operator or a rotation; its CA's CRL is then
 * signed again) or any CRL signed. Returns the refresh, for handlers that change the trust.
 */
export function followTrust(service: TrustSource, sandbox: Pick<SandboxPort, 'status' | 'refreshTrust'>): () => void {
  let pending = false;
  const refresh = () => {
    if (pending || sandbox.status().owner !== 'this-app') return;
    pending = true;
    // After the signing that triggered it has settled; a CRL read here is then the one just signed.
    setImmediate(() => {
      pending = false;
      if (!service.db.open) return; // the app is closing
      currentTrust(service)
        .then((trust) => trust && sandbox.refreshTrust(trust))
        .catch((error: unknown) =>
          console.error('certdesk: the sandbox edge kept its previous trust:', error instanceof Error ? error.message : error),
        );
    });
  };
  service.crls.onSigned(refresh);
  service.inventory.onRevoked(refresh);
  return refresh;
}
