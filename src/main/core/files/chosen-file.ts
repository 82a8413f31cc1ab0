/**
 * Writing to a path an operator chose (the desktop save dialog, the CLI's `--out`): the folder must
 * already exist, because certdesk never creates folders on a caller's word; an existing file is
 * replaced only when the operator said so; a symlink is never written through. Every refusal is a
 * named CertdeskError that says which field is wrong and what to do, and leaves the disk unchanged.
 */
import { lstatSync, mkdirSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CertdeskError } from '../errors.ts';
import { PrivateFileError, writePrivateFile } from './private-file.ts';

export interface ChosenFileOptions {
  /** The input field that named the path (`path`, `out`), for the error. */
  field: string;
  /** The operator confirmed replacing an existing file (the dialog's own question, the CLI's `--force`). */
  replace?: boolean;
  /** How to tell the operator to allow a replace, for the error (`pass --force`). */
  replaceHint?: string;
}

/** The file's own status (`follow`: what a symlink points to, as for a folder reached through one), or null when absent. */
function lstatOrNull(path: string, follow = false): Stats | null {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw error;
  }
}

/** Refuses, before any work, a target certdesk would not write: returns the absolute path when it would. */
export function checkChosenFile(path: string, options: ChosenFileOptions): string {
  const target = resolve(path);
  const { field } = options;
  if (/^\/(proc|sys|dev)(\/|$)/.test(target))
    throw new CertdeskError('VALIDATION', `${target} is in a system folder; choose a file in an ordinary folder.`, { field });
  const folder = dirname(target);
  const parent = lstatOrNull(folder, true);
  if (!parent)
    throw new CertdeskError(
      'NOT_FOUND',
      `The folder ${folder} does not exist, and certdesk never creates folders: create it first or choose an existing one. Nothing was written.`,
      { field },
    );
  if (!parent.isDirectory())
    throw new CertdeskError('VALIDATION', `${folder} is not a folder; choose a file in an existing folder. Nothing was written.`, {
      field,
    });
  const existing = lstatOrNull(target);
  if (existing?.isSymbolicLink())
    throw new CertdeskError('FORBIDDEN', `${target} is a symbolic link; certdesk never writes through one. Choose another file name.`, {
      field,
    });
  if (existing && !existing.isFile())
    throw new CertdeskError('VALIDATION', `${target} is not a regular file; choose another file name.`, { field });
  if (existing && !options.replace)
    throw new CertdeskError(
      'CONFLICT',
      `${target} already exists; choose another file name${options.replaceHint ? ` or ${options.replaceHint} to replace it` : ''}. Nothing was written.`,
      { field },
    );
  return target;
}

/**
 * Writes `bytes` to the chosen `path`. `private` files (anything with a key) go through
 * {@link writePrivateFile}: mode 0600, a temp file in the same folder opened O_EXCL, then renamed or
 * linked into place, so a reader sees the whole file or none.
 */
export function writeChosenFile(path: string, bytes: Uint8Array | string, options: ChosenFileOptions & { private: boolean }): string {
  const target = checkChosenFile(path, options);
  try {
    if (options.private) writePrivateFile(target, bytes, { replace: options.replace === true });
    else writeFileSync(target, bytes, { flag: options.replace ? 'w' : 'wx', mode: 0o644 });
  } catch (cause) {
    // Lost a race with whoever created the file after the check: still refused, still named.
    const code = cause instanceof PrivateFileError ? cause.code : (cause as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new CertdeskError('CONFLICT', `${target} already exists; choose another file name. Nothing was written.`, {
        field: options.field,
        cause,
      });
    throw new CertdeskError('VALIDATION', `Cannot write ${target} (${code ?? (cause as Error).message}); choose a file you can write.`, {
      field: options.field,
      cause,
    });
  }
  return target;
}

/**
 * Makes the folder a caller named (a publish or files folder) when it is missing, but never its
 * parents: a missing parent is a named NOT_FOUND, and nothing is created.
 */
export function makeFolderInExistingParent(dir: string, options: { field: string; mode: number }): void {
  const parent = dirname(dir);
  const info = lstatOrNull(parent, true);
  if (info && !info.isDirectory())
    throw new CertdeskError('VALIDATION', `${parent} is not a folder; choose a folder inside an existing one. Nothing was written.`, {
      field: options.field,
    });
  if (!info)
    throw new CertdeskError(
      'NOT_FOUND',
      `The folder ${parent} does not exist, and certdesk never creates folders on the way: create it first or choose an existing one. Nothing was written.`,
      { field: options.field },
    );
  try {
    mkdirSync(dir, { mode: options.mode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
