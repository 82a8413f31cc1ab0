export interface DiagnoseInput {
  tenant: string;
  clientId: string;
  /** Default: the newest certificate actively bound to the application. */
  cert?: string;
  audience?: string;
  resourceUrl?: string;
  /** Echoed in `diagnostic-stage` events so the page can follow its own run. */
  runId?: string;
}

/** `diagnostics:files`: the files the stages' commands name, with the client's key encrypted under `passphrase`. */
export interface DiagnosticFilesInput extends DiagnoseInput {
  passphrase: string;
  /**
   * Always refused (FORBIDDEN, field `dir`) before anything is read or written: no caller names
   * where a key goes. The desktop app asks in main's own folder dialog; web mode and the CLI get the files.
   */
  dir?: string;
}

/** One file of a flight check's reproduction, handed back for a browser download or the CLI's `--files`. */
export interface DiagnosticFile {
  name: string;
  contentBase64: string;
  /** The client's or the foreign key (encrypted or throw-away): the caller keeps it private (0600). */
  containsKey: boolean;
}

export interface DiagnosticFilesResult {
  /** Desktop app: the folder main wrote into, where the operator chose in its folder dialog. */
  dir?: string;
  /** Desktop app: the paths main wrote; otherwise the names of `contents`. */
  files: string[];
  /** Web mode and the CLI: the files themselves, for the caller to deliver. */
  contents?: DiagnosticFile[];
}

/** The named stages of a token flight check (RFC 8705), in the order they run. */
export const DIAGNOSTIC_STAGES = [
  'discovery',
  'edge-handshake',
  'token',
  'signature',
  'binding',
  'reject-no-cert',
  'reject-foreign-cert',
  'resource-server',
] as const;

export type DiagnosticStageId = (typeof DIAGNOSTIC_STAGES)[number];

/** Each stage's title: main reports it with the result, and the page shows it before the result. */
export const DIAGNOSTIC_STAGE_TITLES: Record<DiagnosticStageId, string> = {
  discovery: 'OpenID discovery',
  'edge-handshake': 'TLS handshake with the edge',
  token: 'Token request with the client certificate',
  signature: 'Token signature against the tenant JWKS',
  binding: 'Certificate binding (cnf.x5t#S256)',
  'reject-no-cert': 'A request without a certificate is refused',
  'reject-foreign-cert': 'A request with a foreign certificate is refused',
  'resource-server': 'The resource server refuses the token without the certificate',
};

export interface DiagnosticEvidence {
  label: string;
  value: string;
}

/** One stage's outcome: what was checked, how long it took, what was seen and, on failure, why and what to do. */
export interface DiagnosticStage {
  id: DiagnosticStageId;
  title: string;
  status: 'pass' | 'fail' | 'skip';
  ms: number;
  evidence: DiagnosticEvidence[];
  /** A stable code for a failure or skip (`EDGE_VERIFY_NOT_ON`, `CNF_MISSING`…). */
  code?: string;
  cause?: string;
  fix?: string;
  /** A curl command that reproduces the stage by hand; file names refer to `files` in the report. */
  curl?: string;
}

export interface DiagnosticsReport {
  ok: boolean;
  startedAt: string;
  tokenEndpoint: string | null;
  clientId: string;
  audience: string;
  thumbprintSha256: string;
  stages: DiagnosticStage[];
  /** The access token from stage 3, decoded (never the raw token). */
  token: { header: Record<string, unknown>; payload: Record<string, unknown> } | null;
}
