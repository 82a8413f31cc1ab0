import type { Client, FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';

/** SFTP status codes (draft-ietf-secsh-filexfer-02), as ssh2 sets them on an error's `code`. */
export const SFTP_NO_SUCH_FILE = 2;
export const SFTP_PERMISSION_DENIED = 3;

export interface SftpError extends Error {
  code?: number | string;
}

export function sftpCode(error: unknown): number | undefined {
  const code = (error as SftpError | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Larger writes are split by ssh2 anyway; this bounds what one request holds. */
const CHUNK = 32 * 1024;

/**
 * The few SFTP requests a release writer needs, as promises. A request ssh2 refuses synchronously
 * (an extension the server lacks) rejects like any other.
 */
export class RemoteFs {
  readonly sftp: SFTPWrapper;

  constructor(sftp: SFTPWrapper) {
    this.sftp = sftp;
    // A channel error also fails every pending request through its callback: that is where it is reported.
    sftp.on('error', () => undefined);
  }

  static open(client: Client): Promise<RemoteFs> {
    return new Promise((resolve, reject) => client.sftp((error, sftp) => (error ? reject(error) : resolve(new RemoteFs(sftp)))));
  }

  private call<T>(start: (done: (error: Error | undefined | null, value?: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      try {
        start((error, value) => (error ? reject(error) : resolve(value as T)));
      } catch (error) {
        reject(error as Error);
      }
    });
  }

  lstat(path: string): Promise<Stats> {
    return this.call((done) => this.sftp.lstat(path, done));
  }

  /** lstat, or null when there is nothing at `path`. */
  async lstatOrNull(path: string): Promise<Stats | null> {
    try {
      return await this.lstat(path);
    } catch (error) {
      if (sftpCode(error) === SFTP_NO_SUCH_FILE) return null;
      throw error;
    }
  }

  realpath(path: string): Promise<string> {
    return this.call((done) => this.sftp.realpath(path, done));
  }

  readlink(path: string): Promise<string> {
    return this.call((done) => this.sftp.readlink(path, done));
  }

  readdir(path: string): Promise<FileEntryWithStats[]> {
    return this.call((done) => this.sftp.readdir(path, done));
  }

  mkdir(path: string, mode: number): Promise<void> {
    return this.call((done) => this.sftp.mkdir(path, { mode }, done));
  }

  rmdir(path: string): Promise<void> {
    return this.call((done) => this.sftp.rmdir(path, done));
  }

  unlink(path: string): Promise<void> {
    return this.call((done) => this.sftp.unlink(path, done));
  }

  /** A symlink at `linkPath` whose text is `target` (ssh2 swaps the order OpenSSH expects). */
  symlink(target: string, linkPath: string): Promise<void> {
    return this.call((done) => this.sftp.symlink(target, linkPath, done));
  }

  /** posix-rename@openssh.com: rename(2), replacing `to` atomically (plain SFTP rename refuses an existing target). */
  posixRename(from: string, to: string): Promise<void> {
    return this.call((done) => this.sftp.ext_openssh_rename(from, to, done));
  }

  /** Whether the server offers an extension (`fsync@openssh.com`, `posix-rename@openssh.com`). */
  hasExtension(name: string): boolean {
    return (this.sftp as unknown as { _extensions?: Record<string, string> })._extensions?.[name] === '1';
  }

  /**
   * Creates `path` exclusively with `mode` (set again after open, so the remote umask cannot narrow
   * or widen it), writes every byte, fsyncs where the server offers fsync@openssh.com, and closes.
   */
  async writeNewFile(path: string, bytes: Uint8Array, mode: number): Promise<void> {
    const handle = await this.call<Buffer>((done) => this.sftp.open(path, 'wx', { mode }, done));
    try {
      await this.call((done) => this.sftp.fchmod(handle, mode, done));
      const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let offset = 0; offset < data.length; offset += CHUNK) {
        const length = Math.min(CHUNK, data.length - offset);
        await this.call((done) => this.sftp.write(handle, data, offset, length, offset, done));
      }
      if (this.hasExtension('fsync@openssh.com')) await this.call((done) => this.sftp.ext_openssh_fsync(handle, done));
    } finally {
      await this.call((done) => this.sftp.close(handle, done)).catch(() => undefined);
    }
  }

  /** Reads a small file whole, refusing one larger than `limit` bytes. */
  async readSmallFile(path: string, limit: number): Promise<Buffer | null> {
    const stats = await this.lstatOrNull(path);
    if (!stats?.isFile() || stats.size > limit) return null;
    const handle = await this.call<Buffer>((done) => this.sftp.open(path, 'r', done));
    try {
      const buffer = Buffer.alloc(stats.size);
      let filled = 0;
      while (filled < buffer.length) {
        const read = await this.call<number>((done) =>
          this.sftp.read(handle, buffer, filled, buffer.length - filled, filled, (error, bytesRead) => done(error, bytesRead)),
        );
        if (read === 0) break;
        filled += read;
      }
      return buffer.subarray(0, filled);
    } finally {
      await this.call((done) => this.sftp.close(handle, done)).catch(() => undefined);
    }
  }

  /** Opens `path` for reading; the handle stays on that file even if the path is renamed or replaced meanwhile. */
  openForReading(path: string): Promise<Buffer> {
    return this.call((done) => this.sftp.open(path, 'r', done));
  }

  /** The stat of what an open handle names (not of whatever the path names now). */
  fstat(handle: Buffer): Promise<Stats> {
    return this.call((done) => this.sftp.fstat(handle, done));
  }

  /** Up to `length` bytes at `position` through an open handle; fewer at the end of the file. */
  async readAt(handle: Buffer, position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(length);
    if (length === 0) return buffer;
    const read = await this.call<number>((done) =>
      this.sftp.read(handle, buffer, 0, length, position, (error, bytesRead) => done(error, bytesRead)),
    );
    return buffer.subarray(0, read);
  }

  closeHandle(handle: Buffer): Promise<void> {
    return this.call((done) => this.sftp.close(handle, done));
  }

  end(): void {
    this.sftp.end();
  }
}
