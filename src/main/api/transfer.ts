/** The transfer review, read-only: what staged bundles hold and what was decided. Importing, deciding and exporting are the CLI's (files on this machine). */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';

export const transfer = {
  'transfer:review': {
    input: z
      .object({
        import: z
          .string()
          .regex(/^imp_[0-9a-f]{20}$/, { error: 'import must be an import id such as imp_… (certdesk transfer review lists them)' })
          .optional(),
      })
      .strict(),
    handle: (input, { service }) => service.transferReview(input),
  },
} satisfies Endpoints<'transfer:review'>;
