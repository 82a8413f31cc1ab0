/** Delivery targets as the operator manages them: add (approved), list, test, remove (soft). */
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import type {
  SshClientKeyView,
  SshTargetSpec,
  TargetAddInput,
  TargetAddResult,
  TargetSpec,
  TargetTestResult,
  TargetView,
} from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { requireNetwork } from '../workstation/role-guard.ts';
import { newId } from '../ids.ts';
import type { Inventory } from '../inventory/inventory.ts';
import { checkTargetFolder } from './folder-path.ts';
import type { ReleaseWriter } from './release.ts';
import { assertTargetApproved, targetApproved, targetKey, targetMac } from './target-approval.ts';
import { TargetRepository, type TargetRow } from './target-repository.ts';
import { checkSshInput, buildSpec, describeSpec } from './target-specs.ts';
import { createSshClientKey, sshClientKeyLine, type SshClientKey } from './ssh-client-key.ts';
import { inboxStatus } from './inbox-status.ts';

/** A stored, approved target as writers see it. */
export interface StoredTarget {
  id: string;
  certificateId: string;
  spec: TargetSpec;
}

export function passphraseAccount(targetId: string): string {
  return `delivery-target:${targetId}`;
}

export function storedTarget(row: TargetRow): StoredTarget {
  return { id: row.id, certificateId: row.certificate_id, spec: JSON.parse(row.spec) as TargetSpec };
}

export class Targets {
  readonly repository: TargetRepository;
  private readonly ctx: CoreContext;
  private readonly inventory: Inventory;
  private readonly writerFor: (target: StoredTarget) => ReleaseWriter | null;

  constructor(ctx: CoreContext, inventory: Inventory, writerFor: (target: StoredTarget) => ReleaseWriter | null) {
    this.ctx = ctx;
    this.inventory = inventory;
    this.repository = new TargetRepository(ctx.db);
    this.writerFor = writerFor;
  }

  /** The approver has already been asked (see the API handler); `folder` is what the operator chose. */
  async add(input: TargetAddInput, folder: string, approvedBy: string): Promise<TargetAddResult> {
    requireNetwork(this.ctx.db, 'adding a delivery target');
    const cert = this.inventory.resolve(input.cert);
    await this.ctx.audit.keyLoaded();
    const key = targetKey(this.ctx.audit, 'a new target');
    const id = newId('tgt');
    // One client key per target: removing a target ends its key's use, and no two targets share a grant on a host.
    let clientKey: SshClientKey | undefined;
    if (input.kind === 'ssh') {
      checkSshInput(input);
      clientKey = await createSshClientKey(this.ctx, `${id}@${input.host}`);
    }
    const spec = buildSpec(input, folder, clientKey?.keyId);
    let passphrase: string | undefined;
    let sealed: Uint8Array | null = null;
    if ((spec.kind === 'folder' || spec.kind === 'ssh') && spec.keyFormat !== 'pem') {
      passphrase = randomBytes(24).toString('base64url');
      sealed = await this.ctx.vault.sealSecret(passphraseAccount(id), Buffer.from(passphrase, 'utf8'));
    }
    const row = {
      id,
      certificate_id: cert.id,
      kind: spec.kind,
      spec: JSON.stringify(spec),
      sealed_secret: sealed,
      approved_by: approvedBy,
      created_at: this.ctx.clock.now().toISOString(),
    };
    this.ctx.db
      .transaction(() => {
        this.repository.insert({ ...row, approved_mac: targetMac(key, row) });
        this.ctx.audit.append('target.add', cert.id, {
          target: id,
          kind: spec.kind,
          spec,
          approvedBy,
          summary: describeSpec(spec),
          ...(clientKey ? { clientKeyFingerprint: clientKey.fingerprint } : {}),
        });
      })
      .immediate();
    return {
      target: this.view(this.repository.get(id)!, cert.id),
      ...(passphrase ? { passphrase } : {}),
      ...(clientKey ? { authorizedKey: clientKey.authorizedKey, clientKeyFingerprint: clientKey.fingerprint } : {}),
    };
  }

  /** The targets, each ssh one with its client key's authorized_keys line (the operator may need it again at any time). */
  async list(certRef?: string): Promise<TargetView[]> {
    const views =
      certRef === undefined
        ? this.repository.all(false).map((row) => this.view(row, row.certificate_id))
        : ((cert) => this.repository.forCertificate(cert.id).map((row) => this.view(row, cert.id)))(this.inventory.resolve(certRef));
    for (const view of views) if (view.spec.kind === 'ssh') view.clientKey = await this.clientKey(view.id, view.spec);
    return views;
  }

  private async clientKey(id: string, spec: SshTargetSpec): Promise<SshClientKeyView> {
    if (!spec.clientKeyId)
      return {
        authorizedKey: null,
        fingerprint: null,
        problem: `this target was stored before ssh targets had their own client key; remove it and add it again (certdesk target remove ${id} --yes)`,
      };
    try {
      // The same label as at `target add`, so the line is the one printed then.
      const line = await sshClientKeyLine(this.ctx, spec.clientKeyId, `${id}@${spec.host}`);
      return { authorizedKey: line.authorizedKey, fingerprint: line.fingerprint, problem: null };
    } catch (error) {
      return { authorizedKey: null, fingerprint: null, problem: error instanceof Error ? error.message : String(error) };
    }
  }

  get(ref: string): TargetRow {
    const row = this.repository.get(ref.trim());
    if (!row)
      throw new CertdeskError('NOT_FOUND', `There is no delivery target "${ref}"; certdesk target list shows them.`, { field: 'target' });
    return row;
  }

  /** Checks a target without writing a release: approved, reachable and writable, layout sane, current serial. */
  async test(ref: string): Promise<TargetTestResult> {
    requireNetwork(this.ctx.db, 'testing a delivery target');
    const row = this.get(ref);
    await this.ctx.audit.keyLoaded();
    const checks: TargetTestResult['checks'] = [];
    const check = async (name: string, run: () => Promise<string> | string): Promise<boolean> => {
      try {
        checks.push({ name, ok: true, detail: await run() });
        return true;
      } catch (error) {
        checks.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) });
        return false;
      }
    };
    let currentSerial: string | null = null;
    let currentReleaseId: string | null = null;
    const approved = await check('approved', () => {
      if (row.removed_at !== null) throw new Error(`removed at ${row.removed_at}`);
      assertTargetApproved(this.ctx.audit, row);
      return `approved by ${row.approved_by}`;
    });
    const target = storedTarget(row);
    if (approved && (target.spec.kind === 'folder' || target.spec.kind === 'csr-inbox')) {
      const path = target.spec.path;
      await check('writable', () => {
        checkTargetFolder(path);
        accessSync(path, constants.W_OK | constants.X_OK);
        return `${path} is a folder certdesk can write`;
      });
    }
    if (approved && target.spec.kind === 'csr-inbox') {
      const path = target.spec.path;
      let pending = false;
      await check('layout', () => {
        const status = inboxStatus(path);
        currentSerial = status.issuedSerial;
        pending = status.requestPending;
        return `issued/ and rejected/ are in place; issued/ ${status.issuedSerial ? `holds serial ${status.issuedSerial}` : 'is empty'}`;
      });
      checks.push({
        name: 'request',
        ok: true,
        detail: pending
          ? 'request.csr is waiting to be signed (a rotation picks it up)'
          : 'no request pending (the workload writes request.csr when a rotation asks for one)',
      });
      return { target: row.id, ok: checks.every((c) => c.ok), checks, currentSerial, currentReleaseId };
    }
    const writer = approved ? this.writerFor(target) : null;
    if (writer)
      await check('layout', async () => {
        const current = await writer.current();
        if (!current) return 'no release yet';
        if (!current.manifest) throw new Error(`current points at releases/${current.releaseId}, which has no readable release.json`);
        currentSerial = current.manifest.serialHex;
        currentReleaseId = current.releaseId;
        return `current is ${current.releaseId} (serial ${current.manifest.serialHex})`;
      });
    else if (approved) checks.push({ name: 'layout', ok: false, detail: `no ${target.spec.kind} writer is available in this build yet` });
    return { target: row.id, ok: checks.every((c) => c.ok), checks, currentSerial, currentReleaseId };
  }

  remove(ref: string): TargetView {
    const row = this.get(ref);
    this.ctx.db
      .transaction(() => {
        if (!this.repository.remove(row.id, this.ctx.clock.now().toISOString()))
          throw new CertdeskError('CONFLICT', `Target ${row.id} was already removed at ${row.removed_at}.`, { field: 'target' });
        this.ctx.audit.append('target.remove', row.certificate_id, { target: row.id, kind: row.kind });
      })
      .immediate();
    return this.view(this.repository.get(row.id)!, row.certificate_id);
  }

  view(row: TargetRow, forCertificate: string): TargetView {
    const key = this.ctx.audit.subkey('delivery-target-approval');
    return {
      id: row.id,
      kind: row.kind,
      certificateId: row.certificate_id,
      inheritedFrom: row.certificate_id === forCertificate ? null : row.certificate_id,
      spec: JSON.parse(row.spec) as TargetSpec,
      approved: 'key' in key && targetApproved(key.key, row),
      approvedBy: row.approved_by,
      createdAt: row.created_at,
      removedAt: row.removed_at,
      last: this.repository.last(row.id),
    };
  }
}
