/** Auth0 bindings: certificates bound to applications, the plan and apply against a tenant, and the outbox. */
import { z } from 'zod';
import { CLIENT_IP_HEADERS } from '../../shared/contract/index.ts';
import { hasWhitespace } from '../../shared/validation.ts';
import type { Endpoints } from './endpoint.ts';
import { hostName, ref, text } from './fields.ts';

export const bindings = {
  'bindings:create': {
    input: z
      .object({
        cert: ref('cert'),
        tenant: ref('tenant'),
        clientId: text('clientId', 200).refine((v) => !hasWhitespace(v), { error: 'clientId must not contain spaces' }),
        api: text('api', 600).optional(),
        pop: z.boolean().optional(),
        endpointAliases: z.boolean().optional(),
        verifyAudience: text('verifyAudience', 600)
          .refine((v) => !hasWhitespace(v), { error: 'verifyAudience is an API identifier, without spaces' })
          .optional(),
      })
      .strict(),
    handle: async (input, { service }) => service.bind(input),
  },
  'bindings:list': {
    input: z.object({ tenant: ref('tenant').optional() }).strict(),
    handle: async (input, { service }) => service.bindings.list(input.tenant),
  },
  'bindings:remove': {
    input: z.object({ binding: ref('binding'), confirm: z.string().max(200).optional() }).strict(),
    handle: async (input, { service }) => service.bindings.unbind(input),
  },
  'auth0:plan': {
    input: z.object({ tenant: ref('tenant') }).strict(),
    handle: (input, { service }) => service.bindings.plan(input.tenant),
  },
  'auth0:apply': {
    input: z.object({ tenant: ref('tenant'), confirm: z.string().max(200).optional() }).strict(),
    handle: (input, { service }) => service.bindings.apply(input),
  },
  'outbox:list': {
    input: z.object({ tenant: ref('tenant').optional() }).strict(),
    handle: async (input, { service }) => service.bindings.listOutbox(input.tenant),
  },
  'auth0:clients': {
    input: z.object({ tenant: ref('tenant') }).strict(),
    handle: (input, { service }) => service.bindings.clients(input.tenant),
  },
  'auth0:verify-audience': {
    input: z.object({ tenant: ref('tenant') }).strict(),
    handle: (input, { service }) => service.bindings.verifyAudience(input.tenant),
  },
  'auth0:custom-domain': {
    input: z
      .object({
        tenant: ref('tenant'),
        domain: hostName('domain').optional(),
        // Admitted only to be refused by name (FORBIDDEN), never to be written to.
        keyFile: text('keyFile', 4096).optional(),
        clientIpHeader: z.enum(CLIENT_IP_HEADERS, { error: `clientIpHeader must be one of ${CLIENT_IP_HEADERS.join(', ')}` }).optional(),
        confirm: z.string().max(200).optional(),
      })
      .strict(),
    handle: (input, { service, saveDialog }) => service.bindings.customDomain(input, saveDialog),
  },
} satisfies Endpoints<
  | 'bindings:create'
  | 'bindings:list'
  | 'bindings:remove'
  | 'auth0:plan'
  | 'auth0:apply'
  | 'outbox:list'
  | 'auth0:clients'
  | 'auth0:verify-audience'
  | 'auth0:custom-domain'
>;
