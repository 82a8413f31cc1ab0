/** The edge settings' schema: the shapes, then the nginx rules the form shows (shared/validation.ts). */
import { z } from 'zod';
import { rebuildEdgeSettings, type EdgeSettingField } from '../../shared/validation.ts';
import { text } from './fields.ts';

// The shapes, then the nginx rules the form shows (shared/validation.ts): a value that could inject
// a directive is refused here, naming its field; the config writer checks again (stored settings).
export const edgeSettings = z
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
export function nginxRules(input: { settings: z.output<typeof edgeSettings> }, ctx: z.RefinementCtx): void {
  const rebuilt = rebuildEdgeSettings(input.settings);
  if (rebuilt.ok) return;
  for (const [field, error] of Object.entries(rebuilt.errors) as Array<[EdgeSettingField, string]>)
    ctx.addIssue({ code: 'custom', path: [field], message: `${field}: ${error}` });
}
