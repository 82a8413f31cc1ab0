/** Rotations: one certificate or every due one, journaled step by step, resumed and cancelled. */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';
import { empty, ref } from './fields.ts';
import { LIMITS } from './limits.ts';

/** The overlap before the old credential is removed: zero to 90 days, in seconds. */
const overlap = z
  .number({ error: 'overlapSeconds must be a number of seconds' })
  .int({ error: 'overlapSeconds must be whole seconds' })
  .min(LIMITS.overlapSeconds.min, { error: 'overlapSeconds must be 0 or more' })
  .max(LIMITS.overlapSeconds.max, { error: `overlapSeconds must be at most ${LIMITS.overlapSeconds.max / 86_400} days` });

/** The quiet period an old certificate must go unseen at the edge: zero to a day, in seconds. */
const quiet = z
  .number({ error: 'quietSeconds must be a number of seconds' })
  .int({ error: 'quietSeconds must be whole seconds' })
  .min(LIMITS.quietSeconds.min, { error: 'quietSeconds must be 0 or more' })
  .max(LIMITS.quietSeconds.max, { error: `quietSeconds must be at most ${LIMITS.quietSeconds.max / 3600} hours` });

export const rotation = {
  'rotation:start': {
    input: z
      .object({
        cert: ref('cert'),
        sameKey: z.boolean().optional(),
        overlapSeconds: overlap.optional(),
        quietSeconds: quiet.optional(),
        verify: z.boolean().optional(),
        confirm: z.string().max(600).optional(),
      })
      .strict(),
    handle: (input, { service }) => service.rotate(input),
  },
  'rotation:preview': {
    input: z.object({ cert: ref('cert') }).strict(),
    handle: async (input, { service }) => service.rotations.preview(input.cert),
  },
  'rotation:force-cutoff': {
    input: z.object({ job: ref('job'), confirm: z.string().max(600).optional() }).strict(),
    handle: (input, { service }) => service.forceCutoff(input),
  },
  'rotation:extend': {
    input: z
      .object({
        job: ref('job'),
        seconds: z
          .number({ error: 'seconds must be a number of seconds' })
          .int({ error: 'seconds must be whole seconds' })
          .min(LIMITS.extendSeconds.min, { error: 'seconds must be at least 1' })
          .max(LIMITS.extendSeconds.max, { error: `seconds must be at most ${LIMITS.extendSeconds.max / 86_400} days` }),
      })
      .strict(),
    handle: (input, { service }) => service.extendRotation(input),
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
        withinDays: z
          .number()
          .int()
          .min(LIMITS.rotationWithinDays.min, { error: 'withinDays must be 0 or more' })
          .max(LIMITS.rotationWithinDays.max)
          .optional(),
        concurrency: z
          .number()
          .int()
          .min(LIMITS.rotationConcurrency.min, { error: `concurrency must be at least ${LIMITS.rotationConcurrency.min}` })
          .max(LIMITS.rotationConcurrency.max, { error: `concurrency must be at most ${LIMITS.rotationConcurrency.max}` })
          .optional(),
        overlapSeconds: overlap.optional(),
        verify: z.boolean().optional(),
        confirm: z.string().max(600).optional(),
      })
      .strict(),
    handle: (input, { service }) => service.rotateAllDue(input),
  },
} satisfies Endpoints<
  | 'rotation:start'
  | 'rotation:list'
  | 'rotation:resume'
  | 'rotation:cancel'
  | 'rotation:bulk'
  | 'rotation:preview'
  | 'rotation:force-cutoff'
  | 'rotation:extend'
>;
