/** Certificate templates and the expiry webhook (issue 13): the operator's own issue settings, and where warnings go. */
import { z } from 'zod';
import { CertdeskError } from '../core/errors.ts';
import { checkWebhookUrl } from '../core/webhook/webhook-url.ts';
import { KEY_TYPES, type SanType } from '../../shared/contract/index.ts';
import { sanPatternProblem } from '../../shared/san-pattern.ts';
import { COUNTRY_CODE } from '../../shared/validation.ts';
import { requireNetwork } from '../core/workstation/role-guard.ts';
import { empty, text } from './fields.ts';
import type { Endpoints } from './endpoint.ts';
import { LIMITS } from './limits.ts';

const name = (field: string) => text(field, 64);

const pattern = (type: SanType) =>
  z.string({ error: 'pattern must be text' }).refine((v) => sanPatternProblem(type, v) === null, {
    error: (issue) => sanPatternProblem(type, String(issue.input)) ?? 'the SAN pattern is not valid',
  });

const sanPattern = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('dns'), pattern: pattern('dns') }).strict(),
    z.object({ type: z.literal('uri'), pattern: pattern('uri') }).strict(),
    z.object({ type: z.literal('email'), pattern: pattern('email') }).strict(),
  ],
  { error: 'a SAN pattern must have type dns, uri or email' },
);

const save = z
  .object({
    name: name('name'),
    profile: text('profile', 64),
    ca: text('ca', 200).optional(),
    keyType: z.enum(KEY_TYPES, { error: `keyType must be one of ${KEY_TYPES.join(', ')}` }).optional(),
    subject: z
      .object({
        organization: text('organization', 64).optional(),
        organizationalUnit: text('organizationalUnit', 64).optional(),
        country: z
          .string()
          .regex(COUNTRY_CODE, { error: 'country must be a two-letter ISO 3166 code in capitals, such as US or DE' })
          .optional(),
      })
      .strict()
      .optional(),
    sans: z.array(sanPattern).max(20, { error: 'a template holds at most 20 SAN patterns' }).optional(),
    days: z
      .number({ error: 'days must be a whole number' })
      .int({ error: 'days must be a whole number' })
      .min(LIMITS.certDays.min, { error: `days must be at least ${LIMITS.certDays.min}` })
      .max(LIMITS.certDays.max, { error: `days must be at most ${LIMITS.certDays.max}` }),
    replace: z.boolean({ error: 'replace must be true or false' }).optional(),
  })
  .strict();

const named = z.object({ name: name('name') }).strict();

export const templates = {
  'templates:list': { input: empty, handle: (_input, { service }) => service.templates.list() },
  'templates:get': { input: named, handle: (input, { service }) => service.templates.get(input.name) },
  'templates:save': { input: save, handle: (input, { service }) => service.templates.save(input) },
  'templates:rename': {
    input: z.object({ name: name('name'), to: name('to') }).strict(),
    handle: (input, { service }) => service.templates.rename(input),
  },
  'templates:delete': { input: named, handle: (input, { service }) => service.templates.delete(input.name) },
  'webhook:show': { input: empty, handle: (_input, { service }) => service.webhook.show() },
  'webhook:set': {
    // The URL's rules (https, loopback http, no credentials) are the core's, so the CLI and the UI get one wording.
    input: z
      .object({ url: z.string({ error: 'url must be text' }).max(4096, { error: 'url is longer than 4096 characters' }).nullable() })
      .strict(),
    handle: async (input, { service, targetApprover }) => {
      if (input.url === null) return service.webhook.set(null);
      // Named on the URL's own rules first, so a typo is fixed in place before anyone is asked.
      const url = checkWebhookUrl(input.url);
      // Where certdesk sends POSTs is the operator's choice, as a delivery target's place is: whoever holds
      // the renderer or the web token may not point them at this machine's or its network's services.
      if (!targetApprover)
        throw new CertdeskError(
          'FORBIDDEN',
          `The webhook URL can only be set by the operator on this machine: certdesk webhook set ${url}, or the desktop app. Nothing was stored.`,
          { field: 'url' },
        );
      if (!(await targetApprover.confirm([`Send expiry notices as JSON POSTs to ${url}`])))
        throw new CertdeskError('VALIDATION', 'The webhook was not confirmed in the dialog, so nothing was stored.', { field: 'url' });
      return service.webhook.set(url);
    },
  },
  'webhook:test': {
    input: empty,
    handle: (_input, { service }) => {
      requireNetwork(service.db, 'the expiry webhook');
      return service.webhook.test();
    },
  },
} satisfies Endpoints<
  | 'templates:list'
  | 'templates:get'
  | 'templates:save'
  | 'templates:rename'
  | 'templates:delete'
  | 'webhook:show'
  | 'webhook:set'
  | 'webhook:test'
>;
