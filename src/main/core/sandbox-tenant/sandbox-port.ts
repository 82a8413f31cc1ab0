import type { EdgeTrust, SandboxStatus } from '../../../shared/contract/index.ts';

/**
 * What the core needs of a host's local sandbox tenant (the host's SandboxHost is one). Declared
 * here, below the hosts, so the use cases that drive a sandbox live in the core and the hosts only
 * hand one in.
 */
export interface SandboxPort {
  status(): SandboxStatus;
  start(trust?: EdgeTrust): Promise<{
    status: SandboxStatus;
    managementClient: { clientId: string; clientSecret: string } | null;
    demo?: { customDomain: string; audience: string } | null;
  }>;
  refreshTrust(trust: EdgeTrust): boolean;
  stop(): Promise<SandboxStatus>;
}
