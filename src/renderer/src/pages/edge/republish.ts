import type { EdgeConfigView, EdgePublication, EdgePublishInput } from '../../../../shared/contract/index.ts';
import { approvedChoice } from './edge-ca-approval.ts';
import { approveCommand, toEdgeSettings, toReload, type EdgeFormValues } from './edge-form.ts';

/** Why the palette cannot republish, and what the operator runs on this machine to fix it. */
export interface RepublishBlock {
  code: 'EDGE_FOLDER_NOT_SET' | 'EDGE_SETTINGS_NOT_APPROVED' | 'VALIDATION';
  message: string;
  commands: string[];
}

export type RepublishPlan = { ok: true; input: EdgePublishInput; cas: string[] } | ({ ok: false } & RepublishBlock);

const FOLDER_COMMAND = 'certdesk edge folder set DIR';

/** The form's settings as the approval command, when they are complete enough to be one; else the command's shape. */
function approvalCommand(values: EdgeFormValues): string {
  const settings = toEdgeSettings(values);
  return settings.serverName && settings.upstream
    ? approveCommand(settings)
    : 'certdesk edge settings set --server-name … --upstream … (the same flags as certdesk edge export)';
}

/**
 * What "Publish the edge" from the command palette publishes: exactly the approved settings (never the
 * form's unapproved edits), to the configured folder, trusting the approved CAs; the reload is the form's,
 * shown before it runs.
 */
export function republishPlan(
  config: EdgeConfigView,
  last: EdgePublication | undefined,
  values: EdgeFormValues,
  issuingIds: readonly string[],
): RepublishPlan {
  if (!config.approved)
    return {
      ok: false,
      code: 'EDGE_SETTINGS_NOT_APPROVED',
      message: `The edge configuration is not approved (${config.problem ?? 'unknown reason'}), so nothing was published. Set the folder and approve the settings again on this machine.`,
      commands: [FOLDER_COMMAND, approvalCommand(values)],
    };
  if (!config.folder)
    return {
      ok: false,
      code: 'EDGE_FOLDER_NOT_SET',
      message: 'No edge folder is configured, so nothing was published. The operator sets it on this machine.',
      commands: [FOLDER_COMMAND],
    };
  if (!config.settings)
    return {
      ok: false,
      code: 'EDGE_SETTINGS_NOT_APPROVED',
      message: 'No edge settings are approved yet, so nothing was published. The operator approves them on this machine.',
      commands: [approvalCommand(values)],
    };
  // The operator's approved set (its CAs still issuing: a narrower set only removes trust), else the last
  // publication's while all of them still issue, else the form's, which main refuses if it adds a CA.
  const approved = approvedChoice(config.approvedCas, issuingIds);
  const previous = last?.authorityIds ?? [];
  const cas =
    approved.length > 0 ? approved : previous.length > 0 && previous.every((id) => issuingIds.includes(id)) ? previous : values.ca;
  if (cas.length === 0)
    return {
      ok: false,
      code: 'VALIDATION',
      message: 'No issuing CA is chosen for the edge, so nothing was published. Choose one under "Issuing CAs" on the Edge page.',
      commands: [],
    };
  const reload = toReload(values);
  return {
    ok: true,
    cas: [...cas],
    input: { ca: cas.length === 1 ? cas[0]! : [...cas], settings: config.settings, ...(reload ? { reload } : {}) },
  };
}
