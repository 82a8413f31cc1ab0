/**
 * Writing several files into a folder an operator chose (the desktop folder dialog, the CLI's
 * `diagnose --files`), with the rules of {@link checkChosenFile} for each file: every file is
 * checked before the first is written, so a refusal leaves the disk as it was; a file that was
 * already there is replaced only when the operator said so; a folder is made only where the
 * operator named it (`makeFolder`), never its parents.
 */
import { lstatSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CertdeskError } from '../errors.ts';
import { checkChosenFile, makeFolderInExistingParent, writeChosenFile, type ChosenFileOptions } from './chosen-file.ts';

export interface FolderFile {
  name: string;
  bytes: Uint8Array | string;
  /** Holds a key: written 0600, atomically (see writePrivateFile). */
  private: boolean;
}

export interface ChosenFolderOptions extends ChosenFileOptions {
  /** The operator named this very folder (CLI): make it when missing, in an existing parent. */
  makeFolder?: boolean;
}

/** Whether `path` is a folder (through a symlink too, as the operator's own folder may be one); null when absent. */
function isFolder(path: string): boolean | null {
  try {
    return statSync(path).isDirectory();
  } catch {
    return null;
  }
}

/** Refuses, before any work, a folder or a file in it that certdesk would not write; returns which files exist already. */
export function checkChosenFolder(
  dir: string,
  names: readonly string[],
  options: ChosenFolderOptions,
): { folder: string; existing: Set<string> } {
  const folder = resolve(dir);
  const { field } = options;
  if (/^\/(proc|sys|dev)(\/|$)/.test(folder))
    throw new CertdeskError('VALIDATION', `${folder} is a system folder; choose an ordinary folder. Nothing was written.`, { field });
  // The names come from certdesk itself; a path in one would leave the folder the operator chose.
  for (const name of names)
    if (name !== basename(name) || name.startsWith('.'))
      throw new CertdeskError('VALIDATION', `${name} is not a plain file name; nothing was written.`, { field });
  const existing = new Set<string>();
  const kind = isFolder(folder);
  if (kind === false) throw new CertdeskError('VALIDATION', `${folder} is not a folder; choose a folder. Nothing was written.`, { field });
  if (kind === null) {
    if (!options.makeFolder)
      throw new CertdeskError('NOT_FOUND', `The folder ${folder} does not exist; choose an existing folder. Nothing was written.`, {
        field,
      });
    // Only the folder itself may be new: certdesk never creates the folders on the way to it.
    if (isFolder(dirname(folder)) !== true)
      throw new CertdeskError(
        'NOT_FOUND',
        `The folder ${dirname(folder)} does not exist, and certdesk never creates folders on the way: create it first or choose an existing one. Nothing was written.`,
        { field },
      );
    return { folder, existing };
  }
  for (const name of names) {
    const path = join(folder, name);
    try {
      checkChosenFile(path, options);
    } catch (error) {
      if (error instanceof CertdeskError && error.code === 'CONFLICT')
        throw new CertdeskError(
          'CONFLICT',
          `${folder} already holds ${name}; choose an empty folder${options.replaceHint ? ` or ${options.replaceHint} to replace the files` : ''}. Nothing was written.`,
          { field },
        );
      throw error;
    }
    try {
      lstatSync(path);
      existing.add(name);
    } catch {
      // Absent: it will be created.
    }
  }
  return { folder, existing };
}

/**
 * Writes `files` into `dir`, all or nothing as far as certdesk can: on a failure half-way, the
 * files it created (and the folder, if it made it) are removed again; a replaced file stays replaced.
 * Returns the paths written.
 */
export function writeChosenFolder(dir: string, files: readonly FolderFile[], options: ChosenFolderOptions): string[] {
  const { folder, existing } = checkChosenFolder(
    dir,
    files.map((f) => f.name),
    options,
  );
  const made = isFolder(folder) === null;
  if (made) makeFolderInExistingParent(folder, { field: options.field, mode: 0o700 });
  const written: string[] = [];
  try {
    for (const file of files) {
      written.push(writeChosenFile(join(folder, file.name), file.bytes, { ...options, private: file.private }));
    }
  } catch (error) {
    for (const path of written) if (!existing.has(path.slice(folder.length + 1))) rmSync(path, { force: true });
    if (made) rmdirSync(folder);
    throw error;
  }
  return written;
}
