import { join } from 'node:path';
import type {
  AppInfo,
  CertdeskEvent,
  IssueInput,
  Channel,
  ChannelInput,
  ChannelOutput,
  EdgeCas,
  EdgeSettings,
  VaultEvent,
  VaultStatus,
} from '../../shared/contract/index.ts';
import { summarizeDue, TO_SIGNER_KINDS, type ScheduleItem } from '../../shared/contract/index.ts';
import { exportAudit } from './audit/audit-export.ts';
import { AuditLog, type VaultAuditSink } from './audit/audit-log.ts';
import { AuditQuery } from './audit/audit-query.ts';
import { Bindings } from './auth0/bindings.ts';
import { Delivery } from './delivery/delivery.ts';
import { wireTargets } from './delivery/wire-targets.ts';
import { Diagnose } from './diagnostics/diagnose.ts';
import { CertdeskError } from './errors.ts';
import { rotateAllDue } from './rotation/bulk-rotation.ts';
import type { RotationParts } from './rotation/rotation-steps.ts';
import { Rotations, type RotationOptions } from './rotation/rotations.ts';
import type { GatewayOptions } from './auth0/management-gateway.ts';
import { Tenants } from './auth0/tenants.ts';
import { Authorities } from './ca/authorities.ts';
import { Crls } from './ca/crls.ts';
import { systemClock, type Clock } from './clock.ts';
import type { CoreContext } from './context.ts';
import { buildEdgeBundle, edgeChain, edgeTrust } from './edge/edge-bundle.ts';
import { edgeHistory, publishEdge, type PublishEdgeInput } from './edge/publish-edge.ts';
import { republishBegunCrls } from './edge/begun-crl-republish.ts';
import { crlSeriesStatus } from './offline/crl-store.ts';
import { reloadConfig } from './edge/reload-actions.ts';
import { clearCustomReload, setCustomReload } from './edge/reload-custom.ts';
import { ReloadLedger } from './edge/reload-ledger.ts';
import { approveEdgeSettings, edgeConfigView, isApproved, setEdgeFolder } from './edge/edge-config.ts';
import { approveEdgeCas, approvedCasView, caApprovalRequest } from './edge/edge-ca-set.ts';
import { exportCertificate } from './inventory/exports.ts';
import type { SaveDialogPort } from './files/save-dialog-port.ts';
import { scheduleToIcs } from './schedule/ics.ts';
import { buildSchedule, DUE_REUSE_MS, dueStates } from './schedule/schedule.ts';
import { databaseMark, unchangedSince, type DatabaseMark } from './store/database-mark.ts';
import { EdgeUsage } from './evidence/edge-usage.ts';
import { certificateUsage, usageOfFile, usageReport } from './evidence/usage-report.ts';
import { Inventory } from './inventory/inventory.ts';
import { Issuance } from './inventory/issuance.ts';
import { KeygenPool, type KeygenOptions } from './pki/keygen-pool.ts';
import { issueBulk } from './inventory/bulk-issuance.ts';
import { AUDIT_CHECKPOINT_FILE, DATABASE_FILE } from './paths.ts';
import { PROFILES, profileView } from './pki/profiles.ts';
import { defaultCrypto } from './pki/x509.ts';
import type { Crypto } from './pki/webcrypto.ts';
import { auditAnchorAccount } from './secrets/audit-anchor.ts';
import { KeyVault } from './secrets/key-vault.ts';
import type { SecretStore } from './secrets/secret-store.ts';
import { VaultControls } from './secrets/vault-controls.ts';
import { CertificateRepository } from './store/certificate-repository.ts';
import { openDatabase, type Database } from './store/database.ts';
import { KeyRepository } from './store/key-repository.ts';
import { schemaVersion } from './store/migrate.ts';
import { SettingsRepository } from './store/settings-repository.ts';
import { checkpointOffThread, type WalCheckpointOptions, type WalCheckpoints } from './store/wal-checkpoints.ts';
import { Transfer } from './transfer/transfer.ts';
import { PUBLISHER_APPLY_ORDER, publisherAppliers, signerAppliers } from './offline/appliers.ts';
import type { ItemApplier } from './transfer/ports.ts';
import { OfflineDesk } from './offline/offline-desk.ts';
import { offlineSigner } from './offline/rotation-signer.ts';
import { Templates } from './templates/templates.ts';
import { VERSION } from './version.ts';
import { Webhook } from './webhook/webhook.ts';
import { osActor } from './audit/actor.ts';
import { readRole } from './workstation/role.ts';
import { guardedFetch, watchFolderRole } from './workstation/role-guard.ts';
import { setRole } from './workstation/set-role.ts';

export interface ServiceOptions {
  dataDir: string;
  secretStore: SecretStore;
  mode: AppInfo['mode'];
  clock?: Clock;
  crypto?: Crypto;
  /** Progress and other events for whoever hosts the service (IPC, web bridge, CLI). */
  emit?: (event: CertdeskEvent) => void;
  /** How certdesk reaches Auth0; tests inject the sandbox's. Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Retry and pacing of Management API calls (tests shorten the waits). */
  auth0?: GatewayOptions;
  /** The keygen pool's workers (issue 14); by default one less than the cores, none when a test injects `crypto`. */
  keygen?: KeygenOptions;
  /** Rotation test seams (pause at a step, for kill tests). */
  rotation?: RotationOptions;
  /**
   * WAL checkpoints on a worker thread (wal-checkpoints.ts): the long-lived hosts (the desktop app's
   * service, web mode) turn it on; a CLI command keeps SQLite's own checkpoints.
   */
  walCheckpoints?: WalCheckpointOptions | boolean;
  /** The workload's delivery and the edge's evidence for rotations; without them a rotation says what the operator does by hand. */
  rotationPorts?: (ctx: CoreContext) => Pick<RotationParts, 'delivery' | 'evidence'>;
}

type Op<C extends Channel> = (input: ChannelInput<C>) => Promise<ChannelOutput<C>>;

/**
 * The application service: the operations the IPC layer, the web host and the CLI call. Input has
 * already been validated at the boundary (zod); what can still go wrong is a CertdeskError.
 */
export class CertdeskService {
  readonly db: Database;
  readonly vault: KeyVault;
  readonly vaultControls: VaultControls;
  readonly authorities: Authorities;
  readonly audit: AuditLog;
  readonly inventory: Inventory;
  readonly issuance: Issuance;
  /** Where issuance's keys are generated; `close()` stops its workers, `keygen.close()` waits for them. */
  readonly keygen: KeygenPool;
  /** The checkpoint worker, when the host asked for it; `close()` stops it, `walCheckpoints.stop()` waits for it. */
  readonly walCheckpoints: WalCheckpoints | null;
  readonly crls: Crls;
  readonly tenants: Tenants;
  readonly bindings: Bindings;
  readonly diagnostics: Diagnose;
  readonly rotations: Rotations;
  /** Delivery targets and delivery (the rotation's DeliveryPort). */
  readonly delivery: Delivery;
  /** Evidence of use from the edge's access log (the rotation's EvidencePort). */
  readonly usage: EdgeUsage;
  /** Pairing and the signed bundles that cross the air gap (issue 12); appliers register on `transfer.appliers`. */
  readonly transfer: Transfer;
  /** Requests for the offline signer (a publisher's) and CA certificates for the publisher (a signer's). */
  readonly offline: OfflineDesk;
  /** Named issue settings (issue 13). */
  readonly templates: Templates;
  /** The optional expiry webhook the background round sends (issue 13). */
  readonly webhook: Webhook;
  private readonly ctx: CoreContext;
  private readonly options: ServiceOptions;
  /** Forgets this folder in the process's list of open folders (role-guard.ts) when it closes. */
  private readonly forgetRole: () => void;

  private constructor(options: ServiceOptions) {
    this.options = options;
    const clock = options.clock ?? systemClock;
    const crypto = options.crypto ?? defaultCrypto;
    this.db = openDatabase(join(options.dataDir, DATABASE_FILE));
    this.forgetRole = watchFolderRole(this.db);
    this.walCheckpoints = options.walCheckpoints
      ? checkpointOffThread(this.db, join(options.dataDir, DATABASE_FILE), options.walCheckpoints === true ? {} : options.walCheckpoints)
      : null;
    // Every request to Auth0, a tenant or a resource server goes through this one fetch; an offline signer sends none.
    const network = guardedFetch(this.db, 'a network request', options.fetch ?? fetch);
    const keys = new KeyRepository(this.db);
    this.vault = new KeyVault(new SettingsRepository(this.db), options.secretStore, () => keys.count() > 0);
    this.audit = new AuditLog(this.db, clock, {
      secretStore: options.secretStore,
      storeId: () => this.vault.storeId(),
      checkpointFile: join(options.dataDir, AUDIT_CHECKPOINT_FILE),
      anchorAccount: auditAnchorAccount(options.dataDir),
    });
    // A host's send that fails (Electron's window already gone at quit, say) must not fail what emitted it:
    // a lock at close would otherwise skip the audit log's last checkpoint and the database's close.
    const emit = (event: CertdeskEvent) => {
      try {
        options.emit?.(event);
      } catch {
        // The event was for a window that is not there to show it.
      }
    };
    // Each is an audit entry; a change of what the header and Settings show also goes to every window, so one
    // that did not ask (another tab, or nobody: the idle lock) shows it too. Sent even when the entry fails
    // to write: the vault has changed all the same (a lock drops the key before it records itself).
    const vaultEvent: VaultAuditSink = (kind, detail) => {
      try {
        this.audit.vaultEvent(kind, detail);
      } finally {
        if (kind === 'setup' || kind === 'unlock' || kind === 'lock' || kind === 'idle-lock')
          emit({ type: 'vault', change: kind, vault: this.vault.status() });
      }
    };
    this.vault.auditTo(vaultEvent);
    this.vaultControls = new VaultControls(this.db, this.vault, this.audit, clock, vaultEvent);
    this.authorities = new Authorities(this.db, this.vault, clock, crypto, this.audit);
    this.ctx = {
      db: this.db,
      vault: this.vault,
      clock,
      crypto,
      audit: this.audit,
      reloadApprovals: new ReloadLedger(options.secretStore, () => this.vault.storeId()),
      authorities: this.authorities,
      certificates: new CertificateRepository(this.db),
      keys,
      emit,
    };
    this.inventory = new Inventory(this.ctx);
    this.keygen = new KeygenPool({ ...(options.crypto ? { workers: 0 } : {}), ...options.keygen }, crypto);
    this.vault.onForget(() => this.keygen.discardReserve());
    this.issuance = new Issuance(this.ctx, this.inventory, this.keygen);
    this.delivery = new Delivery(this.ctx, this.inventory);
    wireTargets(this.delivery, this.ctx, this.inventory);
    this.crls = new Crls(this.ctx);
    this.usage = new EdgeUsage(this.ctx);
    this.transfer = new Transfer(this.ctx);
    // What each item means, on either side of the gap: the kinds are disjoint, and the transfer core
    // admits only the direction the folder's role takes. Registration order is the order of apply.
    const offline = { ctx: this.ctx, inventory: this.inventory, issuance: this.issuance, crls: this.crls };
    const forSigner = signerAppliers(offline);
    const forPublisher = publisherAppliers(offline);
    for (const kind of TO_SIGNER_KINDS) this.transfer.appliers.register(forSigner[kind] as ItemApplier);
    for (const kind of PUBLISHER_APPLY_ORDER) this.transfer.appliers.register(forPublisher[kind] as ItemApplier);
    this.offline = new OfflineDesk(offline, this.transfer.queue);
    this.templates = new Templates(this.db, clock, this.audit, this.authorities);
    // Not the Auth0 fetch: the receiver is the operator's own, and its guard names the webhook in a refusal.
    this.webhook = new Webhook(this.db, clock, this.audit);
    this.tenants = new Tenants(this.ctx, { fetch: network });
    this.bindings = new Bindings(this.ctx, this.tenants, options.auth0);
    this.diagnostics = new Diagnose({
      ctx: this.ctx,
      inventory: this.inventory,
      tenants: this.tenants,
      bindings: this.bindings,
      fetch: network,
    });
    this.rotations = new Rotations(
      {
        ctx: this.ctx,
        issuance: this.issuance,
        inventory: this.inventory,
        crls: this.crls,
        tenants: this.tenants,
        bindings: this.bindings,
        diagnostics: this.diagnostics,
        fetch: network,
        // The real ports: with no target a rotation says the operator installs the successor, and with
        // no access log configured it retires the old credential on the overlap timer, as it says.
        delivery: this.delivery,
        evidence: this.usage,
        signer: offlineSigner(offline, this.transfer.queue),
        ...options.rotationPorts?.(this.ctx),
      },
      options.rotation,
    );
    // An approved answer from the signer moves the rotation that waited for it on at once. A job's own
    // failure stays in its journal; the approval it follows has already been applied and recorded.
    this.transfer.onApproved(() => this.rotations.continueFromSigner().catch(() => []));
    if (options.mode !== 'cli') this.keychainProbe = this.vault.probeKeychain();
  }

  /** The start-up keychain probe (not in the CLI, where every command would pay for it); `app:info` waits for it. */
  private keychainProbe: Promise<unknown> = Promise.resolve();

  static open(options: ServiceOptions): CertdeskService {
    return new CertdeskService(options);
  }

  info(): AppInfo {
    return {
      version: VERSION,
      mode: this.options.mode,
      dataDir: this.options.dataDir,
      databaseFile: join(this.options.dataDir, DATABASE_FILE),
      schemaVersion: schemaVersion(this.db),
      vault: this.vault.status(),
      role: readRole(this.db).role,
    };
  }

  /** The folder's role, and when and by whom it was set. */
  role = () => readRole(this.db);
  /**
   * Sets the folder's role. Never a channel: only the operator's own command (`certdesk role set`)
   * calls it, so no page or web client can turn an offline signer into a networked folder.
   */
  setRole = (role: string, confirm: string | undefined) =>
    setRole({ db: this.db, audit: this.audit, clock: this.ctx.clock }, { role, confirm, by: osActor() });
  /** info() once the start-up keychain probe has answered, so the first screen already knows what works. */
  infoAfterProbe = async (): Promise<AppInfo> => {
    await this.keychainProbe;
    return this.info();
  };

  initVault: Op<'vault:init'> = (input) => this.vault.initialize(input.protection, input.passphrase);
  unlockVault: Op<'vault:unlock'> = (input) => this.vault.unlock(input.passphrase);
  lockVault: Op<'vault:lock'> = async () => this.vaultControls.lockNow();
  // A change of passphrase leaves the store unlocked, and the idle setting shows in Settings: every window hears of both.
  changeVaultPassphrase: Op<'vault:change-passphrase'> = async (input) =>
    this.vaultChanged('passphrase-change', await this.vaultControls.changePassphrase(input));
  setVaultAutoLock: Op<'vault:auto-lock'> = async (input) =>
    this.vaultChanged('idle-lock-setting', this.vaultControls.setIdleLock(input.idleLockMinutes));

  private vaultChanged(change: VaultEvent['change'], vault: VaultStatus): VaultStatus {
    this.ctx.emit({ type: 'vault', change, vault });
    return vault;
  }
  listAuthorities = () => this.authorities.list();
  createAuthority: Op<'ca:create'> = (input) => this.authorities.create(input, this.ctx.emit);
  importAuthority: Op<'ca:import'> = (input) => this.authorities.import(input);
  retireAuthority: Op<'ca:retire'> = async (input) => this.authorities.retire(input.ca, input.retired);
  setAuthorityUrls: Op<'ca:set-urls'> = async (input) => this.authorities.setUrls(input);
  /** Revokes an issuing CA and signs its root's CRL at once; the root's key is opened first, so a locked vault changes nothing. */
  revokeAuthority: Op<'ca:revoke'> = async (input) => {
    const ca = this.authorities.get(input.ca);
    if (ca.parentId) await this.authorities.issuerMaterial(this.authorities.get(ca.parentId, 'ca'));
    const revoked = this.authorities.revoke(ca.id, input.reason ?? 'unspecified');
    if (revoked.parentId) await this.crls.generate(revoked.parentId);
    return this.authorities.viewOf(revoked.id);
  };
  listProfiles = () => PROFILES.map(profileView);
  issue: Op<'certs:issue'> = (input) => this.issuance.issue(input);
  /** Many certificates in one transaction (no channel yet: the bench and scripts use it through the core). */
  issueBulk = (items: readonly IssueInput[]) => issueBulk(this.ctx, this.issuance, items);
  inspectCsr: Op<'certs:inspect-csr'> = (input) => this.issuance.inspectCsr(input.csr);
  renew: Op<'certs:renew'> = (input) => this.issuance.renew(input);
  revoke: Op<'certs:revoke'> = (input) => this.inventory.revoke(input.cert, input.reason);
  listCertificates = (query: ChannelInput<'certs:list'>) => this.inventory.list(query);
  getCertificate: Op<'certs:get'> = (input) => this.inventory.get(input.cert);
  importCertificate: Op<'certs:import'> = (input) => this.inventory.importCertificate(input.pem);
  lint: Op<'certs:lint'> = (input) => this.inventory.lint(input.pem);
  /** With a save dialog (the desktop app) main writes a key file where the operator chose; without, the bytes come back. */
  exportCertificate = (
    input: ChannelInput<'certs:export'>,
    saveDialog?: Pick<SaveDialogPort, 'chooseSavePath'>,
  ): Promise<ChannelOutput<'certs:export'>> => exportCertificate(this.ctx, this.inventory, input, saveDialog);
  generateCrl: Op<'crl:generate'> = (input) => this.crls.generate(input.ca);
  listAudit = ({ offset, limit, ...filter }: ChannelInput<'audit:list'>) => new AuditQuery(this.db).page(filter, offset, limit);
  auditKinds = () => new AuditQuery(this.db).kinds();
  /** With a save dialog (the desktop app) main writes the file where the operator chose; without, the bytes come back. */
  exportAudit = (input: ChannelInput<'audit:export'>, saveDialog?: Pick<SaveDialogPort, 'chooseSavePath'>) =>
    exportAudit({ query: new AuditQuery(this.db), clock: this.ctx.clock }, input, saveDialog);
  verifyAudit = () => this.audit.verify();

  /**
   * An operator's publication (the CLI, the desktop app after its dialogs): `dir` and the settings
   * become the configured edge, approved by `approvedBy`.
   */
  publishEdge = (input: PublishEdgeInput, approvedBy = 'cli') => publishEdge(this.ctx, this.crls, input, { approvedBy });
  /** Any other caller's (web mode): the configured folder, and only the settings the operator approved. */
  publishConfiguredEdge = (input: Omit<PublishEdgeInput, 'dir'>) => publishEdge(this.ctx, this.crls, input);
  /** `host`: what the calling host can ask the operator (see EdgeOperator). */
  edgeConfig = async (host: { canChooseFolder: boolean; canApprove: boolean }) => {
    await this.audit.keyLoaded();
    return { ...edgeConfigView(this.ctx, host), approvedCas: approvedCasView(this.ctx) };
  };
  /** Only from an operator path: the CLI's `edge folder set DIR`, or the desktop app's folder dialog. */
  setEdgeFolder = async (dir: string, by: string) => {
    await this.audit.keyLoaded();
    return setEdgeFolder(this.ctx, dir, by);
  };
  /**
   * Only from an operator path: the CLI's `edge settings set`, or the desktop app's approval dialogs.
   * With `ca`, that set of issuing CAs becomes the approved one too (refused by name before anything is stored).
   */
  approveEdgeSettings = async (settings: EdgeSettings, by: string, ca?: EdgeCas) => {
    await this.audit.keyLoaded();
    const issuing = ca === undefined ? null : edgeChain(this.ctx, ca).issuing;
    const rebuilt = approveEdgeSettings(this.ctx, settings, by);
    if (issuing) approveEdgeCas(this.ctx, issuing, by);
    return rebuilt;
  };
  /** What the desktop app's dialog must ask before these issuing CAs are approved; null when they are the approved set. */
  edgeCaApproval = async (ca: EdgeCas, folder: string) => {
    await this.audit.keyLoaded();
    return caApprovalRequest(this.ctx, edgeChain(this.ctx, ca).issuing, folder);
  };
  /** Whether the settings are the approved ones and the folder the configured one (no dialog needed). */
  edgeIsApproved = async (dir: string, settings: EdgeSettings) => {
    await this.audit.keyLoaded();
    return isApproved(this.ctx, dir, settings);
  };
  /** `canApprove`: whether the calling host can ask the operator (see ReloadApprover). */
  edgeReloadConfig = (canApprove: boolean) => reloadConfig(this.ctx, canApprove);
  /** Whether an approval holds is known once the audit key has loaded and the keychain's record of approvals is read; hosts await this before showing it. */
  reloadApprovalReady = async () => {
    await this.audit.keyLoaded();
    await this.ctx.reloadApprovals.refresh();
  };
  /** Only after the operator approved exactly this argv in main's own flow. */
  approveCustomReload = async (argv: readonly string[], approvedBy: string) => {
    await this.audit.keyLoaded();
    await setCustomReload(this.ctx, argv, approvedBy);
  };
  clearCustomReload = () => clearCustomReload(this.ctx);
  previewEdge = async (input: ChannelInput<'edge:preview'>) => {
    const { files, authorities, crlNumbers } = await buildEdgeBundle(this.ctx, this.crls, input.ca, input.settings);
    return { files, authorities, crlNumbers };
  };
  edgeHistory = (input: ChannelInput<'edge:history'>) => edgeHistory(this.ctx, input.limit);
  edgeTrust = () => edgeTrust(this.ctx, this.crls);
  schedule = (query: ChannelInput<'schedule:list'>) => buildSchedule(this.ctx, query, this.usage.configured());
  /** The due banner's counts and marks: what `schedule:list` with withinDays 0 says needs an operator, without the items. */
  dueSummary = () => summarizeDue(this.dueStates());
  /**
   * The due states alone (the background round's first read, and the banner's): see schedule/schedule.ts
   * dueStates. Every page change asks, and on 100,000 certificates a read takes 50–100 ms of the service's
   * thread, which the page's own first read then waits behind. So the last answer is kept while nothing
   * has been written (store/database-mark.ts) and for at most DUE_REUSE_MS: with no write, only time
   * changes what is due, and a renewal time passing shows within that long.
   */
  dueStates = (): ReadonlyArray<Pick<ScheduleItem, 'id' | 'kind' | 'state'>> => {
    const evidence = this.usage.configured();
    const at = this.ctx.clock.now().getTime();
    const last = this.lastDue;
    if (last && last.evidence === evidence && at >= last.at && at - last.at < DUE_REUSE_MS && unchangedSince(this.db, last.mark))
      return last.states;
    const mark = databaseMark(this.db);
    const states = dueStates(this.ctx, evidence);
    this.lastDue = { mark, at, evidence, states };
    return states;
  };
  private lastDue:
    { mark: DatabaseMark; at: number; evidence: boolean; states: ReadonlyArray<Pick<ScheduleItem, 'id' | 'kind' | 'state'>> } | undefined;
  crlSeries: Op<'schedule:crl-series'> = async (input) => crlSeriesStatus(this.ctx, this.ctx.clock.now(), input.warnDays);
  /** The background round's: republish the edge once the next pre-signed CRL of a CA it trusts has begun. */
  republishBegunCrls = () => republishBegunCrls(this.ctx, this.crls);
  scheduleIcs = (query: ChannelInput<'schedule:ics'>) => ({
    filename: 'certdesk-rotation-schedule.ics',
    content: scheduleToIcs(buildSchedule(this.ctx, query, this.usage.configured()), this.ctx.clock.now()),
  });
  certificateUsage: Op<'certs:usage'> = (input) => certificateUsage(this.ctx, this.usage, this.inventory.resolve(input.cert));
  usageReport: Op<'usage:list'> = (input) =>
    usageReport(this.ctx, this.usage, input.cert === undefined ? undefined : this.inventory.resolve(input.cert));
  /** One access log read once (`certdesk usage --log`): a direct call, not a channel, as no UI host names a file for main to read. */
  usageOfFile = (path: string) => usageOfFile(this.ctx, this.usage, path);

  transferReview: Op<'transfer:review'> = async (input) => this.transfer.review(input.import);

  listTenants = () => this.tenants.list();
  addTenant: Op<'tenants:add'> = (input) => this.tenants.add(input);
  testTenant: Op<'tenants:test'> = (input) => this.tenants.test(input.tenant);
  removeTenant: Op<'tenants:remove'> = (input) => this.tenants.remove(input);

  bind: Op<'bindings:create'> = async (input) => this.bindings.bind(input, (ref) => this.inventory.resolve(ref, 'cert'));

  rotate: Op<'rotation:start'> = (input) => this.rotations.start(input);
  rotateAllDue: Op<'rotation:bulk'> = (input) => rotateAllDue(this.ctx, this.rotations, input);
  resumeRotations: Op<'rotation:resume'> = async (input) =>
    input.job ? [await this.rotations.run(this.rotations.get(input.job).id)] : this.rotations.resumeDue();
  forceCutoff: Op<'rotation:force-cutoff'> = (input) => this.rotations.forceCutoff(input);
  extendRotation: Op<'rotation:extend'> = (input) => this.rotations.extend(input);
  cancelRotations: Op<'rotation:cancel'> = async (input) => {
    const ids = input.job
      ? [this.rotations.get(input.job).id]
      : input.batch
        ? this.rotations.repository.batch(input.batch).map((j) => j.id)
        : [];
    if (ids.length === 0)
      throw new CertdeskError(
        'NOT_FOUND',
        input.batch ? `There is no rotation batch "${input.batch}".` : 'Name a job or a batch to cancel.',
        { field: input.batch ? 'batch' : 'job' },
      );
    return ids.map((id) => this.rotations.cancel(id));
  };

  /** The shared context, for use cases that live outside this class (the edge bundle). */
  edgeContext(): CoreContext {
    return this.ctx;
  }

  /** Locks the vault and closes the database; `audit.settle()` afterwards waits for the last keychain checkpoint. */
  close(): void {
    if (!this.db.open) return;
    this.forgetRole();
    void this.keygen.close();
    this.vault.lock();
    this.audit.close();
    this.db.close();
    // After the service's connection: the worker's closes last, and SQLite removes the WAL then.
    void this.walCheckpoints?.stop();
  }
}
