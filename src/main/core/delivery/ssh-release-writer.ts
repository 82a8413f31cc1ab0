import { posix } from 'node:path';
import type { Client } from 'ssh2';
import { CertdeskError, isCertdeskError } from '../errors.ts';
import { CURRENT_LINK, PREVIOUS_LINK, RELEASE_ID_PATTERN, RELEASE_MANIFEST, type Release, type ReleaseWriter } from './release.ts';
import { connectSsh, type SshEndpoint } from './ssh-connect.ts';
import {
  STAGING_PREFIX,
  checkRemotePath,
  ensureReleases,
  openTree,
  permissionDenied,
  prune,
  readCurrent,
  readLinkId,
  readRelease,
  removeRelease,
  swapLink,
  tempName,
} from './ssh-release-tree.ts';
import { RemoteFs, SFTP_PERMISSION_DENIED, sftpCode } from './ssh-sftp.ts';

/** An ssh delivery target: where, whom to trust, and the folder the release layout lives in. */
export interface SshTargetEndpoint extends SshEndpoint {
  /** The target folder on the host, absolute; it must exist and contain no symlink. */
  path: string;
  /** Run on the host after a changed release (see `runRemoteReload`). */
  reloadArgv?: string[];
}

export interface SshWriterDeps {
  /** Opens the verified connection (tests may wrap it to count connections). */
  connect?: (endpoint: SshEndpoint) => Promise<Client>;
}

const PLAIN_NAME = /^[A-Za-z0-9._-]{1,128}$/;

function checkRelease(release: Release): void {
  const id = release.manifest.releaseId;
  if (!RELEASE_ID_PATTERN.test(id)) throw new CertdeskError('VALIDATION', `"${id}" is not a release id.`, { field: 'releaseId' });
  const names = new Set<string>();
  for (const file of release.files) {
    if (!PLAIN_NAME.test(file.name) || file.name.startsWith('.') || file.name === RELEASE_MANIFEST || names.has(file.name))
      throw new CertdeskError(
        'VALIDATION',
        `"${file.name}" cannot be a release file name: use letters, digits, ".", "_" or "-", not starting with ".", each name once.`,
        { field: 'fileNames' },
      );
    if (!Number.isInteger(file.mode) || file.mode < 0 || file.mode > 0o777)
      throw new CertdeskError('VALIDATION', `The mode of ${file.name} must be an octal permission such as 0640.`, { field: 'mode' });
    names.add(file.name);
  }
}

function writeFailed(host: string, root: string, cause: unknown): CertdeskError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CertdeskError(
    'SSH_WRITE_FAILED',
    `The release could not be written completely to ${host}:${root} (${reason}). The incomplete release was removed and the current one is unchanged; check the host's free space and try again.`,
    { field: 'path', cause },
  );
}

/**
 * The release layout of `release.ts`, written over SFTP. A release is written in full into a staging
 * folder, each file created with its mode and fsynced (fsync@openssh.com), and only then renamed to
 * `releases/<id>`; `current` and `previous` are swapped by renaming a new link over the old one with
 * posix-rename@openssh.com. A failed write removes the staging folder and leaves `current` as it was.
 */
export function sshReleaseWriter(endpoint: SshTargetEndpoint, deps: SshWriterDeps = {}): ReleaseWriter {
  checkRemotePath(endpoint.path);
  const root = endpoint.path;
  const host = `${endpoint.host}:${endpoint.port}`;
  const connect = deps.connect ?? connectSsh;

  async function session<T>(work: (fs: RemoteFs, releasesDir: string) => Promise<T>): Promise<T> {
    const client = await connect(endpoint);
    try {
      const fs = await RemoteFs.open(client);
      try {
        return await work(fs, await openTree(fs, root, endpoint.host));
      } finally {
        fs.end();
      }
    } catch (error) {
      if (isCertdeskError(error)) throw error;
      if (sftpCode(error) === SFTP_PERMISSION_DENIED) throw permissionDenied(root, endpoint.host, error);
      throw writeFailed(host, root, error);
    } finally {
      client.end();
    }
  }

  /** Without rename(2) over an existing name, `current` cannot be switched atomically: refused before any file is written. */
  function requireAtomicRename(fs: RemoteFs): void {
    if (!fs.hasExtension('posix-rename@openssh.com'))
      throw new CertdeskError(
        'SSH_WRITE_FAILED',
        `The SFTP server on ${host} does not offer posix-rename@openssh.com, which an atomic switch of "current" needs (a read-only sftp-server, or not OpenSSH's). Nothing was changed; use OpenSSH's sftp-server with write access on the host.`,
        { field: 'host' },
      );
  }

  async function stage(fs: RemoteFs, releasesDir: string, release: Release): Promise<void> {
    const id = release.manifest.releaseId;
    const staging = posix.join(releasesDir, tempName(`${STAGING_PREFIX}${id}-`));
    try {
      await fs.mkdir(staging, 0o755);
      requireAtomicRename(fs);
      for (const file of release.files) await fs.writeNewFile(posix.join(staging, file.name), file.bytes, file.mode);
      const manifest = Buffer.from(`${JSON.stringify(release.manifest, null, 2)}\n`, 'utf8');
      await fs.writeNewFile(posix.join(staging, RELEASE_MANIFEST), manifest, 0o644);
      // A folder of this id that is not current is a leftover (an earlier, interrupted delivery): replaced whole.
      await removeRelease(fs, posix.join(releasesDir, id));
      await fs.posixRename(staging, posix.join(releasesDir, id));
    } catch (error) {
      await removeRelease(fs, staging).catch(() => undefined);
      if (isCertdeskError(error)) throw error;
      if (sftpCode(error) === SFTP_PERMISSION_DENIED) throw permissionDenied(releasesDir, endpoint.host, error);
      throw writeFailed(host, root, error);
    }
  }

  return {
    current: () => session((fs) => readCurrent(fs, root, endpoint.host)),

    write: (release) => {
      checkRelease(release);
      return session(async (fs, releasesDir) => {
        const current = await readCurrent(fs, root, endpoint.host);
        const previousId = await readLinkId(fs, root, PREVIOUS_LINK, endpoint.host);
        const id = release.manifest.releaseId;
        const held = current?.manifest;
        if (held && held.serialHex.toLowerCase() === release.manifest.serialHex.toLowerCase() && held.sha256 === release.manifest.sha256)
          return { releaseId: current.releaseId, previousReleaseId: previousId, changed: false };
        if (current?.releaseId === id)
          throw new CertdeskError(
            'SSH_WRITE_FAILED',
            `"current" on ${host}:${root} already names release ${id}, but its release.json does not hold this certificate. Nothing was changed; remove that release on the host, or deliver a new release.`,
            { field: 'path' },
          );
        await ensureReleases(fs, releasesDir, endpoint.host);
        await stage(fs, releasesDir, release);
        try {
          if (current) await swapLink(fs, root, PREVIOUS_LINK, current.releaseId);
          await swapLink(fs, root, CURRENT_LINK, id);
        } catch (error) {
          if (sftpCode(error) === SFTP_PERMISSION_DENIED) throw permissionDenied(root, endpoint.host, error);
          throw writeFailed(host, root, error);
        }
        const keep = new Set([id, ...(current ? [current.releaseId] : [])]);
        await prune(fs, releasesDir, keep).catch(() => undefined);
        return { releaseId: id, previousReleaseId: current?.releaseId ?? null, changed: true };
      });
    },

    rollback: () =>
      session(async (fs) => {
        const currentId = await readLinkId(fs, root, CURRENT_LINK, endpoint.host);
        const previousId = await readLinkId(fs, root, PREVIOUS_LINK, endpoint.host);
        const previous = previousId === null ? null : await readRelease(fs, root, previousId, endpoint.host);
        if (!previous?.manifest || previousId === currentId)
          throw new CertdeskError(
            'NO_PREVIOUS_RELEASE',
            `There is no complete previous release on ${host}:${root} to roll back to. Nothing was changed; deliver the certificate you want current instead (certdesk deliver CERT).`,
            { field: 'path' },
          );
        requireAtomicRename(fs);
        await swapLink(fs, root, CURRENT_LINK, previous.releaseId);
        if (currentId !== null) await swapLink(fs, root, PREVIOUS_LINK, currentId);
        return { releaseId: previous.releaseId };
      }),
  };
}
