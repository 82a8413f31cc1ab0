import type { EdgeReloadRun } from '../../../shared/contract/index.ts';
import type { Release, ReleaseWriter } from './release.ts';
import { loadSshClientKey, type SshClientKeyDeps } from './ssh-client-key.ts';
import { runRemoteReload } from './ssh-reload.ts';
import { sshReleaseWriter, type SshTargetEndpoint } from './ssh-release-writer.ts';

/** An ssh target as stored: the client key by its `keys` row, never the key itself. */
export interface SshTargetSettings {
  host: string;
  port: number;
  user: string;
  path: string;
  hostKey: string;
  clientKeyId: string;
  /** Only an argv the operator approved reaches here; the target model checks that before calling. */
  reloadArgv?: string[];
}

async function endpointOf(deps: Pick<SshClientKeyDeps, 'vault' | 'keys'>, settings: SshTargetSettings): Promise<SshTargetEndpoint> {
  const clientKey = await loadSshClientKey(deps, settings.clientKeyId);
  return {
    host: settings.host,
    port: settings.port,
    user: settings.user,
    path: settings.path,
    hostKey: settings.hostKey,
    clientKey,
    ...(settings.reloadArgv ? { reloadArgv: settings.reloadArgv } : {}),
  };
}

/** The writer for a stored ssh target, its client key opened from the vault. */
export async function sshTargetWriter(deps: Pick<SshClientKeyDeps, 'vault' | 'keys'>, settings: SshTargetSettings): Promise<ReleaseWriter> {
  return sshReleaseWriter(await endpointOf(deps, settings));
}

/**
 * Writes a release to an ssh target and, when it changed what is current there, runs the target's
 * reload argv on the host. A release already current is not written again and reloads nothing.
 */
export async function deliverOverSsh(
  deps: Pick<SshClientKeyDeps, 'vault' | 'keys'>,
  settings: SshTargetSettings,
  release: Release,
): Promise<{ releaseId: string; previousReleaseId: string | null; changed: boolean; reload: EdgeReloadRun | null }> {
  const endpoint = await endpointOf(deps, settings);
  const written = await sshReleaseWriter(endpoint).write(release);
  const reload = written.changed && endpoint.reloadArgv?.length ? await runRemoteReload(endpoint, endpoint.reloadArgv) : null;
  return { ...written, reload };
}
