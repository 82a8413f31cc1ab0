/**
 * Delivery: the certificate (and its key, unless the workload keeps its own) to each of its targets,
 * the rotation's DeliveryPort. Writers are found by kind in a registry: `folder` is built in; `ssh`
 * and the csr inbox are registered by the service (wire-targets.ts); a Delivery built without them
 * refuses those kinds with TARGET_KIND_UNAVAILABLE. Every attempt is recorded in `deliveries` and audited.
 */
import type { DeliverResult, DeliveryRecord, TargetKind, TargetRollbackResult } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { requireNetwork } from '../workstation/role-guard.ts';
import type { Inventory } from '../inventory/inventory.ts';
import type { DeliveryOutcome, DeliveryPort } from '../rotation/ports.ts';
import { SerialQueues } from '../serial-queues.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';
import { FolderWriter } from './folder-writer.ts';
import { bufferView } from '../pki/pem.ts';
import { buildRelease } from './release-builder.ts';
import type { Release, ReleaseWriter } from './release.ts';
import { assertTargetApproved } from './target-approval.ts';
import { reloadAfterSwitch, rollbackTarget, type TargetWriter } from './target-rollback.ts';
import { passphraseAccount, storedTarget, Targets, type StoredTarget } from './targets.ts';

export type { TargetWriter } from './target-rollback.ts';

export type WriterFactory = (target: StoredTarget) => TargetWriter;

/** What the csr-inbox module provides (DeliveryPort's inbox half), per target. */
export interface InboxHandler {
  inboxCsr(target: StoredTarget, certificateId: string): Promise<{ csrPem: string } | null>;
  /** Writes the issued certificate to the inbox's `issued/` folder; `changed` false when it was already there. */
  answer(target: StoredTarget, certificateId: string): Promise<{ changed: boolean; detail: string }>;
}

function unavailable(kind: TargetKind): CertdeskError {
  return new CertdeskError(
    'TARGET_KIND_UNAVAILABLE',
    `Delivery to ${kind} targets is not available in this build yet; nothing was written. Deliver by hand (certdesk certs export) or use a folder target.`,
    { field: 'kind' },
  );
}

export class Delivery implements DeliveryPort {
  readonly targets: Targets;
  private readonly ctx: CoreContext;
  private readonly inventory: Inventory;
  private readonly writers: Partial<Record<TargetKind, WriterFactory>> = {};
  private inbox: InboxHandler | null = null;
  /** One delivery per target at a time: two would race to swap `current`. */
  private readonly queues = new SerialQueues();

  constructor(ctx: CoreContext, inventory: Inventory) {
    this.ctx = ctx;
    this.inventory = inventory;
    this.targets = new Targets(ctx, inventory, (target) => this.writerFactory(target.spec.kind)?.(target) ?? null);
    this.registerWriter('folder', (target) => {
      if (target.spec.kind !== 'folder') throw unavailable(target.spec.kind);
      return new FolderWriter(target.spec.path, { uid: target.spec.uid, gid: target.spec.gid });
    });
  }

  registerWriter(kind: 'folder' | 'ssh', factory: WriterFactory): void {
    this.writers[kind] = factory;
  }

  registerInbox(handler: InboxHandler): void {
    this.inbox = handler;
  }

  private writerFactory(kind: TargetKind): WriterFactory | undefined {
    return this.writers[kind];
  }

  targetCount(certificateId: string): number {
    return this.targets.repository.countFor(certificateId);
  }

  async deliver(certificateRef: string): Promise<DeliveryOutcome> {
    const result = await this.deliverAll(certificateRef);
    return { kind: result.outcome, detail: result.detail };
  }

  /** Delivers to every target in turn; stops at the first that fails (recorded, audited, thrown). */
  async deliverAll(certificateRef: string): Promise<DeliverResult> {
    requireNetwork(this.ctx.db, 'delivery to a target');
    const cert = this.inventory.resolve(certificateRef);
    if (cert.revokedAt !== null)
      throw new CertdeskError('CERT_REVOKED', `${cert.subject} is revoked; it is never delivered. Deliver its successor.`, {
        field: 'cert',
      });
    const successor = this.ctx.certificates.successorOf(cert.id);
    if (successor)
      throw new CertdeskError(
        'CONFLICT',
        `${cert.subject} (serial ${cert.serialHex}) was renewed as ${successor}; deliver that one, so a target never goes back to an older certificate.`,
        { field: 'cert' },
      );
    await this.ctx.audit.keyLoaded();
    const rows = this.targets.repository.forCertificate(cert.id);
    const deliveries: DeliveryRecord[] = [];
    for (const row of rows) deliveries.push(await this.queues.run(row.id, () => this.deliverOne(storedTarget(row), cert)));
    const changed = deliveries.filter((d) => d.status === 'done').length;
    const detail =
      rows.length === 0
        ? 'no delivery targets: install the certificate by hand'
        : `${changed} of ${rows.length} target(s) received serial ${cert.serialHex}; ${rows.length - changed} already had it`;
    return { certificateId: cert.id, serialHex: cert.serialHex, outcome: changed > 0 ? 'done' : 'skip', detail, deliveries };
  }

  /** One row in `deliveries` and one audit entry per attempt, whatever its outcome. */
  private recorder(target: StoredTarget, cert: CertificateRow) {
    return (status: DeliveryRecord['status'], releaseId: string | null, detail: string): DeliveryRecord => {
      const entry = this.targets.repository.record({
        targetId: target.id,
        certificateId: cert.id,
        serialHex: cert.serialHex,
        releaseId,
        status,
        detail,
        at: this.ctx.clock.now().toISOString(),
      });
      this.ctx.audit.append(`delivery.${status}`, cert.id, {
        target: target.id,
        kind: target.spec.kind,
        serial: cert.serialHex,
        releaseId,
        detail,
      });
      return entry;
    };
  }

  private async deliverOne(target: StoredTarget, cert: CertificateRow): Promise<DeliveryRecord> {
    const row = this.targets.repository.get(target.id)!;
    const record = this.recorder(target, cert);
    try {
      assertTargetApproved(this.ctx.audit, row);
      if (target.spec.kind === 'csr-inbox') {
        if (!this.inbox) throw unavailable('csr-inbox');
        const answered = await this.inbox.answer(target, cert.id);
        return record(answered.changed ? 'done' : 'skipped', null, answered.detail);
      }
      const factory = this.writerFactory(target.spec.kind);
      if (!factory) throw unavailable(target.spec.kind);
      const writer = factory(target);
      const current = await writer.current();
      if (current?.manifest?.serialHex === cert.serialHex && current.manifest.sha256 === cert.sha256Hex)
        return record('skipped', current.releaseId, `current release ${current.releaseId} already holds serial ${cert.serialHex}`);
      const written = await this.writeRelease(writer, target, cert);
      const reload = target.spec.reload;
      if (written.changed && reload) await reloadAfterSwitch(writer, reload, written.releaseId);
      return record(
        written.changed ? 'done' : 'skipped',
        written.releaseId,
        written.changed ? `release ${written.releaseId} is current` : 'already current',
      );
    } catch (error) {
      const failure =
        error instanceof CertdeskError ? error : new CertdeskError('DELIVERY_FAILED', (error as Error).message, { cause: error });
      record('failed', null, `${failure.code}: ${failure.message}`);
      throw failure;
    }
  }

  private async writeRelease(writer: ReleaseWriter, target: StoredTarget, cert: CertificateRow) {
    const spec = target.spec;
    if (spec.kind === 'csr-inbox') throw unavailable('csr-inbox');
    const row = this.targets.repository.get(target.id)!;
    const pkcs8 = cert.keyStorage === 'sealed' && cert.keyId ? await this.openKey(cert.keyId) : null;
    let release: Release | undefined;
    try {
      const passphrase =
        spec.keyFormat === 'pem' || !row.sealed_secret
          ? null
          : textOfSecret(await this.ctx.vault.openSecret(passphraseAccount(target.id), row.sealed_secret));
      release = await buildRelease({
        cert,
        chainPems: this.inventory.chainPems(cert.authorityId),
        pkcs8,
        keyFormat: spec.keyFormat,
        passphrase,
        fileNames: spec.fileNames,
        keyMode: spec.keyMode,
        publicMode: spec.publicMode,
        at: this.ctx.clock.now(),
        crypto: this.ctx.crypto,
      });
      return await writer.write(release);
    } finally {
      pkcs8?.fill(0);
      // The key's file, once written (or refused): its bytes are the key itself, or the key under a passphrase.
      for (const file of release?.files ?? []) if (file.role === 'key' || file.role === 'p12') file.bytes.fill(0);
    }
  }

  private async openKey(keyId: string): Promise<Uint8Array> {
    const sealed = this.ctx.keys.get(keyId);
    if (!sealed)
      throw new CertdeskError('KEY_UNSEAL_FAILED', 'The sealed private key of this certificate is missing from the database.', {
        field: 'cert',
      });
    return this.ctx.vault.openKey(keyId, sealed.sealed);
  }

  /** Points a folder or ssh target's `current` back at its `previous` release, then runs its reload; audited. */
  async rollback(targetRef: string): Promise<TargetRollbackResult> {
    const row = this.targets.get(targetRef);
    await this.ctx.audit.keyLoaded();
    return this.queues.run(row.id, () =>
      rollbackTarget(this.targets.repository.get(row.id)!, {
        ctx: this.ctx,
        writerFor: (target) => {
          const factory = this.writerFactory(target.spec.kind);
          if (!factory) throw unavailable(target.spec.kind);
          return factory(target);
        },
        record: (target, certificateId, serialHex, releaseId, detail) => {
          this.targets.repository.record({
            targetId: target.id,
            certificateId,
            serialHex,
            releaseId,
            status: 'done',
            detail,
            at: this.ctx.clock.now().toISOString(),
          });
        },
      }),
    );
  }

  history(filter: { target?: string; cert?: string; limit?: number }): DeliveryRecord[] {
    const targetId = filter.target ? this.targets.get(filter.target).id : undefined;
    const certificateId = filter.cert ? this.inventory.resolve(filter.cert).id : undefined;
    return this.targets.repository.history({
      ...(targetId ? { targetId } : {}),
      ...(certificateId ? { certificateId } : {}),
      limit: filter.limit ?? 100,
    });
  }

  csrInbox(certificateId: string): { targetId: string; dir: string } | null {
    const row = this.targets.repository.forCertificate(certificateId).find((r) => r.kind === 'csr-inbox');
    if (!row) return null;
    const target = storedTarget(row);
    return target.spec.kind === 'csr-inbox' ? { targetId: row.id, dir: target.spec.path } : null;
  }

  async inboxCsr(certificateId: string): Promise<{ csrPem: string; targetId: string } | null> {
    const row = this.targets.repository.forCertificate(certificateId).find((r) => r.kind === 'csr-inbox');
    if (!row) return null;
    if (!this.inbox) throw unavailable('csr-inbox');
    assertTargetApproved(this.ctx.audit, row);
    const found = await this.inbox.inboxCsr(storedTarget(row), certificateId);
    return found && { csrPem: found.csrPem, targetId: row.id };
  }

  async answerInbox(targetId: string, certificateId: string): Promise<void> {
    requireNetwork(this.ctx.db, "answering a workload's CSR inbox");
    const row = this.targets.get(targetId);
    if (!this.inbox) throw unavailable('csr-inbox');
    const inbox = this.inbox;
    const cert = this.inventory.resolve(certificateId);
    const target = storedTarget(row);
    const record = this.recorder(target, cert);
    await this.queues.run(row.id, async () => {
      try {
        assertTargetApproved(this.ctx.audit, row);
        const answered = await inbox.answer(target, cert.id);
        record(answered.changed ? 'done' : 'skipped', null, answered.detail);
      } catch (error) {
        const failure =
          error instanceof CertdeskError ? error : new CertdeskError('DELIVERY_FAILED', (error as Error).message, { cause: error });
        record('failed', null, `${failure.code}: ${failure.message}`);
        throw failure;
      }
    });
  }
}

/** An opened secret as text, its bytes zeroed once read (no copy of them is left behind). */
function textOfSecret(bytes: Uint8Array): string {
  try {
    return bufferView(bytes).toString('utf8');
  } finally {
    bytes.fill(0);
  }
}
