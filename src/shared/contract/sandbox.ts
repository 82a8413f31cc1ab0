/** The local sandbox tenant: running in this app, in another process (certdesk sandbox start), or not at all. */
export interface SandboxStatus {
  running: boolean;
  owner: 'this-app' | 'other-process' | null;
  dir: string;
  url: string | null;
  edgeUrl: string | null;
  /** The edge's own server certificate, for clients (and the flight check) to trust. */
  edgeCaPem: string | null;
  domain: string | null;
  pid: number | null;
  /** The tenant profile that points at it, once one exists. */
  tenantName?: string | null;
}
