import { open } from 'node:fs/promises';

/**
 * A log file as it was when opened: its identity, its size then, and its bytes. It stays that file
 * while it is read, so a logrotate in the middle (rename, new file) cannot mix two files' offsets.
 */
export interface LogFile {
  /** Changes when the path names another file (logrotate's rename and create). */
  readonly inode: string;
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end). */
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Where a log comes from: this machine now; an ssh source can implement the same two calls. */
export interface LogSource {
  /** Names the source in stored positions and messages (the path, or `ssh://host/path` later). */
  readonly id: string;
  /** The file at the source now, or null when there is none (not written yet, or rotated away). */
  open(): Promise<LogFile | null>;
}

/** A log on this machine. */
export class LocalLogSource implements LogSource {
  readonly id: string;
  private readonly path: string;

  constructor(path: string) {
    this.path = path;
    this.id = path;
  }

  async open(): Promise<LogFile | null> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    // bigint: an inode can exceed 2^53 on some file systems, and it is compared, never computed with.
    const s = await handle.stat({ bigint: true });
    if (!s.isFile()) {
      await handle.close();
      return null;
    }
    const h = handle;
    return {
      inode: `${s.dev}:${s.ino}`,
      size: Number(s.size),
      async read(offset, length) {
        const buffer = Buffer.allocUnsafe(length);
        const { bytesRead } = await h.read(buffer, 0, length, offset);
        return buffer.subarray(0, bytesRead);
      },
      close: () => h.close(),
    };
  }
}
