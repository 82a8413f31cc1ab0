/** Rotations: one certificate or every due one, journaled step by step, resumed and cancelled. */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';
import { empty, ref } from './fields.ts';

/** The overlap before the old credential is removed: zero to 90 days, in seconds. */
const overlap = z
  .number({ error: 'overlapSeconds must be a number of seconds' })
  .int({ error: 'overlapSeconds must be whole seconds' })
  .min(0, { error: 'overlapSeconds must be 0 or more' })
  .max(90 * 86_400, { error: 'overlapSeconds must be at most 90 days' });

export const rotation = {
  'rotation:start': {
    input: z
      .object({
        cert: ref('cert'),
        sameKey: z.boolean().optional(),
        overlapSeconds: overlap.optional(),
        verify: z.boolean().optional(),
        confirm: z.string().max(600).optional(),
      })
      .strict(),
    handle: (input, { service }) => service.rotate(input),
  },
  'rotation:list': { input: empty, handle: async (_input, { service }) => service.rotations.list() },
  'rotation:resume': {
    input: z.object({ job: ref('job').optional() }).strict(),
    handle: (input, { service }) => service.resumeRotations(input),
  },
  'rotation:cancel': {
    input: z.object({ job: ref('job').optional(), batch: ref('batch').optional() }).strict(),
    handle: (input, { service }) => service.cancelRotations(input),
  },
  'rotation:bulk': {
    input: z
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
    handle: (input, { service }) => service.rotateAllDue(input),
  },
} satisfies Endpoints<'rotation:start' | 'rotation:list' | 'rotation:resume' | 'rotation:cancel' | 'rotation:bulk'>;
