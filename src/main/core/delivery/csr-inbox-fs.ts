/**
 * The filesystem rules of a CSR inbox (see csr-inbox.ts for the contract). The inbox is a folder a
 * workload writes into, so certdesk trusts it only as far as sshd's StrictModes trusts a home
 * folder: it and its `issued/` and `rejected/` folders are owned by this user and writable by
 * nobody else, and no component of its path is a symlink (a link would let whoever controls it
 * point certdesk's writes into another tree). A folder that fails is a named error and nothing is
 * touched; only the files certdesk writes itself go through {@link writeAtomic}.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CertdeskError } from '../errors.ts';

export const REQUEST_FILE = 'request.csr';
export const ISSUED_FOLDER = 'issued';
export const REJECTED_FOLDER = 'rejected';
/** A CSR is a few KiB at most (RSA-4096 with SANs); anything larger is refused unread. */
export const MAX_CSR_BYTES = 64 * 1024;

const FIELD = 'path';

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function uid(): number | null {
  return typeof process.getuid === 'function' ? process.getuid() : null;
}

/** Owned by this user (or root, for the folders above the inbox) and writable by no one else. */
function checkOwnerAndMode(path: string, info: Stats, what: string, rootMayOwn: boolean): void {
  // Windows has neither uids nor these mode bits (its stat reports 0o777 for any folder); its ACLs are the operator's.
  if (process.platform === 'win32') return;
  const me = uid();
  if (me !== null && info.uid !== me && !(rootMayOwn && info.uid === 0))
    throw new CertdeskError(
      'FORBIDDEN',
      `${what} ${path} is owned by uid ${info.uid}, not by this user (uid ${me}); certdesk signs only from an inbox it owns, as sshd's StrictModes does. chown it to this user. Nothing was changed.`,
      { field: FIELD },
    );
  // A sticky folder (like /tmp) lets no one else rename or remove what this user owns in it.
  const sticky = (info.mode & 0o1000) !== 0;
  if ((info.mode & 0o022) !== 0 && !(rootMayOwn && sticky))
    throw new CertdeskError(
      'FORBIDDEN',
      `${what} ${path} is writable by its group or by others (mode ${(info.mode & 0o7777).toString(8)}); anyone who can write it could request a certificate or replace the answer. chmod go-w it. Nothing was changed.`,
      { field: FIELD },
    );
}

/**
 * The inbox's absolute path, once it has passed the rules above; refuses a missing folder, a path
 * through a symlink (naming the real path to configure instead), and unsafe owners or modes.
 */
export function checkInboxFolder(dir: string): string {
  const folder = resolve(dir);
  let real: string;
  try {
    real = realpathSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new CertdeskError(
        'NOT_FOUND',
        `The CSR inbox ${folder} does not exist; create the target again (certdesk target add … --kind csr-inbox).`,
        {
          field: FIELD,
        },
      );
    throw new CertdeskError('FORBIDDEN', `The CSR inbox ${folder} cannot be resolved (${code ?? 'error'}). Nothing was changed.`, {
      field: FIELD,
      cause: error,
    });
  }
  const differs = process.platform === 'win32' ? real.toLowerCase() !== folder.toLowerCase() : real !== folder;
  if (differs)
    throw new CertdeskError(
      'FORBIDDEN',
      `The CSR inbox ${folder} is or passes through a symbolic link (it leads to ${real}); certdesk never follows a link into another tree. Configure the real path ${real} instead. Nothing was changed.`,
      { field: FIELD },
    );
  const info = lstatSync(folder);
  if (!info.isDirectory())
    throw new CertdeskError('VALIDATION', `The CSR inbox ${folder} is not a folder. Nothing was changed.`, { field: FIELD });
  checkOwnerAndMode(folder, info, 'The CSR inbox', false);
  for (let up = dirname(folder); ; up = dirname(up)) {
    checkOwnerAndMode(up, lstatSync(up), 'The folder above the CSR inbox,', true);
    if (dirname(up) === up) break;
  }
  return folder;
}

/**
 * `issued/` or `rejected/` in a checked inbox: made (0755) when missing, refused when it is a
 * symlink, not a folder, or fails the owner and mode rule.
 */
export function ensureSubfolder(folder: string, name: typeof ISSUED_FOLDER | typeof REJECTED_FOLDER): string {
  const path = join(folder, name);
  let info = lstatOrNull(path);
  if (!info) {
    try {
      mkdirSync(path, { mode: 0o755 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    info = lstatSync(path);
  }
  if (info.isSymbolicLink())
    throw new CertdeskError(
      'FORBIDDEN',
      `${path} is a symbolic link; certdesk never writes through one. Replace it with a plain folder. Nothing was changed.`,
      { field: FIELD },
    );
  if (!info.isDirectory())
    throw new CertdeskError('VALIDATION', `${path} is not a folder; remove it so certdesk can make the folder. Nothing was changed.`, {
      field: FIELD,
    });
  checkOwnerAndMode(path, info, 'The inbox folder', false);
  return path;
}

export function fsyncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch {
    return; // A folder that cannot be opened for reading (Windows, mode 0300) still holds the renamed file.
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    // Some filesystems cannot fsync a folder; the rename is still done.
    if (!['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EBADF'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `bytes` to `path` so a reader sees the old file or the new one, never a part: a temp name
 * in the same folder (O_EXCL|O_NOFOLLOW, dot-prefixed so no reader mistakes it), fsync, rename over
 * the target (rename replaces a symlink itself, never writes through it), fsync the folder.
 */
export function writeAtomic(path: string, bytes: Uint8Array | string, mode: number): void {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const temp = join(dirname(path), `.certdesk-${randomBytes(9).toString('hex')}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    try {
      fchmodSync(fd, mode);
      for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed, or gone: the first error is the one to report.
    }
    throw error;
  }
  fsyncFolder(dirname(path));
}

/** A name for a refused request that sorts by time and never replaces an earlier one. */
export function rejectedName(rejected: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '');
  for (let n = 1; ; n++) {
    const name = `${stamp}${n === 1 ? '' : `-${n}`}-${REQUEST_FILE}`;
    if (!lstatOrNull(join(rejected, name)) && !lstatOrNull(join(rejected, `${name}.reason`))) return name;
  }
}

export { lstatOrNull };
