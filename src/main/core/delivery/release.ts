/**
 * The release layout every delivery target writes, on this machine or over SFTP. Workload scripts
 * and the tests rely on it, so it is one definition:
 *
 *   DIR/releases/<release id>/   cert.pem chain.pem fullchain.pem key.pem (names configurable) release.json
 *   DIR/current  -> releases/<release id>     relative symlink, swapped atomically (rename of a new link)
 *   DIR/previous -> releases/<older id>       the release before, kept for rollback
 *
 * A release folder is complete (written and fsynced) before `current` points at it, and is never
 * changed afterwards, so a reader that resolves `DIR/current` once (realpath) and reads the certificate
 * and the key from that folder always gets a matching pair. Two opens through `current` itself can
 * straddle a swap: the README tells workload scripts to resolve first. Older releases than
 * `previous` are pruned.
 */

export const RELEASES_FOLDER = 'releases';
export const CURRENT_LINK = 'current';
export const PREVIOUS_LINK = 'previous';
export const RELEASE_MANIFEST = 'release.json';

/** The default file names (a target may rename each). */
export const DEFAULT_FILE_NAMES = {
  cert: 'cert.pem',
  chain: 'chain.pem',
  fullchain: 'fullchain.pem',
  key: 'key.pem',
  p12: 'bundle.p12',
} as const;

export type ReleaseFileRole = keyof typeof DEFAULT_FILE_NAMES;

/** One file of a release: its plain name (no path), its bytes and its mode. */
export interface ReleaseFile {
  role: ReleaseFileRole;
  name: string;
  bytes: Uint8Array;
  /** 0o600 for a key (the default), 0o644 for public material unless the target says otherwise. */
  mode: number;
}

/** What `release.json` records, so a target's current serial is read without parsing PEM. */
export interface ReleaseManifest {
  format: 'certdesk-release/1';
  releaseId: string;
  certificateId: string;
  serialHex: string;
  /** SHA-256 of the leaf's DER, hex. */
  sha256: string;
  notAfter: string;
  writtenAt: string;
  /** File name → SHA-256 hex of its bytes, so a partial or altered release is detected. */
  files: Record<string, string>;
}

export interface Release {
  manifest: ReleaseManifest;
  files: ReleaseFile[];
}

/** What a writer found at the target before writing: the release `current` points at, if any. */
export interface CurrentRelease {
  releaseId: string;
  manifest: ReleaseManifest | null;
}

/**
 * A place releases are written to: a folder on this machine, or one reached over SFTP. Writing is
 * idempotent per release id: writing the release that is already current changes nothing.
 */
export interface ReleaseWriter {
  /** The release `current` points at, or null when there is none yet. */
  current(): Promise<CurrentRelease | null>;
  /** Writes the release folder completely, then swaps `current` (and `previous`), then prunes. */
  write(release: Release): Promise<{ releaseId: string; previousReleaseId: string | null; changed: boolean }>;
  /** Points `current` back at `previous` (the operator's rollback). */
  rollback(): Promise<{ releaseId: string }>;
}

/** A release id: sortable by time, readable, and unique per certificate serial. */
export function releaseId(serialHex: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${serialHex.toLowerCase().slice(0, 16)}`;
}

/** A release id as certdesk writes it; anything else found on a target is not followed. */
export const RELEASE_ID_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{1,16}$/;
