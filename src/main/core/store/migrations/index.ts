import { initial } from './0010-initial.ts';
import { certificatesCrlsAudit } from './0020-certificates-crls-audit.ts';
import { edgePublications } from './0030-edge-publications.ts';
import { tenants } from './0040-tenants.ts';
import { bindingsOutbox } from './0050-bindings-outbox.ts';
import { rotationJobs } from './0060-rotation-jobs.ts';
import { leases } from './0070-leases.ts';
import { rotationConsents } from './0080-rotation-consents.ts';
import { auditAppendOnly } from './0090-audit-append-only.ts';
import { edgeReloadActions } from './0100-edge-reload-actions.ts';
import { edgeReloadApprovalMac } from './0130-edge-reload-approval-mac.ts';
import { edgeConfig } from './0140-edge-config.ts';
import { edgeReloadProgram } from './0150-edge-reload-program.ts';
import { deliveryTargets } from './0200-delivery-targets.ts';
import { edgeUsage } from './0220-edge-usage.ts';
import { rotationDeliverStep } from './0240-rotation-deliver-step.ts';
import { workstationRole } from './0250-workstation-role.ts';
import { transferPairing } from './0260-transfer-pairing.ts';
import { transferStaging } from './0270-transfer-staging.ts';
import { offlinePublisher } from './0280-offline-publisher.ts';
import { authorityRetirement } from './0290-authority-retirement.ts';
import { searchFingerprints } from './0300-search-fingerprints.ts';
import { certificateSubjectKey } from './0330-certificate-subject-key.ts';
import { authorityUrls } from './0360-authority-urls.ts';
import { certTemplates } from './0370-cert-templates.ts';
import { webhookSent } from './0380-webhook-sent.ts';
import { edgePublicationAuthorities } from './0400-edge-publication-authorities.ts';
import { transferExportCopy } from './0410-transfer-export-copy.ts';
import { outboxBindingIndex } from './0420-outbox-binding-index.ts';
import { certificateIssuerExpiryIndex } from './0430-certificate-issuer-expiry-index.ts';
import { certificateRenewalIndex } from './0440-certificate-renewal-index.ts';
import { searchIndexBatches } from './0450-search-index-batches.ts';
import { dropX5tIndex } from './0460-drop-x5t-index.ts';
import { certificateSerialReplacesIndexes } from './0470-certificate-serial-replaces-indexes.ts';
import type { Migration } from './migration.ts';

/** In order. Append only: a released migration is never edited, a new one is added after it. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  certificatesCrlsAudit,
  edgePublications,
  tenants,
  bindingsOutbox,
  rotationJobs,
  leases,
  rotationConsents,
  auditAppendOnly,
  edgeReloadActions,
  edgeReloadApprovalMac,
  edgeConfig,
  edgeReloadProgram,
  deliveryTargets,
  edgeUsage,
  rotationDeliverStep,
  workstationRole,
  transferPairing,
  transferStaging,
  offlinePublisher,
  authorityRetirement,
  searchFingerprints,
  certificateSubjectKey,
  authorityUrls,
  certTemplates,
  webhookSent,
  edgePublicationAuthorities,
  transferExportCopy,
  outboxBindingIndex,
  certificateIssuerExpiryIndex,
  certificateRenewalIndex,
  searchIndexBatches,
  dropX5tIndex,
  certificateSerialReplacesIndexes,
];
export type { Migration };
