/** The token flight check (RFC 8705) against a tenant through its edge, and the files to repeat it by hand. */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';
import { httpUrl, passphrase, ref, text } from './fields.ts';

const diagnoseFields = {
  tenant: ref('tenant'),
  clientId: text('clientId', 200),
  cert: ref('cert').optional(),
  audience: text('audience', 600).optional(),
  resourceUrl: httpUrl('resourceUrl').optional(),
  runId: z.string().max(100).optional(),
};

export const diagnostics = {
  'diagnostics:run': { input: z.object(diagnoseFields).strict(), handle: (input, { service }) => service.diagnostics.run(input) },
  'diagnostics:files': {
    // dir is admitted only to be refused by name (FORBIDDEN), never to be written to.
    input: z.object({ ...diagnoseFields, dir: text('dir', 4096).optional(), passphrase }).strict(),
    handle: (input, { service, saveDialog }) => service.diagnostics.writeFiles(input, saveDialog),
  },
} satisfies Endpoints<'diagnostics:run' | 'diagnostics:files'>;
