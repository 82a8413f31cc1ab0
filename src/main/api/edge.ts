/** The customer edge (nginx): its bundle previewed and published, its history, and what it must trust. */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';
import { rebuildEdgeSettings, type EdgeSettingField } from '../../shared/validation.ts';
import { empty, ref, text } from './fields.ts';
import { reloadArgv, reloadChoice, reloadCommandRefused } from './edge-reload.ts';
import { CertdeskError } from '../core/errors.ts';

// The shapes, then the nginx rules the form shows (shared/validation.ts): a value that could inject
// a directive is refused here, naming its field; the config writer checks again (stored settings).
const edgeSettings = z
  .object({
    serverName: text('serverName', 253),
    listen: text('listen', 64),
    serverCertificatePath: text('serverCertificatePath', 4096),
    serverKeyPath: text('serverKeyPath', 4096),
    upstream: text('upstream', 2048),
    upstreamHost: text('upstreamHost', 253).optional(),
    cnameApiKeyInclude: text('cnameApiKeyInclude', 4096),
    clientIpHeader: text('clientIpHeader', 64).optional(),
    bundleDir: text('bundleDir', 4096),
    verifyClient: z.enum(['on', 'optional']).optional(),
    accessLog: text('accessLog', 4096).optional(),
  })
  .strict();

/** The nginx rules, on the whole input: a refusal names the setting alone (`upstream`), as the config writer's does. */
function nginxRules(input: { settings: z.output<typeof edgeSettings> }, ctx: z.RefinementCtx): void {
  const rebuilt = rebuildEdgeSettings(input.settings);
  if (rebuilt.ok) return;
  for (const [field, error] of Object.entries(rebuilt.errors) as Array<[EdgeSettingField, string]>)
    ctx.addIssue({ code: 'custom', path: [field], message: `${field}: ${error}` });
}

export const edge = {
  'edge:preview': {
    input: z
      .object({ ca: ref('ca'), settings: edgeSettings })
      .strict()
      .superRefine(nginxRules),
    handle: (input, { service }) => service.previewEdge(input),
  },
  'edge:publish': {
    input: z
      .object({
        ca: ref('ca'),
        dir: text('dir', 4096),
        reload: reloadChoice.optional(),
        reloadCommand: reloadCommandRefused,
        settings: edgeSettings,
      })
      .strict()
      .superRefine(nginxRules),
    handle: (input, { service }) => service.publishEdge(input),
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
} satisfies Endpoints<
  'edge:preview' | 'edge:publish' | 'edge:history' | 'edge:trust' | 'edge:reload-show' | 'edge:reload-set' | 'edge:reload-clear'
>;
