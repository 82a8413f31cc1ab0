/**
 * Delivery targets (issue 11): where a certificate's successor goes so the workload picks it up.
 * A target is data that belongs to a certificate and, through renewals, to its successors. Adding
 * one that names a place on disk or another host is an operator action (the CLI, or the desktop
 * app's native dialog); the web host refuses it.
 */

export const TARGET_KINDS = ['folder', 'ssh', 'csr-inbox'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const KEY_FORMATS = ['pem', 'encrypted', 'p12'] as const;
/** pem: PKCS#8 PEM; encrypted: PKCS#8 encrypted PEM; p12: PKCS#12. The last two under a passphrase the vault holds. */
export type KeyFormat = (typeof KEY_FORMATS)[number];

export interface TargetFileNames {
  cert: string;
  chain: string;
  fullchain: string;
  key: string;
  p12: string;
}

/** The default names (release.ts's DEFAULT_FILE_NAMES, restated here so the renderer can show them). */
export const DEFAULT_FILE_NAMES_V1: TargetFileNames = {
  cert: 'cert.pem',
  chain: 'chain.pem',
  fullchain: 'fullchain.pem',
  key: 'key.pem',
  p12: 'bundle.p12',
};

/** The current schema version of a stored target spec (`v`). */
export const TARGET_SPEC_VERSION = 1;

export interface FolderTargetSpec {
  v: 1;
  kind: 'folder';
  /** Absolute, resolved, no symlinked component. */
  path: string;
  keyFormat: KeyFormat;
  fileNames: TargetFileNames;
  /** The key file's mode (0o600 by default). */
  keyMode: number;
  /** The public files' mode (0o644 by default). */
  publicMode: number;
  /** Numeric ids, resolved from names when the target was added; chown only when set. */
  uid: number | null;
  gid: number | null;
  /** An argv run without a shell after each delivery that changed `current`; approved with the target. */
  reload: string[] | null;
}

export interface SshTargetSpec {
  v: 1;
  kind: 'ssh';
  host: string;
  port: number;
  user: string;
  path: string;
  /** The pinned host key, `SHA256:…` as OpenSSH prints it. */
  hostKey: string;
  /** The `keys` row of this target's own ed25519 client key, made and sealed by the vault when the target was added. */
  clientKeyId: string;
  keyFormat: KeyFormat;
  fileNames: TargetFileNames;
  keyMode: number;
  publicMode: number;
  reload: string[] | null;
}

export interface CsrInboxTargetSpec {
  v: 1;
  kind: 'csr-inbox';
  path: string;
}

export type TargetSpec = FolderTargetSpec | SshTargetSpec | CsrInboxTargetSpec;

/** What a caller asks for; the host fills in where an operator must choose (see TargetApprover). */
export type TargetAddInput =
  | {
      cert: string;
      kind: 'folder';
      /** Required from the CLI; ignored by the desktop app, which asks in its native folder dialog. */
      path?: string;
      keyFormat?: KeyFormat;
      fileNames?: Partial<TargetFileNames>;
      /** Octal text (`0640`) for the key file. */
      mode?: string;
      owner?: string;
      group?: string;
      reload?: string[];
    }
  | {
      cert: string;
      kind: 'ssh';
      host: string;
      port?: number;
      user: string;
      path: string;
      hostKey: string;
      keyFormat?: KeyFormat;
      fileNames?: Partial<TargetFileNames>;
      mode?: string;
      reload?: string[];
    }
  | { cert: string; kind: 'csr-inbox'; path: string };

export interface TargetView {
  id: string;
  kind: TargetKind;
  /** The certificate the target was added to. */
  certificateId: string;
  /** Set when listed for a successor: the target came with the lineage from this certificate. */
  inheritedFrom: string | null;
  spec: TargetSpec;
  /** Whether the stored target still carries the operator's approval (false: edited outside certdesk, never used). */
  approved: boolean;
  approvedBy: string;
  createdAt: string;
  removedAt: string | null;
  /** The last delivery to it, if any. */
  last: DeliveryRecord | null;
  /** ssh, when listed: the target's own client key, whose line the operator installs on the host. */
  clientKey?: SshClientKeyView;
}

/** An ssh target's client key as the operator sees it: the authorized_keys line, or why it cannot be shown now. */
export interface SshClientKeyView {
  /** `ssh-ed25519 AAAA… certdesk:<target>@<host>`: append it to ~/.ssh/authorized_keys of the target's user on the host. */
  authorizedKey: string | null;
  /** `SHA256:…`, as sshd logs it when it accepts the key. */
  fingerprint: string | null;
  /** Set when the line cannot be read (the vault is locked, or the target predates its own client key). */
  problem: string | null;
}

export interface TargetAddResult {
  target: TargetView;
  /** Shown once: the passphrase of an encrypted or PKCS#12 key, held by the vault. */
  passphrase?: string;
  /** ssh: the `authorized_keys` line of the target's client key, to install for the user on the host. */
  authorizedKey?: string;
  /** ssh: that key's `SHA256:…` fingerprint, as sshd logs it when it accepts the key. */
  clientKeyFingerprint?: string;
}

export interface TargetTestResult {
  target: string;
  ok: boolean;
  /** One line per check: writable, layout, current release. */
  checks: Array<{ name: string; ok: boolean; detail: string }>;
  currentSerial: string | null;
  currentReleaseId: string | null;
}

/** What `targets:rollback` did: `current` points at the release that was `previous`, and `previous` at the one rolled back from. */
export interface TargetRollbackResult {
  target: string;
  /** The release now current again, and what its release.json says it holds. */
  releaseId: string;
  serialHex: string | null;
  certificateId: string | null;
  /** The release that was current before (now `previous`: a second rollback undoes this one). */
  rolledBackFrom: string | null;
  /** The target's reload argv, when it has one: it ran after the switch, as after a delivery. */
  reload: string[] | null;
}

export type DeliveryStatus = 'done' | 'skipped' | 'failed';

export interface DeliveryRecord {
  id: number;
  targetId: string;
  certificateId: string;
  serialHex: string;
  releaseId: string | null;
  status: DeliveryStatus;
  detail: string;
  at: string;
}

export interface DeliverResult {
  certificateId: string;
  serialHex: string;
  outcome: 'done' | 'skip' | 'wait';
  detail: string;
  deliveries: DeliveryRecord[];
}
