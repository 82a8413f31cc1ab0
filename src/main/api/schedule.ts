/** The rotation schedule: what is due when, as a list and as a calendar. */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';
import { empty, ref } from './fields.ts';
import { LIMITS } from './limits.ts';

const scheduleQuery = z
  .object({
    withinDays: z
      .number()
      .int()
      .min(LIMITS.scheduleWithinDays.min, { error: 'withinDays must be 0 or more' })
      .max(LIMITS.scheduleWithinDays.max)
      .optional(),
    certificate: ref('certificate').optional(),
  })
  .strict();

const crlSeriesQuery = z
  .object({
    warnDays: z
      .number()
      .int()
      .min(0, { error: 'warnDays must be 0 or more' })
      .max(365, { error: 'warnDays must be 365 or less' })
      .optional(),
  })
  .strict();

export const schedule = {
  'schedule:list': { input: scheduleQuery, handle: (input, { service }) => service.schedule(input) },
  'schedule:due': { input: empty, handle: (_input, { service }) => service.dueSummary() },
  'schedule:ics': { input: scheduleQuery, handle: (input, { service }) => service.scheduleIcs(input) },
  'schedule:crl-series': { input: crlSeriesQuery, handle: (input, { service }) => service.crlSeries(input) },
} satisfies Endpoints<'schedule:list' | 'schedule:due' | 'schedule:ics' | 'schedule:crl-series'>;
