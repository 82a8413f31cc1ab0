/** Evidence of use from the edge's access log: per certificate, and one certificate's last day. */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';
import { ref } from './fields.ts';

export const usage = {
  'certs:usage': { input: z.object({ cert: ref('cert') }).strict(), handle: (input, { service }) => service.certificateUsage(input) },
  'usage:list': { input: z.object({ cert: ref('cert').optional() }).strict(), handle: (input, { service }) => service.usageReport(input) },
} satisfies Endpoints<'certs:usage' | 'usage:list'>;
