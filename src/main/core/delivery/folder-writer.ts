/**
 * The folder target's writer: the release layout of release.ts on this machine. A release is written
 * whole under a staging name (each file to a temporary name, fsynced, renamed), the staging folder is
 * renamed to `releases/<id>` and the folder fsynced; only then do new relative symlinks
 * (`previous.tmp-…`, `current.tmp-…`) replace `previous` and `current` by rename, which is atomic.
 * A failure before that removes what was staged and leaves `current` as it was.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CertdeskError } from '../errors.ts';
import {
  CURRENT_LINK,
  PREVIOUS_LINK,
  RELEASE_ID_PATTERN,
  RELEASE_MANIFEST,
  RELEASES_FOLDER,
  type CurrentRelease,
  type Release,
  type ReleaseManifest,
  type ReleaseWriter,
} from './release.ts';
import { checkTargetFolder } from './folder-path.ts';

export interface FolderWriterOptions {
  /** chown every file and the release folder (only when set). */
  uid?: number | null;
  gid?: number | null;
  /** The release folders' own mode. */
  folderMode?: number;
}

const STAGING_PREFIX = '.staging-';

function tmpSuffix(): string {
  return randomBytes(6).toString('hex');
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `releases/<id>` as a link's text, or null when it is anything else (a link certdesk did not make is not followed). */
function linkedRelease(text: string): string | null {
  const match = /^releases\/([^/]+)$/.exec(text);
  return match && RELEASE_ID_PATTERN.test(match[1]!) ? match[1]! : null;
}

function failed(dir: string, step: string, error: unknown): CertdeskError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? 'the disk is full'
        : code === 'EFBIG'
          ? 'a file size limit was reached'
          : (error as Error).message;
  return new CertdeskError(
    'DELIVERY_FAILED',
    `Delivering to ${dir} failed while ${step}: ${why}. The previous release stays current; fix the folder and deliver again (certdesk deliver CERT).`,
    { field: 'target', cause: error },
  );
}

export class FolderWriter implements ReleaseWriter {
  readonly dir: string;
  private readonly options: FolderWriterOptions;

  constructor(dir: string, options: FolderWriterOptions = {}) {
    this.dir = dir;
    this.options = options;
  }

  private async link(name: string): Promise<string | null> {
    try {
      return linkedRelease(await readlink(join(this.dir, name)));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      if (code === 'EINVAL')
        throw new CertdeskError(
          'CONFLICT',
          `${join(this.dir, name)} is not a symbolic link; the target folder holds files certdesk did not write. Choose an empty folder or move them away.`,
          { field: 'target' },
        );
      throw error;
    }
  }

  private async manifest(releaseId: string): Promise<ReleaseManifest | null> {
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, RELEASES_FOLDER, releaseId, RELEASE_MANIFEST), 'utf8')) as ReleaseManifest;
      return parsed.format === 'certdesk-release/1' ? parsed : null;
    } catch {
      return null;
    }
  }

  async current(): Promise<CurrentRelease | null> {
    try {
      checkTargetFolder(this.dir, { field: 'target' });
      const releaseId = await this.link(CURRENT_LINK);
      return releaseId === null ? null : { releaseId, manifest: await this.manifest(releaseId) };
    } catch (error) {
      throw error instanceof CertdeskError ? error : failed(this.dir, 'reading the current release', error);
    }
  }

  async previous(): Promise<string | null> {
    return this.link(PREVIOUS_LINK);
  }

  async write(release: Release): Promise<{ releaseId: string; previousReleaseId: string | null; changed: boolean }> {
    const current = await this.current();
    const want = release.manifest;
    if (current?.manifest && current.manifest.serialHex === want.serialHex && current.manifest.sha256 === want.sha256)
      return { releaseId: current.releaseId, previousReleaseId: await this.previous(), changed: false };
    const releases = join(this.dir, RELEASES_FOLDER);
    const id = want.releaseId;
    if (!RELEASE_ID_PATTERN.test(id)) throw new CertdeskError('VALIDATION', `${id} is not a release id.`, { field: 'release' });
    const staging = join(releases, `${STAGING_PREFIX}${id}-${tmpSuffix()}`);
    const final = join(releases, id);
    let renamed = false;
    try {
      await mkdir(releases, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      if ((await lstat(releases)).isSymbolicLink())
        throw new CertdeskError('TARGET_PATH_UNSAFE', `${releases} is a symbolic link; certdesk never writes through one.`, {
          field: 'target',
        });
      await mkdir(staging, { mode: this.options.folderMode ?? 0o755 });
      for (const file of [...release.files, manifestFile(release)]) await this.writeFile(staging, file.name, file.bytes, file.mode);
      await this.own(staging);
      await fsyncPath(staging);
      // A leftover of the same id (a failed run killed after the rename) is never current: replace it.
      if (id !== current?.releaseId) await rm(final, { recursive: true, force: true });
      await rename(staging, final);
      renamed = true;
      await fsyncPath(releases);
    } catch (error) {
      await rm(staging, { recursive: true, force: true }).catch(() => undefined);
      if (renamed) await rm(final, { recursive: true, force: true }).catch(() => undefined);
      throw error instanceof CertdeskError ? error : failed(this.dir, 'writing the release', error);
    }
    try {
      const before = current?.releaseId ?? null;
      // previous first: a crash between the two leaves previous = current, never a lost rollback.
      if (before !== null && before !== id) await this.swap(PREVIOUS_LINK, before);
      await this.swap(CURRENT_LINK, id);
      await fsyncPath(this.dir);
    } catch (error) {
      if ((await this.link(CURRENT_LINK).catch(() => null)) !== id)
        await rm(final, { recursive: true, force: true }).catch(() => undefined);
      throw error instanceof CertdeskError ? error : failed(this.dir, 'switching current', error);
    }
    await this.prune().catch(() => undefined);
    return { releaseId: id, previousReleaseId: await this.previous(), changed: true };
  }

  /**
   * Points `current` back at `previous`, and `previous` at the release that was current, so a second
   * rollback undoes the first. `current` is swapped first: a crash between the two renames leaves the
   * release the operator asked for current (and `previous` naming it too), never the old one.
   */
  async rollback(): Promise<{ releaseId: string }> {
    checkTargetFolder(this.dir, { field: 'target' });
    try {
      const previous = await this.previous();
      const current = await this.link(CURRENT_LINK);
      if (previous === null || previous === current || !(await this.completeRelease(previous)))
        throw new CertdeskError(
          'NO_PREVIOUS_RELEASE',
          `${this.dir} has no ${previous === null ? '' : 'complete '}previous release to roll back to${previous === current && previous !== null ? ' (previous is the current release)' : ''}. Nothing was changed; deliver the certificate you want current instead (certdesk deliver CERT).`,
          { field: 'target' },
        );
      await this.swap(CURRENT_LINK, previous);
      if (current !== null) await this.swap(PREVIOUS_LINK, current);
      await fsyncPath(this.dir);
      return { releaseId: previous };
    } catch (error) {
      throw error instanceof CertdeskError ? error : failed(this.dir, 'rolling back', error);
    }
  }

  /** Whether every file the release's manifest lists is there with the bytes it recorded: only such a release becomes current. */
  private async completeRelease(releaseId: string): Promise<boolean> {
    const manifest = await this.manifest(releaseId);
    if (!manifest || manifest.releaseId !== releaseId) return false;
    for (const [name, sha256] of Object.entries(manifest.files ?? {})) {
      if (!/^[A-Za-z0-9._-]{1,128}$/.test(name) || name.startsWith('.')) return false;
      const bytes = await readFile(join(this.dir, RELEASES_FOLDER, releaseId, name), {
        flag: constants.O_RDONLY | constants.O_NOFOLLOW,
      }).catch(() => null);
      if (!bytes || createHash('sha256').update(bytes).digest('hex') !== sha256) return false;
    }
    return true;
  }

  private async writeFile(folder: string, name: string, bytes: Uint8Array, mode: number): Promise<void> {
    const tmp = join(folder, `.${name}.tmp-${tmpSuffix()}`);
    const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
    try {
      await handle.writeFile(bytes);
      // The umask may have narrowed (or, for a key, must not widen) the mode asked for.
      await handle.chmod(mode);
      if (this.owned()) await handle.chown(this.options.uid ?? -1, this.options.gid ?? -1);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, join(folder, name));
  }

  private owned(): boolean {
    return (this.options.uid ?? null) !== null || (this.options.gid ?? null) !== null;
  }

  private async own(folder: string): Promise<void> {
    if (!this.owned()) return;
    const handle = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      await handle.chown(this.options.uid ?? -1, this.options.gid ?? -1);
    } finally {
      await handle.close();
    }
  }

  /** A new relative link under a temporary name, renamed over `name`: readers see the old link or the new one, never none. */
  private async swap(name: string, releaseId: string): Promise<void> {
    const tmp = join(this.dir, `${name}.tmp-${tmpSuffix()}`);
    await symlink(`${RELEASES_FOLDER}/${releaseId}`, tmp);
    try {
      await rename(tmp, join(this.dir, name));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  /** Keeps `current` and `previous`; removes older releases and staging left by a killed run. */
  private async prune(): Promise<void> {
    const keep = new Set([await this.link(CURRENT_LINK), await this.link(PREVIOUS_LINK)]);
    const releases = join(this.dir, RELEASES_FOLDER);
    for (const entry of await readdir(releases)) {
      if (keep.has(entry)) continue;
      if (RELEASE_ID_PATTERN.test(entry) || entry.startsWith(STAGING_PREFIX))
        await rm(join(releases, entry), { recursive: true, force: true });
    }
  }
}

function manifestFile(release: Release): { name: string; bytes: Uint8Array; mode: number } {
  return { name: RELEASE_MANIFEST, bytes: Buffer.from(`${JSON.stringify(release.manifest, null, 2)}\n`), mode: 0o644 };
}
