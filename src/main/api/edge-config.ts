/**
 * The edge folder and the approved edge settings: set only by the operator (the CLI's commands, the
 * desktop app's native dialogs). The renderer and web mode publish to the configured folder with the
 * approved settings, and learn here what the operator must do when there are none.
 */
import { z } from 'zod';
import type { ApiContext, Endpoints } from './endpoint.ts';
import type { EdgeCas, EdgePublishInput, EdgePublishResult, EdgeSettings } from '../../shared/contract/index.ts';
import { rebuildEdgeSettings } from '../../shared/validation.ts';
import { CertdeskError } from '../core/errors.ts';
import { FOLDER_FIX, SETTINGS_FIX } from '../core/edge/edge-config.ts';
import { empty, text } from './fields.ts';
import { edgeSettings, nginxRules } from './edge-settings.ts';
import { edgeCas } from './edge-cas.ts';

const hostOf = ({ edgeOperator }: ApiContext) => ({
  canChooseFolder: edgeOperator !== undefined && !edgeOperator.typesFolder,
  canApprove: edgeOperator !== undefined,
});

function dirRefused(channel: string): CertdeskError {
  return new CertdeskError(
    'FORBIDDEN',
    `${channel} takes no dir from this caller: the edge bundle goes to the configured edge folder only. ${FOLDER_FIX} Remove dir; nothing was written.`,
    { field: 'dir' },
  );
}

/** The desktop app's dialog for issuing CAs that are not the approved set; nothing to ask when they are. */
async function desktopCaApproval(ctx: ApiContext, ca: EdgeCas, folder: string, outcome: string): Promise<void> {
  const request = await ctx.service.edgeCaApproval(ca, folder);
  if (request && !(await ctx.edgeOperator!.confirmCas(request)))
    throw new CertdeskError('EDGE_CAS_NOT_APPROVED', `The issuing CAs of the edge were not approved in the dialog; ${outcome}.`, {
      field: 'ca',
    });
}

/** The desktop app: the configured folder, or one the operator picks now; then its approval of changed settings and CAs. */
async function desktopFolderAndApproval(ctx: ApiContext, settings: EdgeSettings, ca: EdgeCas): Promise<string> {
  const operator = ctx.edgeOperator!;
  const config = await ctx.service.edgeConfig(hostOf(ctx));
  let folder = config.approved ? config.folder : null;
  if (!folder) {
    folder = await operator.chooseFolder();
    if (!folder) throw new CertdeskError('EDGE_FOLDER_NOT_SET', 'No edge folder was chosen, so nothing was published.', { field: 'dir' });
  }
  if (!(await ctx.service.edgeIsApproved(folder, settings))) await desktopSettingsApproval(ctx, config, folder, settings);
  await desktopCaApproval(ctx, ca, folder, 'nothing was published');
  return folder;
}

async function desktopSettingsApproval(
  ctx: ApiContext,
  config: Awaited<ReturnType<ApiContext['service']['edgeConfig']>>,
  folder: string,
  settings: EdgeSettings,
): Promise<void> {
  const operator = ctx.edgeOperator!;
  const rebuilt = rebuildEdgeSettings(settings);
  if (!rebuilt.ok) return; // The publication refuses them by name.
  const before = (config.approved ? config.settings : null) as Record<string, unknown> | null;
  const after = rebuilt.settings as unknown as Record<string, unknown>;
  const changed = Object.keys(after).filter((field) => JSON.stringify(before?.[field]) !== JSON.stringify(after[field]));
  if (!(await operator.confirmSettings({ folder, settings: rebuilt.settings, changed })))
    throw new CertdeskError('EDGE_SETTINGS_NOT_APPROVED', 'The edge settings were not approved in the dialog, so nothing was published.', {
      field: 'settings',
    });
}

/**
 * `edge:publish` per host: web mode publishes only to the configured folder with the approved
 * settings; the CLI's `dir` and settings are the operator's own; the desktop app asks in its dialogs.
 */
export async function publishFromHost(input: EdgePublishInput, ctx: ApiContext): Promise<EdgePublishResult> {
  const { edgeOperator, service } = ctx;
  // Refused by name before anything is read or written: no caller names the folder but the operator.
  if (input.dir !== undefined && !edgeOperator?.typesFolder) throw dirRefused('edge:publish');
  const { dir, reloadCommand: _refused, ...rest } = input;
  if (!edgeOperator) return service.publishConfiguredEdge(rest);
  if (edgeOperator.typesFolder) return service.publishEdge(dir === undefined ? rest : { ...rest, dir }, edgeOperator.via);
  const folder = await desktopFolderAndApproval(ctx, input.settings, input.ca);
  return service.publishEdge({ ...rest, dir: folder }, edgeOperator.via);
}

export const edgeConfigEndpoints = {
  'edge:config-show': { input: empty, handle: (_input, ctx) => ctx.service.edgeConfig(hostOf(ctx)) },
  'edge:folder-set': {
    // dir is the CLI operator's typed folder; from anyone else it is refused by name.
    input: z.object({ dir: text('dir', 4096).optional() }).strict(),
    handle: async ({ dir }, ctx) => {
      const operator = ctx.edgeOperator;
      if (!operator)
        throw new CertdeskError('EDGE_FOLDER_NOT_SET', `Web mode cannot choose the edge folder (it has no folder dialog). ${FOLDER_FIX}`, {
          field: 'dir',
        });
      if (dir !== undefined && !operator.typesFolder) throw dirRefused('edge:folder-set');
      const folder = dir ?? (await operator.chooseFolder());
      if (!folder)
        throw new CertdeskError('EDGE_FOLDER_NOT_SET', 'No edge folder was chosen; the configured one is unchanged.', { field: 'dir' });
      await ctx.service.setEdgeFolder(folder, operator.via);
      return ctx.service.edgeConfig(hostOf(ctx));
    },
  },
  'edge:settings-approve': {
    // ca: the issuing CAs approved with the settings (the CLI's --ca); without it the approved set is unchanged.
    input: z.object({ settings: edgeSettings, ca: edgeCas.optional() }).strict().superRefine(nginxRules),
    handle: async ({ settings, ca }, ctx) => {
      const operator = ctx.edgeOperator;
      if (!operator)
        throw new CertdeskError('EDGE_SETTINGS_NOT_APPROVED', `Web mode cannot approve edge settings. ${SETTINGS_FIX}`, {
          field: 'settings',
        });
      if (!operator.typesFolder) {
        const config = await ctx.service.edgeConfig(hostOf(ctx));
        const rebuilt = rebuildEdgeSettings(settings);
        if (rebuilt.ok) {
          const changed = Object.keys(rebuilt.settings);
          const folder = config.folder ?? '(no edge folder yet)';
          if (!(await operator.confirmSettings({ folder, settings: rebuilt.settings, changed })))
            throw new CertdeskError(
              'EDGE_SETTINGS_NOT_APPROVED',
              'The edge settings were not approved in the dialog; nothing was stored.',
              {
                field: 'settings',
              },
            );
        }
        if (ca !== undefined) await desktopCaApproval(ctx, ca, config.folder ?? '(no edge folder yet)', 'nothing was stored');
      }
      await ctx.service.approveEdgeSettings(settings, operator.via, ca);
      return ctx.service.edgeConfig(hostOf(ctx));
    },
  },
} satisfies Endpoints<'edge:config-show' | 'edge:folder-set' | 'edge:settings-approve'>;
