/** Leaf certificates: profiles, issuance, the inventory, renewal, revocation, export, import and lint. */
import { z } from 'zod';
import { EXPORT_FORMATS, KEY_TYPES, REVOCATION_REASONS, type SanType } from '../../shared/contract/index.ts';
import type { Endpoints } from './endpoint.ts';
import { COUNTRY_CODE, sanProblem } from '../../shared/validation.ts';
import { empty, passphrase, pem, ref, text } from './fields.ts';
import { LIMITS } from './limits.ts';
import { CSR_LABEL } from '../core/pki/csr.ts';

const countryCode = z.string().regex(COUNTRY_CODE, { error: 'country must be a two-letter ISO 3166 code in capitals, such as US or DE' });

/** One rule for typed SANs and a CSR's (src/shared/validation.ts), so the two can never disagree. */
const sanValue = (type: SanType) =>
  z.string().refine((v) => sanProblem(type, v) === null, { error: sanProblem(type, '') ?? `a ${type} SAN is not valid` });

const san = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('dns'), value: sanValue('dns') }).strict(),
    z.object({ type: z.literal('uri'), value: sanValue('uri') }).strict(),
    z.object({ type: z.literal('email'), value: sanValue('email') }).strict(),
  ],
  { error: 'a SAN must have type dns, uri or email' },
);

const days = z
  .number({ error: 'days must be a whole number' })
  .int({ error: 'days must be a whole number' })
  .min(LIMITS.certDays.min, { error: `days must be at least ${LIMITS.certDays.min}` })
  .max(LIMITS.certDays.max, { error: `days must be at most ${LIMITS.certDays.max}` });

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
        z
          .object({
            kind: z.literal('csr'),
            csr: pem('csr', CSR_LABEL),
            useCsrSubject: z.boolean({ error: 'useCsrSubject must be true or false' }).optional(),
          })
          .strict(),
      ],
      { error: 'source must be {kind:"generated"} or {kind:"csr", csr}' },
    ),
    progressId: z.string().max(100).optional(),
  })
  .strict();

const inspectCsr = z.object({ csr: pem('csr', CSR_LABEL) }).strict();

export const certificates = {
  'profiles:list': { input: empty, handle: (_input, { service }) => service.listProfiles() },
  'certs:issue': { input: issue, handle: (input, { service }) => service.issue(input) },
  'certs:inspect-csr': { input: inspectCsr, handle: (input, { service }) => service.inspectCsr(input) },
  'certs:list': {
    input: z
      .object({
        search: z.string().max(200, { error: 'search is longer than 200 characters' }).optional(),
        status: z
          .enum(['active', 'superseded', 'revoked', 'expired'], { error: 'status must be active, superseded, revoked or expired' })
          .optional(),
        issuer: ref('issuer').optional(),
        expiringWithinDays: z
          .number()
          .int()
          .min(LIMITS.expiringWithinDays.min, { error: 'expiringWithinDays must be 0 or more' })
          .max(LIMITS.expiringWithinDays.max)
          .optional(),
        offset: z.number().int().min(0).optional(),
        limit: z
          .number()
          .int()
          .min(LIMITS.listLimit.min)
          .max(LIMITS.listLimit.max, { error: `limit must be at most ${LIMITS.listLimit.max}` })
          .optional(),
      })
      .strict(),
    handle: (input, { service }) => service.listCertificates(input),
  },
  'certs:get': { input: z.object({ cert: ref('cert') }).strict(), handle: (input, { service }) => service.getCertificate(input) },
  'certs:renew': {
    input: z
      .object({ cert: ref('cert'), sameKey: z.boolean().optional(), days: days.optional(), progressId: z.string().max(100).optional() })
      .strict(),
    handle: (input, { service }) => service.renew(input),
  },
  'certs:revoke': {
    input: z
      .object({
        cert: ref('cert'),
        reason: z.enum(REVOCATION_REASONS, { error: `reason must be one of ${REVOCATION_REASONS.join(', ')}` }).optional(),
      })
      .strict(),
    handle: (input, { service }) => service.revoke(input),
  },
  'certs:export': {
    input: z
      .object({
        cert: ref('cert'),
        format: z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(', ')}` }),
        passphrase: passphrase.optional(),
        // Admitted only to be refused by name (FORBIDDEN), never to be written to.
        path: text('path', 4096).optional(),
      })
      .strict(),
    handle: (input, { service, saveDialog }) => service.exportCertificate(input, saveDialog),
  },
  'certs:import': { input: z.object({ pem: pem('pem') }).strict(), handle: (input, { service }) => service.importCertificate(input) },
  'certs:lint': { input: z.object({ pem: pem('pem') }).strict(), handle: (input, { service }) => service.lint(input) },
} satisfies Endpoints<
  | 'profiles:list'
  | 'certs:issue'
  | 'certs:inspect-csr'
  | 'certs:list'
  | 'certs:get'
  | 'certs:renew'
  | 'certs:revoke'
  | 'certs:export'
  | 'certs:import'
  | 'certs:lint'
>;
