import type { EdgeReload } from './edge-reload.ts';

/** Where and how the customer edge (nginx) runs; every path is on the edge machine. */
export interface EdgeSettings {
  /** The tenant's custom domain, as clients dial it (`auth.example.com`). */
  serverName: string;
  /** nginx `listen` argument: `443`, or `127.0.0.1:8443` for a rehearsal. */
  listen: string;
  /** The edge's own TLS server certificate and key, as paths on the edge machine. */
  serverCertificatePath: string;
  serverKeyPath: string;
  /** The custom domain's origin at Auth0 (`https://<tenant>.edge.tenants.auth0.com`), or the local sandbox. */
  upstream: string;
  /** Host header for the upstream; the custom domain unless the origin wants another. */
  upstreamHost?: string;
  /**
   * A file outside the bundle holding `proxy_set_header cname-api-key "…";` — the key that
   * `POST /custom-domains/{id}/verify` returns once. It never enters the bundle or certdesk's database.
   */
  cnameApiKeyInclude: string;
  /** The header the custom domain's `custom_client_ip_header` names; X-Forwarded-For by default. */
  clientIpHeader?: string;
  /** Where the bundle's files live on the edge machine (absolute), for the paths in the config. */
  bundleDir: string;
  /** `on` in production. `optional` exists only to rehearse the failure the diagnostics must catch. */
  verifyClient?: 'on' | 'optional';
  /**
   * Where nginx writes certdesk's JSON-lines access log on the edge (absolute). Absent: no access log.
   * certdesk reads it as evidence of which certificates are in use (`edge.accessLogReadPath`).
   */
  accessLog?: string;
}

/** The most issuing CAs one edge trusts at once: a rollover needs two, a few more is a mistake. */
export const EDGE_MAX_CAS = 8;

/**
 * The issuing CA the edge trusts, or a set of them (1..EDGE_MAX_CAS, no repeats) so that an issuing-CA
 * rollover can trust the old and the new one together. The chain and CRLs of each are published.
 */
export type EdgeCas = string | string[];

/** The set as a list, whichever spelling was sent. */
export function edgeCaList(ca: EdgeCas): string[] {
  return typeof ca === 'string' ? [ca] : [...ca];
}

export interface EdgePublishInput {
  /** The issuing CA(s) whose chains and CRLs the edge trusts. */
  ca: EdgeCas;
  settings: EdgeSettings;
  /**
   * Folder the bundle is written to. Only the CLI names it (and so sets the configured edge folder);
   * from any other caller it is refused by name (FORBIDDEN): the bundle goes to the configured folder.
   */
  dir?: string;
  /** Run after writing, without a shell; its argv, exit status, duration and output are recorded. */
  reload?: EdgeReload;
  /** Older certdesks took a shell command here; it is refused by name (never run), so a caller learns what replaced it. */
  reloadCommand?: undefined;
}

export interface EdgePreview {
  files: Record<string, string>;
  authorities: string[];
  crlNumbers: Record<string, number>;
}

/** What an edge must trust to check certdesk's client certificates: every current CA and its CRL. */
export interface EdgeTrust {
  authorities: string[];
  caBundlePem: string;
  /** One current CRL per authority (nginx's ssl_crl needs every CA's). */
  crlPems: string[];
}

export interface EdgePublication {
  id: number;
  at: string;
  /** The first of `authorityIds`. */
  authorityId: string;
  /** Every issuing CA this publication trusts, in the order chosen. */
  authorityIds: string[];
  dir: string;
  serverName: string;
  crlNumbers: Record<string, number>;
  bundleSha256: string;
  /** The reload's argv steps, for display; also for a free-form command of an older certdesk (`sh -c …`). */
  reloadCommand: string | null;
  reloadArgv: string[][] | null;
  reloadStatus: number | null;
  reloadOutput: string | null;
  reloadDurationMs: number | null;
  reloadTimedOut: boolean | null;
}

/** What one reload run did: every argv step up to the first that failed. */
export interface EdgeReloadRun {
  /** The argv steps, as one line for display. */
  command: string;
  argv: string[][];
  /** A preset's program: the absolute path found when the preset was chosen, run for each step's argv[0]. */
  program?: string;
  status: number;
  output: string;
  durationMs: number;
  timedOut: boolean;
}

export interface EdgePublishResult {
  id: number;
  at: string;
  files: string[];
  authorities: string[];
  crlNumbers: Record<string, number>;
  bundleSha256: string;
  reload?: EdgeReloadRun;
}

/**
 * The edge as the operator configured it: the folder bundles go to, and the approved settings (the
 * values that reach nginx). A publication from the renderer or web mode uses exactly these.
 */
export interface EdgeConfigView {
  folder: string | null;
  folderSetAt: string | null;
  folderSetBy: string | null;
  /** Rebuilt, with defaults applied; null until the operator approves some. */
  settings: EdgeSettings | null;
  settingsApprovedAt: string | null;
  settingsApprovedBy: string | null;
  /** False when the stored row is not what the operator approved (edited or restored database, keychain unavailable). */
  approved: boolean;
  problem: string | null;
  /** This host can ask the operator for a folder (the desktop app's folder dialog). */
  canChooseFolder: boolean;
  /** This host can ask the operator to approve settings (the CLI, the desktop app's dialog); web mode cannot. */
  canApprove: boolean;
  /** The issuing CAs the edge may trust without a new approval; null when none are approved and none were published. */
  approvedCas: EdgeApprovedCas | null;
}

/** One issuing CA of the approved set: its certificate's SHA-256 is what is approved; id and name are null once it is gone. */
export interface EdgeApprovedCa {
  sha256: string;
  id: string | null;
  name: string | null;
}

/**
 * The set of issuing CAs a publication that is not the operator's (web mode, the renderer, a republish)
 * may trust: at most these (a subset only removes trust). `approved`: sealed with the edge approval;
 * `last-publication`: no set was approved yet (an edge approved before certdesk sealed CA sets), so the
 * issuing CAs of the latest publication stand for it.
 */
export interface EdgeApprovedCas {
  source: 'approved' | 'last-publication';
  authorities: EdgeApprovedCa[];
  approvedAt: string | null;
  approvedBy: string | null;
}
