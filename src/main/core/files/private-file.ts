/**
 * The one way certdesk writes a key or a secret to disk. The bytes go to a temp file in the target's
 * folder (opened O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600 forced past the umask), are fsync'ed, and only
 * then appear under the target name, atomically, with the folder fsync'ed: a reader or a crash sees
 * the whole file or none. Without `replace` the target is created exclusively (link(2), which fails
 * on anything already there and never follows a symlink): of concurrent writers exactly one wins.
 * With `replace`, rename(2) swaps the file in. A symlink at the target is always refused, so a key
 * is never written through a link someone planted. On any failure the temp file is removed.
 *
 * Deliberately free of certdesk imports: callers turn {@link PrivateFileError} into their own error.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { dirname, join } from 'node:path';

export interface PrivateFileOptions {
  /** Atomically replace an existing regular file instead of refusing it. */
  replace?: boolean;
}

/** Why the target was refused: `EEXIST` (something is there), `ELOOP` (a symlink), `EISDIR` (not a regular file). */
export class PrivateFileError extends Error {
  override name = 'PrivateFileError';
  readonly code: 'EEXIST' | 'ELOOP' | 'EISDIR';
  readonly path: string;
  // No parameter properties: the tests load this file with Node's type stripping, in child processes.
  constructor(code: 'EEXIST' | 'ELOOP' | 'EISDIR', path: string) {
    super(
      code === 'EEXIST'
        ? `${path} already exists`
        : code === 'ELOOP'
          ? `${path} is a symbolic link; a private file is never written through one`
          : `${path} is not a regular file`,
    );
    this.code = code;
    this.path = path;
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** Filesystems that cannot hard-link (FAT, some network and FUSE mounts) answer one of these. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
}

/** Creates `path` itself exclusively: the fallback where hard links do not exist. Removed again if writing fails. */
function createInPlace(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeAll(fd, bytes);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(path);
    throw error;
  }
  closeSync(fd);
}

function fsyncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch {
    return; // A folder we cannot open for reading (mode 0300, say) still holds the renamed file.
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    // Some filesystems cannot fsync a folder; the rename is still done.
    if (!['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EBADF'].includes(errno(error) ?? '')) throw error;
  } finally {
    closeSync(fd);
  }
}

/** Writes `bytes` to `path` with mode 0600, all or nothing; refuses an existing target unless `replace`. */
export function writePrivateFile(path: string, bytes: Uint8Array | string, options: PrivateFileOptions = {}): void {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const existing = lstatOrNull(path);
  if (existing?.isSymbolicLink()) throw new PrivateFileError(options.replace ? 'ELOOP' : 'EEXIST', path);
  if (existing && !options.replace) throw new PrivateFileError('EEXIST', path);
  if (existing && !existing.isFile()) throw new PrivateFileError('EISDIR', path);

  const dir = dirname(path);
  const temp = join(dir, `.certdesk-${randomBytes(9).toString('hex')}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    try {
      fchmodSync(fd, 0o600);
      writeAll(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.replace) renameSync(temp, path);
    else publishExclusively(temp, path, data);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed, or gone: the first error is the one to report.
    }
    throw error;
  }
  fsyncFolder(dir);
}

/** link(2) the finished temp file to the target (fails if anything is there), then drop the temp name. */
function publishExclusively(temp: string, path: string, data: Uint8Array): void {
  try {
    linkSync(temp, path);
  } catch (error) {
    if (errno(error) === 'EEXIST') throw new PrivateFileError('EEXIST', path);
    if (!NO_LINKS.has(errno(error) ?? '')) throw error;
    try {
      createInPlace(path, data);
    } catch (inPlace) {
      throw errno(inPlace) === 'EEXIST' ? new PrivateFileError('EEXIST', path) : inPlace;
    }
  }
  unlinkSync(temp);
}
