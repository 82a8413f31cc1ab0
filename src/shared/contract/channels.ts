import type { AppInfo, Empty } from './app.ts';
import type { AuditExportFormat, AuditExportResult, AuditFilter, AuditRow, AuditVerifyResult } from './audit.ts';
import type {
  AuthorityView,
  CreateAuthorityInput,
  CrlView,
  ImportCaInput,
  RetireAuthorityInput,
  SetAuthorityUrlsInput,
  RevokeAuthorityInput,
} from './authorities.ts';
import type {
  ApplyInput,
  ApplyResult,
  Auth0ClientSummary,
  VerifyAudience,
  BindInput,
  BindingView,
  OutboxItem,
  TenantPlan,
  UnbindInput,
} from './bindings.ts';
import type {
  CertificateDetail,
  CertificatePage,
  CertificateQuery,
  CsrView,
  ExportInput,
  ExportResult,
  ImportCertificateInput,
  IssueInput,
  LintResult,
  ProfileView,
  RenewInput,
  RevokeInput,
} from './certificates.ts';
import type {
  DeliverResult,
  DeliveryRecord,
  TargetAddInput,
  TargetAddResult,
  TargetRollbackResult,
  TargetTestResult,
  TargetView,
} from './delivery.ts';
import type { DiagnoseInput, DiagnosticFilesInput, DiagnosticFilesResult, DiagnosticsReport } from './diagnostics.ts';
import type { EdgeReloadConfig } from './edge-reload.ts';
import type {
  EdgeCas,
  EdgeConfigView,
  EdgePreview,
  EdgePublication,
  EdgePublishInput,
  EdgePublishResult,
  EdgeSettings,
  EdgeTrust,
} from './edge.ts';
import type { Result } from './errors.ts';
import type { TemplateRenameInput, TemplateSaveInput, TemplateView } from './templates.ts';
import type { TransferImportView } from './transfer.ts';
import type {
  TransferDecisionInput,
  TransferDecisionResult,
  TransferExportAgainView,
  TransferExportView,
  TransferFileOutput,
  TransferOutboxView,
  TransferPairImportInput,
  TransferPairImportResult,
  TransferPairInspection,
  TransferPairingView,
  TransferRefuseInput,
  TransferUploadInput,
} from './transfer-desk.ts';
import type { WebhookResult, WebhookView } from './webhook.ts';
import type { CertdeskEvent } from './events.ts';
import type {
  BulkRotateInput,
  BulkRotationSummary,
  ExtendRotationInput,
  ForceCutoffInput,
  RotateInput,
  RotationJobView,
  RotationPreview,
} from './rotation.ts';
import type { SandboxStatus } from './sandbox.ts';
import type { DueSummary, ScheduleItem, ScheduleQuery } from './schedule.ts';
import type { CrlSeriesQuery, CrlSeriesStatus } from './crl-series.ts';
import type { CertificateEdgeUsage, UsageReport } from './usage.ts';
import type {
  CustomDomainInput,
  CustomDomainSetup,
  TenantAddInput,
  TenantUpdateInput,
  TenantDiagnostics,
  TenantRemoveInput,
  TenantTestResult,
  TenantView,
} from './tenants.ts';
import type { VaultAutoLockInput, VaultChangePassphraseInput, VaultInitInput, VaultStatus, VaultUnlockInput } from './vault.ts';

/**
 * Every channel: `domain:verb` → input and output. Adding a channel means editing `Channels` and
 * `CHANNELS` here, and giving it a zod schema and a handler in its domain's file under
 * `src/main/api/`; the type check fails while any of them is missing or disagrees.
 */
export interface Channels {
  'app:info': { input: Empty; output: AppInfo };
  'vault:init': { input: VaultInitInput; output: VaultStatus };
  'vault:unlock': { input: VaultUnlockInput; output: VaultStatus };
  'vault:lock': { input: Empty; output: VaultStatus };
  'vault:change-passphrase': { input: VaultChangePassphraseInput; output: VaultStatus };
  'vault:auto-lock': { input: VaultAutoLockInput; output: VaultStatus };
  'ca:list': { input: Empty; output: AuthorityView[] };
  'ca:create': { input: CreateAuthorityInput; output: AuthorityView };
  'ca:retire': { input: RetireAuthorityInput; output: AuthorityView };
  /** The CRL distribution point and AIA URLs leaves issued under the CA carry from now on; audited. */
  'ca:set-urls': { input: SetAuthorityUrlsInput; output: AuthorityView };
  'ca:revoke': { input: RevokeAuthorityInput; output: AuthorityView };
  'ca:import': { input: ImportCaInput; output: AuthorityView };
  'profiles:list': { input: Empty; output: ProfileView[] };
  'certs:issue': { input: IssueInput; output: CertificateDetail };
  'certs:inspect-csr': { input: { csr: string }; output: CsrView };
  'certs:list': { input: CertificateQuery; output: CertificatePage };
  'certs:get': { input: { cert: string }; output: CertificateDetail };
  'certs:renew': { input: RenewInput; output: CertificateDetail };
  'certs:revoke': { input: RevokeInput; output: CertificateDetail };
  'certs:export': { input: ExportInput; output: ExportResult };
  'certs:import': { input: ImportCertificateInput; output: CertificateDetail };
  'certs:lint': { input: { pem: string }; output: LintResult };
  /** Reads what the configured edge access log gained, then one certificate's evidence with the last day by the hour. */
  'certs:usage': { input: { cert: string }; output: CertificateEdgeUsage };
  /** Reads what the configured edge access log gained, then every certificate's evidence (or one's). */
  'usage:list': { input: { cert?: string }; output: UsageReport };
  'crl:generate': { input: { ca: string }; output: CrlView };
  /** Newest first, filtered in SQL, subjects resolved; one page at a time. */
  'audit:list': { input: AuditFilter & { offset?: number; limit?: number }; output: { total: number; items: AuditRow[] } };
  /** The actions the log holds, for the kind filter. */
  'audit:kinds': { input: Empty; output: string[] };
  /** The filtered rows as CSV or JSON: a download in web mode, the save dialog in the desktop app. */
  'audit:export': { input: AuditFilter & { format: AuditExportFormat }; output: AuditExportResult };
  'audit:verify': { input: Empty; output: AuditVerifyResult };
  'edge:preview': { input: { ca: EdgeCas; settings: EdgeSettings }; output: EdgePreview };
  'edge:publish': { input: EdgePublishInput; output: EdgePublishResult };
  'edge:history': { input: { limit?: number }; output: EdgePublication[] };
  'edge:trust': { input: Empty; output: EdgeTrust };
  'edge:reload-show': { input: Empty; output: EdgeReloadConfig };
  /** Refused unless the host can ask the operator (the CLI's explicit command, Electron's native dialog). */
  'edge:reload-set': { input: { argv: string[] }; output: EdgeReloadConfig };
  'edge:reload-clear': { input: Empty; output: EdgeReloadConfig };
  'edge:config-show': { input: Empty; output: EdgeConfigView };
  'edge:folder-set': { input: { dir?: string }; output: EdgeConfigView };
  'edge:settings-approve': { input: { settings: EdgeSettings; ca?: EdgeCas }; output: EdgeConfigView };
  'schedule:list': { input: ScheduleQuery; output: ScheduleItem[] };
  'schedule:due': { input: Empty; output: DueSummary };
  'schedule:ics': { input: ScheduleQuery; output: { filename: string; content: string } };
  /** A publisher's pre-signed CRLs per key-less CA: how long until the last runs out (issue 12 §5). */
  'schedule:crl-series': { input: CrlSeriesQuery; output: CrlSeriesStatus[] };
  'tenants:list': { input: Empty; output: TenantView[] };
  'tenants:add': { input: TenantAddInput; output: TenantView };
  'tenants:update': { input: TenantUpdateInput; output: TenantView };
  'tenants:test': { input: { tenant: string }; output: TenantTestResult };
  'tenants:remove': { input: TenantRemoveInput; output: { removed: TenantView } };
  'bindings:create': { input: BindInput; output: BindingView };
  'bindings:list': { input: { tenant?: string }; output: BindingView[] };
  'bindings:remove': { input: UnbindInput; output: BindingView };
  'auth0:plan': { input: { tenant: string }; output: TenantPlan };
  'auth0:apply': { input: ApplyInput; output: ApplyResult };
  'outbox:list': { input: { tenant?: string }; output: OutboxItem[] };
  'auth0:clients': { input: { tenant: string }; output: Auth0ClientSummary[] };
  'auth0:verify-audience': { input: { tenant: string }; output: VerifyAudience };
  'auth0:custom-domain': { input: CustomDomainInput; output: CustomDomainSetup };
  'tenants:diagnostics': { input: { tenant: string; settings: TenantDiagnostics }; output: TenantView };
  'diagnostics:run': { input: DiagnoseInput; output: DiagnosticsReport };
  'diagnostics:files': { input: DiagnosticFilesInput; output: DiagnosticFilesResult };
  'rotation:start': { input: RotateInput; output: RotationJobView };
  'rotation:list': { input: Empty; output: RotationJobView[] };
  'rotation:resume': { input: { job?: string }; output: RotationJobView[] };
  'rotation:cancel': { input: { job?: string; batch?: string }; output: RotationJobView[] };
  'rotation:bulk': { input: BulkRotateInput; output: BulkRotationSummary };
  /** Refused unless the host lets the operator choose the place (the CLI, Electron's native folder dialog). */
  'targets:add': { input: TargetAddInput; output: TargetAddResult };
  'targets:list': { input: { cert?: string }; output: TargetView[] };
  'targets:test': { input: { target: string }; output: TargetTestResult };
  'targets:remove': { input: { target: string }; output: TargetView };
  /** Swaps a folder or ssh target's `current` back to its `previous` release (the reload runs after); audited. */
  'targets:rollback': { input: { target: string }; output: TargetRollbackResult };
  'targets:history': { input: { target?: string; cert?: string; limit?: number }; output: DeliveryRecord[] };
  'certs:deliver': { input: { cert: string }; output: DeliverResult };
  'rotation:preview': { input: { cert: string }; output: RotationPreview };
  'rotation:force-cutoff': { input: ForceCutoffInput; output: RotationJobView };
  'rotation:extend': { input: ExtendRotationInput; output: RotationJobView };
  'sandbox:status': { input: Empty; output: SandboxStatus };
  'sandbox:start': { input: Empty; output: SandboxStatus };
  'sandbox:stop': { input: Empty; output: SandboxStatus };
  /** Read-only: one staged transfer import, or every import with items still pending. */
  'transfer:review': { input: { import?: string }; output: TransferImportView[] };
  // The transfer page: signer and publisher only (a standalone folder is refused TRANSFER_ROLE). Files cross as bytes.
  'transfer:pairing': { input: Empty; output: TransferPairingView };
  'transfer:pair-export': { input: Empty; output: TransferFileOutput & { fingerprint: string } };
  /** Read-only: checks the peer's pairing file and shows its fingerprint; nothing is stored. */
  'transfer:pair-inspect': { input: TransferUploadInput; output: TransferPairInspection };
  'transfer:pair-import': { input: TransferPairImportInput; output: TransferPairImportResult };
  /** Verifies an uploaded bundle and stages it for review: nothing is applied. */
  'transfer:import': { input: TransferUploadInput; output: TransferImportView };
  'transfer:approve': { input: TransferDecisionInput; output: TransferDecisionResult };
  'transfer:refuse': { input: TransferRefuseInput; output: TransferDecisionResult };
  'transfer:outbox': { input: Empty; output: TransferOutboxView };
  /** Signs everything queued into the next bundle: a download (web), or the file chosen in main's save dialog (desktop). */
  'transfer:export': { input: Empty; output: TransferExportView };
  /** The latest bundle again, byte for byte, for a file or download lost on the way: nothing is sequenced anew. */
  'transfer:export-again': { input: Empty; output: TransferExportAgainView };
  'templates:list': { input: Empty; output: TemplateView[] };
  'templates:get': { input: { name: string }; output: TemplateView };
  'templates:save': { input: TemplateSaveInput; output: TemplateView };
  'templates:rename': { input: TemplateRenameInput; output: TemplateView };
  'templates:delete': { input: { name: string }; output: TemplateView };
  'webhook:show': { input: Empty; output: WebhookView };
  /** `url: null` turns the webhook off. Refused on an offline signer. */
  'webhook:set': { input: { url: string | null }; output: WebhookView };
  /** Sends a test payload now; a failure is also kept as the last result. */
  'webhook:test': { input: Empty; output: WebhookResult };
}

export type Channel = keyof Channels;

export type ChannelInput<C extends Channel> = Channels[C]['input'];

export type ChannelOutput<C extends Channel> = Channels[C]['output'];

/** Runtime list of channels; the `satisfies` line makes it fail to compile when it and `Channels` differ. */
export const CHANNELS = [
  'app:info',
  'vault:init',
  'vault:unlock',
  'vault:lock',
  'vault:change-passphrase',
  'vault:auto-lock',
  'ca:list',
  'ca:create',
  'ca:retire',
  'ca:set-urls',
  'ca:revoke',
  'ca:import',
  'profiles:list',
  'certs:issue',
  'certs:inspect-csr',
  'certs:list',
  'certs:get',
  'certs:renew',
  'certs:revoke',
  'certs:export',
  'certs:import',
  'certs:lint',
  'certs:usage',
  'usage:list',
  'crl:generate',
  'audit:list',
  'audit:kinds',
  'audit:export',
  'audit:verify',
  'edge:preview',
  'edge:publish',
  'edge:history',
  'edge:trust',
  'edge:reload-show',
  'edge:reload-set',
  'edge:reload-clear',
  'edge:config-show',
  'edge:folder-set',
  'edge:settings-approve',
  'schedule:list',
  'schedule:due',
  'schedule:ics',
  'schedule:crl-series',
  'tenants:list',
  'tenants:add',
  'tenants:update',
  'tenants:test',
  'tenants:remove',
  'bindings:create',
  'bindings:list',
  'bindings:remove',
  'auth0:plan',
  'auth0:apply',
  'outbox:list',
  'auth0:clients',
  'auth0:verify-audience',
  'auth0:custom-domain',
  'tenants:diagnostics',
  'diagnostics:run',
  'diagnostics:files',
  'rotation:start',
  'rotation:list',
  'rotation:resume',
  'rotation:cancel',
  'rotation:bulk',
  'targets:add',
  'targets:list',
  'targets:test',
  'targets:remove',
  'targets:rollback',
  'targets:history',
  'certs:deliver',
  'rotation:preview',
  'rotation:force-cutoff',
  'rotation:extend',
  'sandbox:status',
  'sandbox:start',
  'sandbox:stop',
  'transfer:review',
  'transfer:pairing',
  'transfer:pair-export',
  'transfer:pair-inspect',
  'transfer:pair-import',
  'transfer:import',
  'transfer:approve',
  'transfer:refuse',
  'transfer:outbox',
  'transfer:export',
  'transfer:export-again',
  'templates:list',
  'templates:get',
  'templates:save',
  'templates:rename',
  'templates:delete',
  'webhook:show',
  'webhook:set',
  'webhook:test',
] as const satisfies readonly Channel[];

type Missing = Exclude<Channel, (typeof CHANNELS)[number]>;

export const CHANNELS_COMPLETE: Missing extends never ? true : Missing = true;

/** What `window.certdesk` is, in Electron (preload) and in web mode (HTTP bridge). */
export interface CertdeskApi {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  onEvent(listener: (event: CertdeskEvent) => void): () => void;
}
