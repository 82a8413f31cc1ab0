/** The audit log: its entries, and the check of its hash chain. */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';
import { empty } from './fields.ts';

export const audit = {
  'audit:list': {
    input: z.object({ offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    handle: (input, { service }) => service.listAudit(input),
  },
  'audit:verify': { input: empty, handle: (_input, { service }) => service.verifyAudit() },
} satisfies Endpoints<'audit:list' | 'audit:verify'>;
