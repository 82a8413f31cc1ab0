/** The customer edge (nginx): its bundle previewed and published, its history, and what it must trust. */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';
import { empty, text } from './fields.ts';
import { reloadArgv, reloadChoice, reloadCommandRefused } from './edge-reload.ts';
import { CertdeskError } from '../core/errors.ts';
import { edgeConfigEndpoints, publishFromHost } from './edge-config.ts';
import { edgeSettings, nginxRules } from './edge-settings.ts';
import { edgeCas } from './edge-cas.ts';

export const edge = {
  'edge:preview': {
    input: z.object({ ca: edgeCas, settings: edgeSettings }).strict().superRefine(nginxRules),
    handle: (input, { service }) => service.previewEdge(input),
  },
  'edge:publish': {
    input: z
      .object({
        ca: edgeCas,
        // The CLI operator's folder; from any other caller refused by name (FORBIDDEN), never written to.
        dir: text('dir', 4096).optional(),
        reload: reloadChoice.optional(),
        reloadCommand: reloadCommandRefused,
        settings: edgeSettings,
      })
      .strict()
      .superRefine(nginxRules),
    handle: (input, ctx) => publishFromHost(input, ctx),
  },
  'edge:history': {
    input: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
    handle: (input, { service }) => service.edgeHistory(input),
  },
  'edge:trust': { input: empty, handle: (_input, { service }) => service.edgeTrust() },
  'edge:reload-show': {
    input: empty,
    handle: async (_input, { service, reloadApprover }) => {
      await service.reloadApprovalReady();
      return service.edgeReloadConfig(reloadApprover !== undefined);
    },
  },
  'edge:reload-set': {
    input: z.object({ argv: reloadArgv }).strict(),
    handle: async ({ argv }, { service, reloadApprover }) => {
      if (!reloadApprover)
        throw new CertdeskError(
          'RELOAD_APPROVAL_UNAVAILABLE',
          'A custom reload command can only be set by the operator on this machine: certdesk edge reload set -- ARGV…, or the desktop app. Here, choose a preset.',
          { field: 'argv' },
        );
      if (!(await reloadApprover.confirm(argv)))
        throw new CertdeskError('RELOAD_NOT_APPROVED', 'The custom reload command was not approved; nothing was stored.', {
          field: 'argv',
        });
      await service.approveCustomReload(argv, reloadApprover.via);
      return service.edgeReloadConfig(true);
    },
  },
  'edge:reload-clear': {
    input: empty,
    handle: async (_input, { service, reloadApprover }) => {
      await service.clearCustomReload();
      await service.reloadApprovalReady();
      return service.edgeReloadConfig(reloadApprover !== undefined);
    },
  },
  ...edgeConfigEndpoints,
} satisfies Endpoints<
  | 'edge:preview'
  | 'edge:publish'
  | 'edge:history'
  | 'edge:trust'
  | 'edge:reload-show'
  | 'edge:reload-set'
  | 'edge:reload-clear'
  | 'edge:config-show'
  | 'edge:folder-set'
  | 'edge:settings-approve'
>;
