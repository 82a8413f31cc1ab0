/**
 * Where a folder target may write, checked when the target is added and again before every write
 * (the folder could have been swapped for a symlink since): an absolute, normalised path outside
 * /proc, /sys and /dev, none of whose components is a symlink. A symlink anywhere on the way would
 * let whoever can change it send the key into another tree, so the real path is asked for instead.
 */
import { lstatSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, normalize, sep } from 'node:path';
import { CertdeskError } from '../errors.ts';

function unsafe(message: string, field: string): CertdeskError {
  return new CertdeskError('TARGET_PATH_UNSAFE', `${message} Nothing was written.`, { field });
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw unsafe(
      `${path} cannot be examined (${code ?? (error as Error).message}); certdesk needs to see every folder on the way.`,
      'path',
    );
  }
}

/**
 * Returns the folder when it is safe to deliver into. `allowMissing`: the last component may not
 * exist yet (the operator named a new folder; its parent must exist). Throws TARGET_PATH_UNSAFE.
 */
export function checkTargetFolder(path: string, options: { field?: string; allowMissing?: boolean } = {}): string {
  const field = options.field ?? 'path';
  if (!isAbsolute(path)) throw unsafe(`The target path ${JSON.stringify(path)} is relative; give an absolute path.`, field);
  // No `..` or `//` games: the path must already be in its plain form.
  const folder = path.length > 1 && path.endsWith(sep) ? path.slice(0, -1) : path;
  if (normalize(folder) !== folder || folder.split(sep).includes('..'))
    throw unsafe(`The target path ${path} is not in plain form; give it as ${normalize(folder)}.`, field);
  if (/^\/(proc|sys|dev)(\/|$)/.test(folder)) throw unsafe(`${folder} is a system folder; choose an ordinary folder.`, field);
  if (folder === sep) throw unsafe('The target path is the root folder; choose a folder of its own.', field);
  const parts = folder.split(sep).filter(Boolean);
  let current = '';
  for (let i = 0; i < parts.length; i++) {
    current += sep + parts[i];
    const stat = lstatOrNull(current);
    if (!stat) {
      if (options.allowMissing && i === parts.length - 1) return folder;
      throw unsafe(
        `${current} does not exist; create ${i === parts.length - 1 ? 'the target folder' : 'the folders on the way'} first (certdesk creates only the target folder itself, in an existing parent).`,
        field,
      );
    }
    if (stat.isSymbolicLink())
      throw unsafe(
        `${current} is a symbolic link; a target folder must be reached without one (a link could send the key into another tree). Give the real path instead.`,
        field,
      );
    if (!stat.isDirectory()) throw unsafe(`${current} is not a folder.`, field);
  }
  return folder;
}

/** The parent of a target folder, for a check that it exists. */
export function targetParent(folder: string): string {
  return dirname(folder);
}
