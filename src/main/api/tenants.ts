/** Auth0 tenant profiles: added, tested, removed, and how the flight check reaches each one. */
import { z } from 'zod';
import { TENANT_ENVIRONMENTS } from '../../shared/contract/index.ts';
import type { Endpoints } from './endpoint.ts';
import { hasControlCharacters, hasWhitespace, isEdgeAddress } from '../../shared/validation.ts';
import { empty, hostName, httpUrl, httpsUrl, pem, ref, text } from './fields.ts';

const environment = z.enum(TENANT_ENVIRONMENTS, { error: `environment must be one of ${TENANT_ENVIRONMENTS.join(', ')}` });
const clientId = text('clientId', 200).refine((v) => !hasWhitespace(v), { error: 'clientId must not contain spaces' });
// Never echo the value: these messages are static.
const clientSecret = z
  .string({ error: 'clientSecret must be text' })
  .min(1, { error: 'clientSecret must not be empty' })
  .max(1024, { error: 'clientSecret is longer than 1024 characters' })
  .refine((value) => !hasControlCharacters(value), { error: 'clientSecret must not contain control characters' });

const addTenant = z
  .object({
    name: text('name', 64),
    environment,
    domain: hostName('domain'),
    customDomain: hostName('customDomain').optional(),
    clientId,
    clientSecret,
  })
  .strict();

const updateTenant = z
  .object({
    tenant: ref('tenant'),
    name: text('name', 64).optional(),
    environment: environment.optional(),
    domain: hostName('domain').optional(),
    customDomain: hostName('customDomain').nullable().optional(),
    clientId: clientId.optional(),
    clientSecret: clientSecret.optional(),
    confirm: z.string().max(200).optional(),
  })
  .strict();

export const tenants = {
  'tenants:list': { input: empty, handle: (_input, { service }) => service.listTenants() },
  'tenants:add': { input: addTenant, handle: (input, { service }) => service.addTenant(input) },
  'tenants:update': { input: updateTenant, handle: (input, { service }) => service.tenants.update(input) },
  'tenants:test': { input: z.object({ tenant: ref('tenant') }).strict(), handle: (input, { service }) => service.testTenant(input) },
  'tenants:remove': {
    input: z.object({ tenant: ref('tenant'), confirm: z.string().max(200).optional() }).strict(),
    handle: (input, { service }) => service.removeTenant(input),
  },
  'tenants:diagnostics': {
    input: z
      .object({
        tenant: ref('tenant'),
        settings: z
          .object({
            discoveryUrl: httpsUrl('discoveryUrl').optional(),
            audience: text('audience', 600).optional(),
            edgeAddress: z.string().refine(isEdgeAddress, { error: 'edgeAddress must be host:port, such as 127.0.0.1:8443' }).optional(),
            edgeCaPem: pem('edgeCaPem').optional(),
            resourceUrl: httpUrl('resourceUrl').optional(),
          })
          .strict(),
      })
      .strict(),
    handle: async (input, { service }) => service.tenants.setDiagnostics(input.tenant, input.settings),
  },
} satisfies Endpoints<'tenants:list' | 'tenants:add' | 'tenants:update' | 'tenants:test' | 'tenants:remove' | 'tenants:diagnostics'>;
