/** Certificate authorities: the roots and issuing CAs, and the CRLs they sign. */
import { z } from 'zod';
import { CA_KEY_TYPES, CA_REVOCATION_REASONS } from '../../shared/contract/index.ts';
import { COUNTRY_CODE } from '../../shared/validation.ts';
import { after, type Endpoints } from './endpoint.ts';
import { empty, passphrase, pem, ref, text } from './fields.ts';
import { LIMITS } from './limits.ts';

/** Bounded here; what makes a URL fit a certificate is checked in the core (authority-urls.ts), by field. */
const url = (field: string) =>
  z.string({ error: `${field} must be an http(s) URL` }).max(2048, { error: `${field} is longer than 2048 characters` });
const optionalUrls = { crlUrl: url('crlUrl').optional(), caIssuersUrl: url('caIssuersUrl').optional(), ocspUrl: url('ocspUrl').optional() };

const createAuthority = z
  .object({
    name: text('name', 64),
    organization: text('organization', 64).optional(),
    country: z
      .string()
      .regex(COUNTRY_CODE, { error: 'country must be a two-letter ISO 3166 code in capitals, such as US or DE' })
      .optional(),
    keyType: z
      .enum(CA_KEY_TYPES, { error: `keyType must be one of ${CA_KEY_TYPES.join(', ')} (RSA-2048 is too weak for a CA)` })
      .optional(),
    years: z
      .number({ error: 'years must be a whole number' })
      .int({ error: 'years must be a whole number' })
      .min(LIMITS.caYears.min, { error: `years must be at least ${LIMITS.caYears.min}` })
      .max(LIMITS.caYears.max, { error: `years must be at most ${LIMITS.caYears.max}` })
      .optional(),
    parent: text('parent', 200).optional(),
    ...optionalUrls,
    progressId: z.string().max(100).optional(),
  })
  .strict();

export const authorities = {
  'ca:list': { input: empty, handle: (_input, { service }) => service.listAuthorities() },
  // A sandbox edge in this process trusts the new CA at once.
  'ca:create': {
    input: createAuthority,
    handle: async (input, { service, trustChanged }) => after(await service.createAuthority(input), trustChanged),
  },
  'ca:import': {
    input: z
      .object({
        certPem: pem('certPem', 'CA certificate (certPem)'),
        keyPem: pem('keyPem', 'Private key (keyPem)'),
        keyPassphrase: passphrase.optional(),
        name: text('name', 64).optional(),
      })
      .strict(),
    handle: async (input, { service, trustChanged }) => after(await service.importAuthority(input), trustChanged),
  },
  'ca:retire': {
    input: z.object({ ca: ref('ca'), retired: z.boolean({ error: 'retired must be true or false' }) }).strict(),
    handle: (input, { service }) => service.retireAuthority(input),
  },
  'ca:set-urls': {
    input: z
      .object({
        ca: ref('ca'),
        crlUrl: url('crlUrl').nullable(),
        caIssuersUrl: url('caIssuersUrl').nullable(),
        ocspUrl: url('ocspUrl').nullable(),
      })
      .strict(),
    handle: (input, { service }) => service.setAuthorityUrls(input),
  },
  // The root's new CRL reaches a sandbox edge in this process through the CRL listeners.
  'ca:revoke': {
    input: z
      .object({
        ca: ref('ca'),
        reason: z.enum(CA_REVOCATION_REASONS, { error: `reason must be one of ${CA_REVOCATION_REASONS.join(', ')}` }).optional(),
      })
      .strict(),
    handle: (input, { service }) => service.revokeAuthority(input),
  },
  'crl:generate': { input: z.object({ ca: ref('ca') }).strict(), handle: (input, { service }) => service.generateCrl(input) },
} satisfies Endpoints<'ca:list' | 'ca:create' | 'ca:import' | 'ca:retire' | 'ca:set-urls' | 'ca:revoke' | 'crl:generate'>;
