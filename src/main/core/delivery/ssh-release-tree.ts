import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { hasControlCharacters, hasFormatCharacters } from '../../../shared/validation.ts';
import { CertdeskError } from '../errors.ts';
import {
  CURRENT_LINK,
  RELEASE_ID_PATTERN,
  RELEASE_MANIFEST,
  RELEASES_FOLDER,
  type CurrentRelease,
  type ReleaseManifest,
} from './release.ts';
import { SFTP_NO_SUCH_FILE, SFTP_PERMISSION_DENIED, sftpCode, type RemoteFs } from './ssh-sftp.ts';

/** A release.json larger than this is not one certdesk wrote. */
const MANIFEST_LIMIT = 64 * 1024;
export const STAGING_PREFIX = '.staging-';

/** The target folder's path as given: absolute, normalized, no `.`/`..`, nothing invisible. */
export function checkRemotePath(path: string): void {
  const ok =
    typeof path === 'string' &&
    path.startsWith('/') &&
    path.length > 1 &&
    path.length <= 1024 &&
    posix.normalize(path) === path &&
    !path.endsWith('/') &&
    !hasControlCharacters(path) &&
    !hasFormatCharacters(path) &&
    !path.split('/').some((part) => part === '.' || part === '..');
  if (!ok)
    throw new CertdeskError(
      'VALIDATION',
      'The remote path must be an absolute folder path on the host, normalized (no "..", no trailing "/"), such as /etc/myservice/certs.',
      { field: 'path' },
    );
}

export function permissionDenied(path: string, host: string, cause: unknown): CertdeskError {
  return new CertdeskError(
    'SSH_PERMISSION_DENIED',
    `The ssh host ${host} denied access to ${path}. Give the target's user write access to the folder (and its releases/ folder); the current release was left as it was.`,
    { field: 'path', cause },
  );
}

function unsafe(root: string, host: string, detail: string): CertdeskError {
  return new CertdeskError(
    'SSH_PATH_UNSAFE',
    `The remote target ${host}:${root} is not safe to write: ${detail}. Nothing was written; point the target at the real folder, or remove what is in the way.`,
    { field: 'path' },
  );
}

/**
 * Checks, before anything is written, that the target folder is itself (no component of it is a
 * symlink leading elsewhere) and a folder, and that `releases/` in it, if there, is a real folder.
 * Returns the path of `releases/` (see `ensureReleases`).
 */
export async function openTree(fs: RemoteFs, root: string, host: string): Promise<string> {
  let real: string;
  try {
    real = await fs.realpath(root);
  } catch (error) {
    if (sftpCode(error) === SFTP_PERMISSION_DENIED) throw permissionDenied(root, host, error);
    if (sftpCode(error) === SFTP_NO_SUCH_FILE)
      throw new CertdeskError('NOT_FOUND', `The remote folder ${host}:${root} does not exist. Create it on the host first.`, {
        field: 'path',
        cause: error,
      });
    throw error;
  }
  if (real !== root) throw unsafe(root, host, `the path goes through a symlink and resolves to ${real}`);
  const stats = await fs.lstat(root);
  if (!stats.isDirectory()) throw unsafe(root, host, 'it is not a folder');
  const releases = posix.join(root, RELEASES_FOLDER);
  const existing = await fs.lstatOrNull(releases);
  if (existing !== null && !existing.isDirectory())
    throw unsafe(root, host, `${RELEASES_FOLDER} is ${existing.isSymbolicLink() ? 'a symlink' : 'not a folder'}`);
  return releases;
}

/** Creates `releases/` on the first delivery (openTree has checked that whatever is there is a real folder). */
export async function ensureReleases(fs: RemoteFs, releases: string, host: string): Promise<void> {
  if ((await fs.lstatOrNull(releases)) !== null) return;
  try {
    await fs.mkdir(releases, 0o755);
  } catch (error) {
    if (sftpCode(error) === SFTP_PERMISSION_DENIED) throw permissionDenied(releases, host, error);
    throw error;
  }
}

/**
 * The release id a `current`/`previous` link names, or null when there is no link. A link certdesk
 * did not write (anything but `releases/<release id>`) is refused, never followed.
 */
export async function readLinkId(fs: RemoteFs, root: string, name: string, host: string): Promise<string | null> {
  const link = posix.join(root, name);
  const stats = await fs.lstatOrNull(link);
  if (stats === null) return null;
  if (!stats.isSymbolicLink()) throw unsafe(root, host, `${name} is not a symlink`);
  const text = await fs.readlink(link);
  const id = text.startsWith(`${RELEASES_FOLDER}/`) ? text.slice(RELEASES_FOLDER.length + 1) : '';
  if (!RELEASE_ID_PATTERN.test(id)) throw unsafe(root, host, `${name} points at ${JSON.stringify(text)}, not at a release`);
  return id;
}

function parseManifest(bytes: Buffer | null, id: string): ReleaseManifest | null {
  if (!bytes) return null;
  try {
    const manifest = JSON.parse(bytes.toString('utf8')) as Partial<ReleaseManifest> | null;
    return manifest?.format === 'certdesk-release/1' &&
      manifest.releaseId === id &&
      typeof manifest.serialHex === 'string' &&
      typeof manifest.sha256 === 'string'
      ? (manifest as ReleaseManifest)
      : null;
  } catch {
    return null; // Unreadable: the release is rewritten rather than trusted.
  }
}

export async function readRelease(fs: RemoteFs, root: string, id: string, host: string): Promise<CurrentRelease> {
  const dir = posix.join(root, RELEASES_FOLDER, id);
  const stats = await fs.lstatOrNull(dir);
  if (stats !== null && !stats.isDirectory()) throw unsafe(root, host, `${RELEASES_FOLDER}/${id} is not a folder`);
  const bytes = stats === null ? null : await fs.readSmallFile(posix.join(dir, RELEASE_MANIFEST), MANIFEST_LIMIT);
  return { releaseId: id, manifest: parseManifest(bytes, id) };
}

export async function readCurrent(fs: RemoteFs, root: string, host: string): Promise<CurrentRelease | null> {
  const id = await readLinkId(fs, root, CURRENT_LINK, host);
  return id === null ? null : readRelease(fs, root, id, host);
}

export function tempName(prefix: string): string {
  return `${prefix}${randomBytes(8).toString('hex')}`;
}

/** Points link `name` at `releases/<id>`: a new link under a temp name, renamed over the old one (rename(2) is atomic). */
export async function swapLink(fs: RemoteFs, root: string, name: string, id: string): Promise<void> {
  const temp = posix.join(root, tempName(`.${name}.tmp-`));
  await fs.symlink(`${RELEASES_FOLDER}/${id}`, temp);
  try {
    await fs.posixRename(temp, posix.join(root, name));
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** Removes a release folder certdesk wrote: its plain files, then the folder. Never follows a link. */
export async function removeRelease(fs: RemoteFs, dir: string): Promise<void> {
  const stats = await fs.lstatOrNull(dir);
  if (stats === null) return;
  if (!stats.isDirectory()) return fs.unlink(dir);
  for (const entry of await fs.readdir(dir)) {
    // A sub-folder is not something certdesk writes: it is left, and so is the folder holding it.
    if (!entry.attrs.isDirectory()) await fs.unlink(posix.join(dir, entry.filename));
  }
  await fs.rmdir(dir);
}

/** Removes releases other than those kept, and staging folders an interrupted write left; best effort. */
export async function prune(fs: RemoteFs, releasesDir: string, keep: ReadonlySet<string>): Promise<void> {
  for (const entry of await fs.readdir(releasesDir)) {
    const name = entry.filename;
    if (keep.has(name)) continue;
    if (RELEASE_ID_PATTERN.test(name) || name.startsWith(STAGING_PREFIX))
      await removeRelease(fs, posix.join(releasesDir, name)).catch(() => undefined);
  }
}
