import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { CertdeskError } from '../errors.ts';

/**
 * Reads a file the operator named, refusing it by its size before a byte is read: a bundle or pairing
 * file larger than `max` is TRANSFER_TOO_LARGE and is never parsed. Reads at most `max` + 1 bytes, so a
 * file that grows while it is read is refused too.
 */
export function readBounded(path: string, max: number, field: string, what: string): Buffer {
  const target = resolve(path);
  let fd: number;
  try {
    fd = openSync(target, 'r');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new CertdeskError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'VALIDATION',
      code === 'ENOENT' ? `There is no file ${target}; name the ${what} you were given.` : `Cannot read ${target} (${code ?? 'error'}).`,
      { field, cause },
    );
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new CertdeskError('VALIDATION', `${target} is not a regular file; name the ${what} itself.`, { field });
    if (info.size > max)
      throw new CertdeskError(
        'TRANSFER_TOO_LARGE',
        `${target} is ${info.size} bytes; a ${what} is at most ${max} bytes. It was not read, and nothing was changed.`,
        { field },
      );
    const buffer = Buffer.alloc(max + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > max)
        throw new CertdeskError('TRANSFER_TOO_LARGE', `${target} grew past ${max} bytes while it was read; nothing was changed.`, {
          field,
        });
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
