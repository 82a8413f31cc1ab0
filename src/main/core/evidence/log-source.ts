import { open } from 'node:fs/promises';
import type { LogPosition } from './access-log-reader.ts';

/**
 * A log file as it was when opened: its identity, its size then, and its bytes. It stays that file
 * while it is read, so a logrotate in the middle (rename, new file) cannot mix two files' offsets.
 */
export interface LogFile {
  readonly size: number;
  /** Whether `position` was stored while reading this same file (false after logrotate's rename and create). */
  continues(position: LogPosition): Promise<boolean>;
  /** What to store with a position at `offset` so that a later `continues` can tell this file again. */
  identity(offset: number): Promise<string>;
  /** Up to `length` bytes from `offset` (fewer at the end). */
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** Where a log comes from: this machine now; an ssh source can implement the same two calls. */
export interface LogSource {
  /** Names the source in stored positions and messages (the path, or `ssh://user@host:port/path`). */
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
    const inode = `${s.dev}:${s.ino}`;
    return {
      size: Number(s.size),
      continues: (position) => Promise.resolve(position.inode === inode),
      identity: () => Promise.resolve(inode),
      async read(offset, length) {
        const buffer = Buffer.allocUnsafe(length);
        const { bytesRead } = await h.read(buffer, 0, length, offset);
        return buffer.subarray(0, bytesRead);
      },
      close: () => h.close(),
    };
  }
}
