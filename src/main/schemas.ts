import { z } from 'zod';
import {
  CA_KEY_TYPES,
  CLIENT_IP_HEADERS,
  EXPORT_FORMATS,
  KEY_TYPES,
  REVOCATION_REASONS,
  TENANT_ENVIRONMENTS,
  type Channel,
  type ChannelInput,
} from '../shared/contract/index.ts';

/** Printable text only: no control characters (they break DNs, logs and terminals alike). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} is longer than ${max} characters (X.509 upper bound)` })
    .refine((value) => !CONTROL.test(value), { error: `${field} must not contain control characters` });

const empty = z.object({}).strict();

const createAuthority = z
  .object({
    name: text('name', 64),
    organization: text('organization', 64).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, { error: 'country must be a two-letter ISO 3166 code in capitals, such as US or DE' })
      .optional(),
    keyType: z
      .enum(CA_KEY_TYPES, { error: `keyType must be one of ${CA_KEY_TYPES.join(', ')} (RSA-2048 is too weak for a CA)` })
      .optional(),
    years: z
      .number({ error: 'years must be a whole number' })
      .int({ error: 'years must be a whole number' })
      .min(1, { error: 'years must be at least 1' })
      .max(30, { error: 'years must be at most 30' })
      .optional(),
    parent: text('parent', 200).optional(),
    progressId: z.string().max(100).optional(),
  })
  .strict();

const passphrase = z.string({ error: 'passphrase must be text' }).max(1024, { error: 'passphrase is longer than 1024 characters' });

/** PEM or base64 DER pasted or dropped: generous for a chain, far below anything abusive. */
const MAX_PEM = 64 * 1024;
const pem = (field: string) =>
  z
    .string({ error: `${field} must be PEM text` })
    .min(1, { error: `${field} is empty; paste the PEM or drop the file` })
    .max(MAX_PEM, { error: `${field} is larger than ${MAX_PEM / 1024} KiB; that is not a single certificate, key or CSR` });

const ref = (field: string) => text(field, 200);

/** The overlap before the old credential is removed: zero to 90 days, in seconds. */
const overlap = z
  .number({ error: 'overlapSeconds must be a number of seconds' })
  .int({ error: 'overlapSeconds must be whole seconds' })
  .min(0, { error: 'overlapSeconds must be 0 or more' })
  .max(90 * 86_400, { error: 'overlapSeconds must be at most 90 days' });

const httpUrl = (field: string) =>
  z
    .string()
    .max(2048)
    .refine((v) => /^https?:\/\//.test(v) && URL.canParse(v), { error: `${field} must be an http(s) URL` });
const httpsUrl = (field: string) =>
  z
    .string()
    .max(2048)
    .refine((v) => v.startsWith('https://') && URL.canParse(v), { error: `${field} must be an https:// URL` });

const countryCode = z.string().regex(/^[A-Z]{2}$/, { error: 'country must be a two-letter ISO 3166 code in capitals, such as US or DE' });

const DNS_NAME = /^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/;
const san = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        type: z.literal('dns'),
        value: z.string().regex(DNS_NAME, { error: 'a DNS SAN must be a host name such as client.example.com' }),
      })
      .strict(),
    z
      .object({
        type: z.literal('uri'),
        value: z
          .string()
          .max(2048)
          .refine((v) => URL.canParse(v) && /^[a-z][a-z0-9+.-]*:/i.test(v), {
            error: 'a URI SAN must be an absolute URI such as spiffe://example.org/client',
          }),
      })
      .strict(),
    z
      .object({
        type: z.literal('email'),
        value: z
          .string()
          .max(254)
          .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { error: 'an email SAN must be an address such as ops@example.com' }),
      })
      .strict(),
  ],
  { error: 'a SAN must have type dns, uri or email' },
);

const days = z
  .number({ error: 'days must be a whole number' })
  .int({ error: 'days must be a whole number' })
  .min(1, { error: 'days must be at least 1' })
  .max(3650, { error: 'days must be at most 3650' });

const issue = z
  .object({
    ca: ref('ca'),
    profile: text('profile', 64).optional(),
    subject: z
      .object({
        commonName: text('commonName', 64).optional(),
        organization: text('organization', 64).optional(),
        organizationalUnit: text('organizationalUnit', 64).optional(),
        country: countryCode.optional(),
      })
      .strict()
      .optional(),
    sans: z.array(san).max(100, { error: 'at most 100 SANs' }).optional(),
    days: days.optional(),
    source: z.discriminatedUnion(
      'kind',
      [
        z
          .object({
            kind: z.literal('generated'),
            keyType: z.enum(KEY_TYPES, { error: `keyType must be one of ${KEY_TYPES.join(', ')}` }).optional(),
          })
          .strict(),
        z.object({ kind: z.literal('csr'), csr: pem('csr') }).strict(),
      ],
      { error: 'source must be {kind:"generated"} or {kind:"csr", csr}' },
    ),
    progressId: z.string().max(100).optional(),
  })
  .strict();

// The shapes here; validateEdgeSettings refuses values that could inject nginx directives.
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
  })
  .strict();

/** A bare host name: the tenant's domain, not a URL. */
const hostName = (field: string) =>
  z
    .string({ error: `${field} must be text` })
    .trim()
    .toLowerCase()
    .refine((v) => !/^[a-z][a-z0-9+.-]*:\/\//.test(v), { error: `${field} is a host name such as acme.eu.auth0.com, without https://` })
    .refine((v) => DNS_NAME.test(v) && v.includes('.'), { error: `${field} must be a host name such as acme.eu.auth0.com` });

const addTenant = z
  .object({
    name: text('name', 64),
    environment: z.enum(TENANT_ENVIRONMENTS, { error: `environment must be one of ${TENANT_ENVIRONMENTS.join(', ')}` }),
    domain: hostName('domain'),
    customDomain: hostName('customDomain').optional(),
    clientId: text('clientId', 200).refine((v) => !/\s/.test(v), { error: 'clientId must not contain spaces' }),
    // Never echo the value: these messages are static.
    clientSecret: z
      .string({ error: 'clientSecret must be text' })
      .min(1, { error: 'clientSecret must not be empty' })
      .max(1024, { error: 'clientSecret is longer than 1024 characters' })
      .refine((value) => !CONTROL.test(value), { error: 'clientSecret must not contain control characters' }),
  })
  .strict();

const diagnoseFields = {
  tenant: ref('tenant'),
  clientId: text('clientId', 200),
  cert: ref('cert').optional(),
  audience: text('audience', 600).optional(),
  resourceUrl: httpUrl('resourceUrl').optional(),
  runId: z.string().max(100).optional(),
};

/** One schema per channel, each tied to the contract's input type: drift fails the type check. */
export const schemas: { [C in Channel]: z.ZodType<ChannelInput<C>> } = {
  'app:info': empty,
  'vault:init': z
    .object({
      protection: z.enum(['keychain', 'passphrase'], { error: 'protection must be "keychain" or "passphrase"' }),
      passphrase: passphrase.optional(),
    })
    .strict(),
  'vault:unlock': z.object({ passphrase }).strict(),
  'ca:list': empty,
  'ca:create': createAuthority,
  'ca:import': z
    .object({ certPem: pem('certPem'), keyPem: pem('keyPem'), keyPassphrase: passphrase.optional(), name: text('name', 64).optional() })
    .strict(),
  'profiles:list': empty,
  'certs:issue': issue,
  'certs:list': z
    .object({
      search: z.string().max(200, { error: 'search is longer than 200 characters' }).optional(),
      status: z
        .enum(['active', 'superseded', 'revoked', 'expired'], { error: 'status must be active, superseded, revoked or expired' })
        .optional(),
      issuer: ref('issuer').optional(),
      expiringWithinDays: z.number().int().min(0, { error: 'expiringWithinDays must be 0 or more' }).max(36500).optional(),
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(1000, { error: 'limit must be at most 1000' }).optional(),
    })
    .strict(),
  'certs:get': z.object({ cert: ref('cert') }).strict(),
  'certs:renew': z
    .object({ cert: ref('cert'), sameKey: z.boolean().optional(), days: days.optional(), progressId: z.string().max(100).optional() })
    .strict(),
  'certs:revoke': z
    .object({
      cert: ref('cert'),
      reason: z.enum(REVOCATION_REASONS, { error: `reason must be one of ${REVOCATION_REASONS.join(', ')}` }).optional(),
    })
    .strict(),
  'certs:export': z
    .object({
      cert: ref('cert'),
      format: z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(', ')}` }),
      passphrase: passphrase.optional(),
      path: text('path', 4096).optional(),
    })
    .strict(),
  'certs:import': z.object({ pem: pem('pem') }).strict(),
  'certs:lint': z.object({ pem: pem('pem') }).strict(),
  'crl:generate': z.object({ ca: ref('ca') }).strict(),
  'audit:list': z.object({ offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'audit:verify': empty,
  'schedule:list': z
    .object({ withinDays: z.number().int().min(0, { error: 'withinDays must be 0 or more' }).max(36500).optional() })
    .strict(),
  'schedule:ics': z
    .object({ withinDays: z.number().int().min(0, { error: 'withinDays must be 0 or more' }).max(36500).optional() })
    .strict(),
  'edge:preview': z.object({ ca: ref('ca'), settings: edgeSettings }).strict(),
  'tenants:list': empty,
  'tenants:add': addTenant,
  'tenants:test': z.object({ tenant: ref('tenant') }).strict(),
  'tenants:remove': z.object({ tenant: ref('tenant'), confirm: z.string().max(200).optional() }).strict(),
  'bindings:create': z
    .object({
      cert: ref('cert'),
      tenant: ref('tenant'),
      clientId: text('clientId', 200).refine((v) => !/\s/.test(v), { error: 'clientId must not contain spaces' }),
      api: text('api', 600).optional(),
      pop: z.boolean().optional(),
      endpointAliases: z.boolean().optional(),
    })
    .strict(),
  'bindings:list': z.object({ tenant: ref('tenant').optional() }).strict(),
  'bindings:remove': z.object({ binding: ref('binding'), confirm: z.string().max(200).optional() }).strict(),
  'auth0:plan': z.object({ tenant: ref('tenant') }).strict(),
  'auth0:apply': z.object({ tenant: ref('tenant'), confirm: z.string().max(200).optional() }).strict(),
  'outbox:list': z.object({ tenant: ref('tenant').optional() }).strict(),
  'auth0:clients': z.object({ tenant: ref('tenant') }).strict(),
  'auth0:custom-domain': z
    .object({
      tenant: ref('tenant'),
      domain: hostName('domain').optional(),
      keyFile: text('keyFile', 4096).refine((v) => v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v), {
        error: 'keyFile must be an absolute path',
      }),
      clientIpHeader: z.enum(CLIENT_IP_HEADERS, { error: `clientIpHeader must be one of ${CLIENT_IP_HEADERS.join(', ')}` }).optional(),
    })
    .strict(),
  'tenants:diagnostics': z
    .object({
      tenant: ref('tenant'),
      settings: z
        .object({
          discoveryUrl: httpsUrl('discoveryUrl').optional(),
          audience: text('audience', 600).optional(),
          edgeAddress: z
            .string()
            .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, { error: 'edgeAddress must be host:port, such as 127.0.0.1:8443' })
            .optional(),
          edgeCaPem: pem('edgeCaPem').optional(),
          resourceUrl: httpUrl('resourceUrl').optional(),
        })
        .strict(),
    })
    .strict(),
  'diagnostics:run': z.object(diagnoseFields).strict(),
  'diagnostics:files': z.object({ ...diagnoseFields, dir: text('dir', 4096), passphrase }).strict(),
  'rotation:start': z
    .object({
      cert: ref('cert'),
      sameKey: z.boolean().optional(),
      overlapSeconds: overlap.optional(),
      verify: z.boolean().optional(),
      confirm: z.string().max(600).optional(),
    })
    .strict(),
  'rotation:list': empty,
  'rotation:resume': z.object({ job: ref('job').optional() }).strict(),
  'rotation:cancel': z.object({ job: ref('job').optional(), batch: ref('batch').optional() }).strict(),
  'rotation:bulk': z
    .object({
      withinDays: z.number().int().min(0, { error: 'withinDays must be 0 or more' }).max(3650).optional(),
      concurrency: z
        .number()
        .int()
        .min(1, { error: 'concurrency must be at least 1' })
        .max(16, { error: 'concurrency must be at most 16' })
        .optional(),
      overlapSeconds: overlap.optional(),
      verify: z.boolean().optional(),
      confirm: z.string().max(600).optional(),
    })
    .strict(),
  'sandbox:status': empty,
  'sandbox:start': empty,
  'sandbox:stop': empty,
  'edge:history': z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'edge:trust': empty,
  'edge:publish': z
    .object({
      ca: ref('ca'),
      dir: text('dir', 4096),
      reloadCommand: text('reloadCommand', 1000).optional(),
      settings: edgeSettings,
    })
    .strict(),
};
