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
import { loadSshClientKey } from './ssh-client-key.ts';
import { runRemoteReload } from './ssh-reload.ts';
import { sshTargetWriter, type SshTargetSettings } from './ssh-target.ts';
import type { StoredTarget } from './targets.ts';

/** What ssh-target.ts needs of a stored ssh target: only what its approved spec says. */
export function sshSettingsOf(target: StoredTarget): SshTargetSettings {
  const spec = target.spec;
  if (spec.kind !== 'ssh') throw new CertdeskError('INTERNAL', `Target ${target.id} is not an ssh target.`);
  if (!spec.clientKeyId)
    throw new CertdeskError(
      'NOT_FOUND',
      `The ssh target ${target.id} has no client key (it was stored before ssh delivery was wired); remove it and add it again.`,
      { field: 'clientKey' },
    );
  return { host: spec.host, port: spec.port, user: spec.user, path: spec.path, hostKey: spec.hostKey, clientKeyId: spec.clientKeyId };
}

/**
 * A writer whose client key is opened from the vault at each call, not held between them; a spec
 * without a client key fails there too, as a named error in the delivery's or the test's record.
 */
export function lazySshWriter(ctx: CoreContext, target: StoredTarget): TargetWriter {
  const writer = () => sshTargetWriter(ctx, sshSettingsOf(target));
  return {
    current: async () => (await writer()).current(),
    write: async (release) => (await writer()).write(release),
    rollback: async () => (await writer()).rollback(),
    reload: async (argv) => {
      const settings = sshSettingsOf(target);
      return runRemoteReload({ ...settings, clientKey: await loadSshClientKey(ctx, settings.clientKeyId) }, argv);
    },
  };
}

export function wireTargets(delivery: Delivery, ctx: CoreContext, inventory: Inventory): void {
  delivery.registerWriter('ssh', (target) => lazySshWriter(ctx, target));
  delivery.registerInbox(new CsrInboxHandler(ctx, inventory));
}
