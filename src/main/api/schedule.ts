/** The rotation schedule: what is due when, as a list and as a calendar. */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';

const scheduleQuery = z
  .object({ withinDays: z.number().int().min(0, { error: 'withinDays must be 0 or more' }).max(36500).optional() })
  .strict();

export const schedule = {
  'schedule:list': { input: scheduleQuery, handle: (input, { service }) => service.schedule(input) },
  'schedule:ics': { input: scheduleQuery, handle: (input, { service }) => service.scheduleIcs(input) },
} satisfies Endpoints<'schedule:list' | 'schedule:ics'>;
