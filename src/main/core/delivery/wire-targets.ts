/**
 * Wires the ssh transport and the CSR inbox into Delivery: an ssh target's writer connects with the
 * target's own vault-held client key and refuses a host whose key is not the pinned one; its approved
 * reload argv runs on the host. A csr-inbox target reads the workload's CSR against the lineage's
 * current certificate and answers in `issued/`.
 */
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import type { Inventory } from '../inventory/inventory.ts';
import type { Delivery, TargetWriter } from './delivery.ts';
import { CsrInboxHandler } from './inbox-handler.ts';
import type { ReleaseWriter } from './release.ts';
import { loadSshClientKey } from './ssh-client-key.ts';
import { runRemoteReload } from './ssh-reload.ts';
import { sshReleaseWriter, type SshTargetEndpoint } from './ssh-release-writer.ts';
import type { StoredTarget } from './targets.ts';

/**
 * The endpoint of a stored ssh target, its client key opened from the vault for this one use. Only
 * what the approved spec says is used: host, port, user, path, the pinned host key, the client key.
 */
export async function sshEndpointOf(ctx: CoreContext, target: StoredTarget): Promise<SshTargetEndpoint> {
  const spec = target.spec;
  if (spec.kind !== 'ssh') throw new CertdeskError('INTERNAL', `Target ${target.id} is not an ssh target.`);
  if (!spec.clientKeyId)
    throw new CertdeskError(
      'NOT_FOUND',
      `The ssh target ${target.id} has no client key (it was stored before ssh delivery was wired); remove it and add it again.`,
      { field: 'clientKey' },
    );
  return {
    host: spec.host,
    port: spec.port,
    user: spec.user,
    path: spec.path,
    hostKey: spec.hostKey,
    clientKey: await loadSshClientKey(ctx, spec.clientKeyId),
  };
}

/** A writer whose endpoint (and so the client key) is opened at each call, not held between them. */
export function sshTargetWriter(ctx: CoreContext, target: StoredTarget): TargetWriter {
  const writer = async (): Promise<ReleaseWriter> => sshReleaseWriter(await sshEndpointOf(ctx, target));
  return {
    current: async () => (await writer()).current(),
    write: async (release) => (await writer()).write(release),
    rollback: async () => (await writer()).rollback(),
    reload: async (argv) => runRemoteReload(await sshEndpointOf(ctx, target), argv),
  };
}

export function wireTargets(delivery: Delivery, ctx: CoreContext, inventory: Inventory): void {
  delivery.registerWriter('ssh', (target) => sshTargetWriter(ctx, target));
  delivery.registerInbox(new CsrInboxHandler(ctx, inventory));
}
