/**
 * A file's identity where no inode is to be had (SFTP's stat has none): the SHA-256 of its first
 * bytes, up to 4 KiB, stored with the offset as `prefix:<n>:<hex>`.
 *
 * The rule: a stored position continues the file opened now when that file holds at least `n`
 * bytes and its first `n` bytes hash the same. Otherwise the path names another file (logrotate's
 * rename and create, or a copytruncate followed by new writes) and reading starts again at 0. A file
 * that holds the same first bytes but is shorter than the stored offset was truncated (the reader's
 * size check), and is read again from 0 too.
 *
 * Why it holds for nginx's access log: each line starts with the request's time (to the second) and
 * carries the client certificate's serial, so a new file's first line differs from the old file's
 * first line unless both were written in the same second for the same request.
 *
 * Its limits, said plainly:
 * - while a file is shorter than 4 KiB the identity covers only what was read (at least one whole
 *   line); a new file beginning with the very same line(s), written in the same second, would be
 *   taken for the old one, and its lines up to the stored offset skipped;
 * - a file rewritten in place beyond its first 4 KiB (not something nginx or logrotate does) is not
 *   noticed unless it became shorter;
 * - like the inode rule, lines the old file gained between the last read and its rotation are not
 *   read (certdesk reads the path, not `access.log.1`).
 */
import { createHash } from 'node:crypto';

/** Enough to hold a dozen lines of certdesk's format: a collision then needs a dozen identical requests. */
export const PREFIX_BYTES = 4096;

const STORED = /^prefix:(\d{1,4}):([0-9a-f]{64})$/;

/** Reads through the handle opened for this read: the identity is of that file, whatever the path names now. */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

export class PrefixIdentity {
  private readonly read: ReadAt;
  private readonly size: number;
  /** Hashes by prefix length: `continues` and `identity` of one read usually ask for the same one. */
  private readonly hashes = new Map<number, string>();

  constructor(read: ReadAt, size: number) {
    this.read = read;
    this.size = size;
  }

  private async hash(length: number): Promise<string | null> {
    const known = this.hashes.get(length);
    if (known !== undefined) return known;
    const bytes = length === 0 ? Buffer.alloc(0) : await this.read(0, length);
    // Fewer bytes than asked: the file is shorter than the prefix stored, so it is not that file.
    if (bytes.length !== length) return null;
    const hex = createHash('sha256').update(bytes).digest('hex');
    this.hashes.set(length, hex);
    return hex;
  }

  async continues(stored: string): Promise<boolean> {
    const match = STORED.exec(stored);
    if (!match) return false;
    const length = Number(match[1]);
    if (length > PREFIX_BYTES || length > this.size) return false;
    return (await this.hash(length)) === match[2];
  }

  async identity(offset: number): Promise<string> {
    const length = Math.min(PREFIX_BYTES, offset, this.size);
    const hex = await this.hash(length);
    if (hex === null) throw new Error(`the file has fewer than the ${length} bytes it had when opened`);
    return `prefix:${length}:${hex}`;
  }
}
