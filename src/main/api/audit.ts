/** The audit log: its entries (filtered, subjects resolved), their export, and the check of its hash chain. */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';
import { empty } from './fields.ts';

/** Checked again in the core (the SQL takes them only as parameters); here: bounded, and named in the message. */
const filter = {
  kinds: z
    .array(z.string({ error: 'kinds must be a list of audit actions' }).max(64, { error: 'a kind is at most 64 characters' }), {
      error: 'kinds must be a list of audit actions',
    })
    .max(100, { error: 'kinds lists at most 100 actions' })
    .optional(),
  subject: z.string({ error: 'subject must be text' }).max(200, { error: 'subject is longer than 200 characters' }).optional(),
  since: z.string({ error: 'since must be a UTC date such as 2026-12-05' }).max(40, { error: 'since is not a date' }).optional(),
  until: z.string({ error: 'until must be a UTC date such as 2026-12-05' }).max(40, { error: 'until is not a date' }).optional(),
};

export const audit = {
  'audit:list': {
    input: z
      .object({ ...filter, offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000).optional() })
      .strict(),
    handle: (input, { service }) => service.listAudit(input),
  },
  'audit:kinds': { input: empty, handle: (_input, { service }) => service.auditKinds() },
  'audit:export': {
    input: z.object({ ...filter, format: z.enum(['csv', 'json'], { error: 'format must be csv or json' }) }).strict(),
    handle: (input, { service, saveDialog }) => service.exportAudit(input, saveDialog),
  },
  'audit:verify': { input: empty, handle: (_input, { service }) => service.verifyAudit() },
} satisfies Endpoints<'audit:list' | 'audit:kinds' | 'audit:export' | 'audit:verify'>;
