import { connectSsh, type SshEndpoint } from '../delivery/ssh-connect.ts';
import { RemoteFs, SFTP_NO_SUCH_FILE, SFTP_PERMISSION_DENIED, sftpCode } from '../delivery/ssh-sftp.ts';
import { CertdeskError } from '../errors.ts';
import type { LogFile, LogSource } from './log-source.ts';
import { PrefixIdentity } from './prefix-identity.ts';

/**
 * The edge's access log on another machine, read over SFTP through the same pinned-host-key
 * connection as an ssh delivery target. One connection per read: the file is opened once, its size
 * taken from the open handle, and every byte read by offset through that handle, so a logrotate
 * during the read finishes the file that was opened. Its identity is a fingerprint of its first
 * bytes (prefix-identity.ts), as SFTP tells no inode.
 */
export class SshLogSource implements LogSource {
  readonly id: string;
  private readonly path: string;
  /** Called at each open: the endpoint is checked (and its client key opened from the vault) only when it is used. */
  private readonly endpoint: () => Promise<SshEndpoint>;

  constructor(id: string, path: string, endpoint: () => Promise<SshEndpoint>) {
    this.id = id;
    this.path = path;
    this.endpoint = endpoint;
  }

  async open(): Promise<LogFile | null> {
    const client = await connectSsh(await this.endpoint());
    try {
      const fs = await RemoteFs.open(client);
      let handle: Buffer;
      try {
        handle = await fs.openForReading(this.path);
      } catch (error) {
        if (sftpCode(error) === SFTP_NO_SUCH_FILE) {
          client.end();
          return null;
        }
        throw this.unreadable(error);
      }
      const stats = await fs.fstat(handle).catch((error: unknown) => {
        throw this.unreadable(error);
      });
      if (!stats.isFile()) {
        client.end();
        return null;
      }
      const read = (offset: number, length: number) =>
        fs.readAt(handle, offset, length).catch((error: unknown) => {
          throw this.unreadable(error);
        });
      const identity = new PrefixIdentity(read, stats.size);
      return {
        size: stats.size,
        continues: (position) => identity.continues(position.inode),
        identity: (offset) => identity.identity(offset),
        read,
        close: async () => {
          await fs.closeHandle(handle).catch(() => undefined);
          client.end();
        },
      };
    } catch (error) {
      client.end();
      throw error;
    }
  }

  private unreadable(error: unknown): CertdeskError {
    if (error instanceof CertdeskError) return error;
    const denied = sftpCode(error) === SFTP_PERMISSION_DENIED;
    return new CertdeskError(
      'EDGE_LOG_UNREADABLE',
      denied
        ? `Cannot read the edge access log ${this.id}: permission denied on the host. Let the ssh user read it there (for example, add it to the adm group); nothing was recorded.`
        : `Cannot read the edge access log ${this.id} (${(error as Error).message}); nothing was recorded.`,
      { field: 'source', cause: error },
    );
  }
}
